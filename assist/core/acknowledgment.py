"""Does the agent's draft acknowledge how the customer feels? Which feelings, and where?

Five kinds of acknowledgment (labels.ACK_KINDS): empathy ("I understand how frustrating this is"),
apology ("sorry for the delay"), patience ("thanks for your patience": covers waiting and frustration,
not anger), ownership ("that's on us", "I'll make it a priority"), reassurance ("don't worry, your
account is safe", "let me explain"). "thanks" spans ("thanks for reaching out") are politeness and
cover no feeling. A draft that only informs or asks acknowledges nothing; a negated phrase ("I can't
say I understand", "I'm not sorry") or a non-apology ("sorry you feel that way") does not count.

The component runs on drafts only (the analyzer calls it on `nlp.make_doc(draft)`, which is cheap
enough for every keystroke) and sets `doc._.assist_ack` to `AckMatch`es. Spans whose covers depend on
the customer ("I hear you") carry `covers=None`; the analyzer fills them from the customer's emotions.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import lexicons as lx

if not Doc.has_extension("assist_ack"):
    Doc.set_extension("assist_ack", default=())

# Feeling words after a trigger ("that sounds *frustrating*") say which emotions it covers.
FEELINGS: dict[str, tuple[str, ...]] = {}
for _words, _covers in (
    ("frustrating frustrated frustration annoying annoyed annoyance irritating aggravating maddening "
     "exasperating inconvenient inconvenience hassle tiresome infuriating", ("frustration", "anger")),
    ("angry anger outrageous unacceptable mad", ("anger", "frustration")),
    ("upset upsetting", ("anger", "sadness", "frustration")),
    ("disappointing disappointed disappointment letdown", ("disappointment",)),
    ("confusing confused confusion unclear puzzling misleading", ("confusion",)),
    ("worrying worried worry concern concerning concerned stressful stressed stress scary scared alarming "
     "unsettling anxious worrisome frightening nerve-wracking", ("anxiety",)),
    ("sad heartbreaking heartbroken difficult hard tough painful devastating loss", ("sadness",)),
    ("urgent time-sensitive pressing deadline", ("urgency",)),
    ("wait waiting long", ("frustration",)),
):
    for _w in _words.split():
        FEELINGS[_w] = _covers

# Nouns after an apology ("sorry for the *delay*").
APOLOGY_NOUNS: dict[str, tuple[str, ...]] = {}
for _words, _covers in (
    ("delay delays wait waiting late hold", ("frustration",)),
    ("confusion misunderstanding mix-up mixup mix unclear", ("confusion",)),
    ("worry stress scare concern alarm", ("anxiety",)),
    ("loss passing", ("sadness",)),
    ("news", ("sadness", "disappointment")),
    ("disappointment letdown", ("disappointment",)),
    ("inconvenience trouble hassle frustration", ("frustration", "disappointment")),
    ("mistake error experience rudeness behaviour behavior treatment", ("anger", "frustration", "disappointment")),
):
    for _w in _words.split():
        APOLOGY_NOUNS[_w] = _covers
APOLOGY_DEFAULT = ("anger", "frustration", "disappointment", "sadness")

# (kind, mode, phrases). mode: "generic" (covers follow the customer), "feeling" (needs a feeling word
# right after), "understand" (like generic, but "I understand you want a refund" is not empathy),
# "apology", or a tuple of the emotions covered.
RULES: list[tuple[str, object, list[str]]] = [
    ("empathy", "understand", [
        "i understand", "i completely understand", "i totally understand", "i fully understand",
        "i really understand", "i can understand", "i do understand", "i absolutely understand",
        "i truly understand", "i can totally understand", "i can completely understand", "we understand",
        "i definitely understand", "i understand completely", "i understand totally",
    ]),
    ("empathy", "generic", [
        "i hear you", "i can imagine", "i can only imagine", "i can see how", "i can see why", "i get it",
        "i get that", "completely understandable", "totally understandable", "perfectly understandable",
        "very understandable", "understandably", "that's understandable", "it's understandable",
        "you have every right", "you have every reason", "i'd feel the same", "i would feel the same",
        "anyone would be", "i know how you feel", "i understand how you feel", "i can relate", "i feel you",
        "i'm with you", "i know how much", "i can see that", "i can understand why", "i can understand how",
        "i understand why", "i understand how", "understand your frustration", "understand the frustration",
        "understand your concern", "understand your disappointment", "understand your confusion",
    ]),
    ("empathy", "feeling", [
        "that sounds", "this sounds", "it sounds", "that must", "this must", "must be", "must have been",
        "i know how", "i know this is", "i know it's", "i know that's", "i can tell", "no wonder",
        "that's", "that is", "this is", "it's", "what a", "i'd be", "i would be", "i'd feel", "you're right to be",
        "how", "so sorry it's", "i realise how", "i realize how", "i appreciate how", "i appreciate this is",
    ]),
    ("empathy", ("disappointment",), [
        "not the experience we want", "not the experience we'd want", "not the experience you deserve",
        "not the experience we want you to have", "not what you expected", "not what you were hoping",
        "not what you hoped", "isn't what you expected", "isn't what you hoped", "isn't the experience",
        "you deserve better", "you deserved better", "we let you down", "i've let you down",
    ]),
    ("empathy", ("positive",), [
        "glad to hear", "great to hear", "happy to hear", "good to hear", "wonderful to hear", "love to hear",
        "so glad", "really glad", "i'm glad", "glad it", "glad that", "thrilled to hear", "delighted to hear",
        "that's great", "that's wonderful", "that's fantastic", "fantastic news", "great news",
    ]),
    ("apology", "apology", [
        "sorry", "apologies", "apologise", "apologize", "apology", "apologising", "apologizing", "apologised",
        "apologized",
    ]),
    ("patience", ("frustration",), [
        "thanks for your patience", "thank you for your patience", "thanks for being patient",
        "thank you for being patient", "thanks for waiting", "thank you for waiting", "thanks for bearing with",
        "thank you for bearing with", "thanks for hanging in there", "thank you so much for your patience",
        "thanks so much for your patience", "thank you for your understanding", "thanks for your understanding",
        "appreciate your patience", "appreciate you being patient", "appreciate you waiting",
        "appreciate your understanding", "grateful for your patience", "thank you for holding",
        "thanks for holding", "thanks again for your patience", "thank you again for your patience",
        "thank you very much for your patience", "thank you for your continued patience",
        "thanks for your continued patience", "thank you for the patience", "thanks for the patience",
        "thank you for waiting so patiently", "appreciate your continued patience", "for your patience",
        "for being so patient",
    ]),
    ("thanks", (), [
        "thanks for reaching out", "thank you for reaching out", "thanks for contacting", "thank you for contacting",
        "thanks for getting in touch", "thank you for getting in touch", "thanks for letting us know",
        "thank you for letting us know", "thanks for reporting", "thank you for reporting", "thanks for flagging",
        "thank you for flagging", "thanks for the details", "thank you for the details", "thanks for the info",
        "thank you for the information", "thanks for your message", "thank you for your message",
        "thanks for writing", "thank you for writing in", "thanks for your question",
    ]),
    ("thanks", ("positive",), [
        "you're welcome", "you are welcome", "my pleasure", "happy to help", "glad i could help", "glad to help",
        "no problem at all", "glad we could help", "happy i could help",
    ]),
    ("ownership", ("anger", "disappointment", "frustration"), [
        "our mistake", "our fault", "my mistake", "my fault", "this is on us", "that's on us", "that's on me",
        "this one's on us", "we dropped the ball", "i dropped the ball", "we got this wrong", "we messed up",
        "i messed up", "i take full responsibility", "we take full responsibility", "we should have",
        "i should have", "that shouldn't have happened", "this shouldn't have happened",
        "this should not have happened", "that should not have happened", "that's not okay", "that's not acceptable",
        "you shouldn't have to", "you should not have to", "we'll make this right", "we will make this right",
        "i'll make this right", "i will make this right", "let me make this right", "let me make it right",
        "that's on our side", "our error", "we made a mistake", "we made an error",
    ]),
    ("ownership", ("frustration",), [
        "i'll personally", "i will personally", "i'll make sure", "i will make sure", "i'll take care of",
        "i will take care of", "i'll sort this", "i'll sort it", "i will sort this", "i'll get this sorted",
        "i'll get this fixed", "i'm on it", "i am on it", "i'll own this", "i'll stay with you", "i won't close",
        "i will not close", "i've escalated", "i have escalated", "i'm escalating", "i am escalating",
        "i'll escalate", "i will escalate", "i'll fix", "let me fix", "let me sort", "i'll chase",
        "i will chase", "i'm going to personally", "leave it with me", "i'll handle", "i will handle",
    ]),
    ("ownership", ("urgency",), [
        "as a priority", "top priority", "high priority", "i'll prioritise", "i'll prioritize", "i will prioritise",
        "i will prioritize", "prioritising", "prioritizing", "right away", "straight away", "immediately",
        "urgently", "expedite", "expedited", "expediting", "i'll rush", "rush this", "i know you need",
        "i know you're on a deadline", "as fast as", "as quickly as", "i know time is", "priority shipping",
        "asap", "as soon as possible", "i know it's urgent", "i know this is urgent",
    ]),
    ("reassurance", ("anxiety",), [
        "don't worry", "do not worry", "no need to worry", "nothing to worry about", "rest assured",
        "you're in good hands", "you are in good hands", "your account is safe", "your money is safe",
        "your data is safe", "your account is secure", "your details are safe", "you won't be charged",
        "you will not be charged", "you're protected", "you are protected", "fully protected",
        "you'll get your money back", "you will get your money back", "it's safe", "it is safe", "you're safe",
        "no one else can", "we've secured", "we have secured", "i've secured", "i have secured", "is protected",
        "we've locked", "i've locked", "we have blocked", "we've blocked", "i've blocked", "fully refunded",
    ]),
    ("reassurance", ("frustration", "anxiety"), [
        "we'll get this sorted", "we will get this sorted", "we'll sort this out", "we'll get this resolved",
        "we will get this resolved", "we'll get to the bottom of", "we will get to the bottom of",
        "let's get this sorted", "let's fix this", "we'll fix this", "we will fix this", "we'll sort it",
        "let's get this fixed",
    ]),
    ("reassurance", ("confusion",), [
        "let me explain", "let me clarify", "to clarify", "i'll walk you through", "let me walk you through",
        "step by step", "happy to explain", "easy to miss", "easy to mix up", "it can be confusing",
        "can be confusing", "great question", "good question", "here's what happened", "here is what happened",
        "let me break", "i'll explain", "i will explain", "let me make this clearer", "to make it clearer",
        "i'll clarify", "let me clear", "i can see the confusion", "understand the confusion",
    ]),
]

_UNDERSTAND_NEXT = frozenset({
    "how", "why", "what", "your", "the", "this", "completely", "totally", "fully", ",", ".", "!", "-", "—", "and",
    "it", "that", "you're", "youre", "you", "perfectly", "entirely",
})
_UNDERSTAND_THAT_NEXT = frozenset({"this", "it", "it's", "its", "must", "waiting", "being", "having", "the", "your",
                                   "you're", "youre", "you've", "you"})
_APOLOGY_LEAD = frozenset({"i", "am", "'m", "so", "very", "really", "truly", "terribly", "deeply", "we", "are",
                           "'re", "my", "our", "sincere", "sincerest", "sincerely", "please", "accept", "extremely",
                           "incredibly", "awfully", "genuinely", "do"})
_APOLOGY_TAIL = frozenset({"for", "about", "to", "that", "if"})
_NOT_APOLOGY_AFTER = ("you feel", "if you feel", "that you feel", "you felt", "you think", "if you think")
_FEELING_REACH = 4


@dataclass(frozen=True, slots=True)
class AckMatch:
    start: int  # character offsets into the draft
    end: int
    kind: str  # labels.ACK_KINDS
    covers: tuple | None  # None: follows the customer's emotions ("I hear you")


class AcknowledgmentFinder:
    """Finds acknowledgment spans in a draft; call `load()` once before use."""

    def __init__(self, nlp: Language, name: str):
        self.nlp = nlp
        self.name = name
        self.matcher: PhraseMatcher | None = None
        self._rules: dict[int, tuple[str, object]] = {}

    def load(self, rules=RULES) -> "AcknowledgmentFinder":
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        table = {}
        for n, (kind, mode, phrases) in enumerate(rules):
            key = f"ack{n}|{kind}"
            table[self.nlp.vocab.strings.add(key)] = (kind, mode)
            matcher.add(key, [self.nlp.make_doc(p) for p in dict.fromkeys(phrases)])
        self.matcher, self._rules = matcher, table
        return self

    def __call__(self, doc: Doc) -> Doc:
        doc._.assist_ack = tuple(self.find(doc))
        return doc

    def find(self, doc: Doc) -> list[AckMatch]:
        if self.matcher is None:
            raise RuntimeError(f"the '{self.name}' component has no rules yet: call its load() first")
        out: list[tuple[int, int, AckMatch]] = []
        for match_id, start, end in self.matcher(doc):
            kind, mode = self._rules[match_id]
            span_has_negator = any(t.norm_ in lx.NEGATORS or t.norm_ == "not" for t in doc[start:end])
            if not span_has_negator and self._negated(doc, start):
                continue
            found = self._resolve(doc, start, end, kind, mode)
            if found is not None:
                out.append(found)
        # One span per stretch of text: the longest wins ("thank you for your patience" over "thank you").
        out.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        result, last_end = [], -1
        for start, end, match in out:
            if start >= last_end:
                result.append(match)
                last_end = end
        return result

    def _negated(self, doc: Doc, start: int) -> bool:
        for i in range(start - 1, max(-1, start - 4), -1):
            norm = doc[i].norm_
            if norm in (".", "!", "?", ";", "but"):
                return False
            if norm in lx.NEGATORS or norm == "not":
                return True
        return False

    def _feeling_after(self, doc: Doc, end: int, table) -> tuple | None:
        for i in range(end, min(len(doc), end + _FEELING_REACH)):
            token = doc[i]
            if token.norm_ in lx.NEGATORS or token.norm_ == "not" or token.text in ".!?;":
                return None
            covers = table.get(token.lower_)
            if covers:
                return i, covers
        return None

    def _resolve(self, doc: Doc, start: int, end: int, kind: str, mode) -> tuple | None:
        n = len(doc)
        char_start = doc[start].idx
        if mode == "apology":
            return self._apology(doc, start, end)
        if mode in ("feeling", "generic", "understand"):
            feeling = self._feeling_after(doc, end, FEELINGS)
            if feeling is not None:
                i, covers = feeling
                return start, i + 1, AckMatch(char_start, doc[i].idx + len(doc[i]), kind, covers)
            if mode == "feeling":
                return None
            if mode == "understand":
                nxt = doc[end].lower_ if end < n else "."
                if nxt not in _UNDERSTAND_NEXT:
                    return None
                if nxt == "that" and (end + 1 >= n or doc[end + 1].lower_ not in _UNDERSTAND_THAT_NEXT):
                    return None
                if nxt in ("you", "that", "what", "it") and not self._feeling_soon(doc, end):
                    return None
            return start, end, AckMatch(char_start, doc[end - 1].idx + len(doc[end - 1]), kind, None)
        covers = tuple(mode)
        if kind == "ownership" and covers == ("frustration",):
            # "I'll make sure it ships today" takes the urgency on too.
            if any(doc[i].lower_ in ("today", "tonight", "priority", "immediately", "urgently", "asap")
                   for i in range(end, min(n, end + 8))):
                covers = covers + ("urgency",)
        return start, end, AckMatch(char_start, doc[end - 1].idx + len(doc[end - 1]), kind, covers)

    def _feeling_soon(self, doc: Doc, end: int) -> bool:
        return any(doc[i].lower_ in FEELINGS or doc[i].lower_ in ("feel", "feeling", "wait", "waiting", "situation")
                   for i in range(end, min(len(doc), end + 6)))

    def _apology(self, doc: Doc, start: int, end: int) -> tuple | None:
        n = len(doc)
        after = " ".join(t.lower_ for t in doc[end : end + 4])
        if after.startswith(_NOT_APOLOGY_AFTER) or after.startswith(tuple("that " + a for a in _NOT_APOLOGY_AFTER)):
            return None  # "sorry you feel that way" blames the customer
        first = start
        while first > 0 and (doc[first - 1].lower_ in _APOLOGY_LEAD or doc[first - 1].norm_ in _APOLOGY_LEAD):
            first -= 1
        # "Sorry, could you send your order number?" is a filler before a question, not an apology.
        if (first == 0 or doc[first - 1].text in ".!?") and end < n and doc[end].text == ",":
            stop = next((t.text for t in doc[end + 1 :] if t.text in (".", "!", "?")), None)
            if stop == "?":
                return None
        last = end
        covers = APOLOGY_DEFAULT
        if last < n and doc[last].lower_ in _APOLOGY_TAIL:
            last += 1
            while last < n and last < end + 7 and not doc[last].is_punct:
                noun = APOLOGY_NOUNS.get(doc[last].lower_)
                if noun:
                    covers = noun
                last += 1
            if doc[end].lower_ == "to" and end + 1 < n and doc[end + 1].lower_ == "hear" and covers == APOLOGY_DEFAULT:
                covers = ("sadness", "disappointment", "frustration", "anger")
        return first, last, AckMatch(doc[first].idx, doc[last - 1].idx + len(doc[last - 1]), "apology", covers)


@Language.factory("assist_acknowledgment")
def make_acknowledgment_finder(nlp: Language, name: str) -> AcknowledgmentFinder:
    return AcknowledgmentFinder(nlp, name)
