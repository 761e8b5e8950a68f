"""spaCy components that read support chat: cues (the *why*) and the combined emotion scores.

`assist_cues` finds the spans that carry a feeling: emotion words, repeated contact, waiting,
deadlines, escalation threats, sarcasm, negation, intensifiers, SHOUTING, "!!!" and emoji. Its
matchers are built once, in `load()`, from a `CueLexicon` (plain data, never through the config).
`assist_emotion` turns the classifier's seven groups (`doc.cats`, when the model is there) and the
cues into a score for each of the nine EMOTIONS, an intensity and a confidence.

Results live in namespaced extensions: `doc._.assist_evidence` (cues with their weights),
`doc._.assist_cues`, `doc._.assist_scores`, `doc._.assist_intensity`, `doc._.assist_confidence`,
`doc._.assist_needs_ack` (the message carries a negative feeling the reply should acknowledge).
"""

from __future__ import annotations

import re
from collections import defaultdict
from operator import itemgetter

from spacy.language import Language
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LIKE_NUM, LOWER, NORM
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from . import lexicons as lx
from . import scoring
from .types import Cue

for _name, _default in (
    ("assist_evidence", None),
    ("assist_scores", None),
    ("assist_intensity", 0.0),
    ("assist_confidence", 1.0),
    ("assist_needs_ack", False),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Doc.has_extension("assist_cues"):
    Doc.set_extension("assist_cues", getter=lambda doc: [cue for cue, _ in (doc._.assist_evidence or ())])

# Kinds whose matches the negation step may flip or cancel.
_NEGATABLE_KINDS = ("lexicon", "negatable", "deadline")
_SENTENCE_END = frozenset({".", "!", "?", "\n"})
_ELONGATED = re.compile(r"^(?:so{3,}|ver+y+|real+y{2,}|reall+y+)$")
_SHOUT_WORD = re.compile(r"(?<![\w])[A-Z](?:[A-Z'’]*[A-Z])?(?![\w])")
_PUNCT_RUN = re.compile(r"[!?]{2,}")
_QUOTED = re.compile(
    r"[\"“”‘’']\s*(help|helpful|service|support|customer service|express|fast|quick|premium|priority|"
    r"guaranteed|next[- ]day)\s*[\"“”‘’']",
    re.IGNORECASE,
)
_QUOTES = "\"“”‘’'"
_EMOTICON_CHARS = ":;<-"
_NOT_BETWEEN_KEEP = frozenset({"been", "more"})
_NEED_WORDS = frozenset({"need", "needs", "needed", "must", "require", "required", "gotta", "asap", "urgent",
                         "please", "pls"})
# Every word a rule in `_token_rules` starts from (numbers aside): the rest of the tokens skip the rules.
_RULE_WORDS = _NEED_WORDS | {"have", "has", "got", "times", "twice", "mean", "means", "again"} | (
    lx.AGAIN_POLITE | lx.DURATION_NUMBERS | lx.DEADLINE_PREPS | lx.DEADLINE_WORDS | lx.CANCEL_WORDS)  # "never been so angry", "couldn't be more upset"


class _Tok(tuple):
    """The few token attributes the rules read, taken from one `Doc.to_array` call: spaCy's Token
    objects are rebuilt on every `doc[i]`, which made them the cue matcher's main cost. A tuple with
    named fields is the cheapest object Python makes."""

    __slots__ = ()
    lower_ = property(itemgetter(0))
    norm_ = property(itemgetter(1))
    idx = property(itemgetter(2))
    text = property(itemgetter(3))
    is_punct = property(itemgetter(4))
    is_space = property(itemgetter(5))
    like_num = property(itemgetter(6))


class _Span:
    """A matched stretch of tokens, duck-typed like spaCy's Span for `filter_spans` (cheaper to make)."""

    __slots__ = ("start", "end", "start_char", "end_char", "label_")

    def __init__(self, toks, start: int, end: int, label_: str = ""):
        last = toks[end - 1]
        self.start, self.end, self.label_ = start, end, label_
        self.start_char, self.end_char = toks[start].idx, last.idx + len(last.text)


_LIGHT_ATTRS = [LOWER, NORM, IDX, LENGTH, IS_PUNCT, IS_SPACE, LIKE_NUM]
# Hash -> string: a hash names the same string in every vocab, and a dict lookup is a fraction of
# StringStore's. Bounded, so a long-running overlay does not grow without limit.
_STRINGS: dict[int, str] = {}
_STRINGS_LIMIT = 200_000


def light_tokens(doc: Doc, text: str) -> list[_Tok]:
    cache = _STRINGS
    if len(cache) > _STRINGS_LIMIT:
        cache.clear()
    lookup = cache.get
    strings = doc.vocab.strings
    out = []
    for lo, no, i, n, p, sp, num in doc.to_array(_LIGHT_ATTRS).tolist():
        lower = lookup(lo)
        if lower is None:
            lower = cache[lo] = strings[lo]
        norm = lookup(no)
        if norm is None:
            norm = cache[no] = strings[no]
        out.append(_Tok((lower, norm, i, text[i : i + n], p, sp, num)))
    return out


def doc_text(doc: Doc) -> str:
    """The text, as the language component keeps it (Doc.text rebuilds the string on each call)."""
    cached = doc._.assist_text if Doc.has_extension("assist_text") else None
    return cached if cached is not None else doc.text


def _key(kind: str, label: str, weight: float) -> str:
    return f"{kind}|{label}|{weight}"


class CueMatcher:
    """Finds cues in a customer's message; call `load(lexicon)` once before use."""

    def __init__(self, nlp: Language, name: str, *, max_negation_distance: int = 4):
        self.nlp = nlp
        self.name = name
        self.max_negation_distance = max_negation_distance
        self.matcher: PhraseMatcher | None = None
        self._rules: dict[int, tuple[str, str, float]] = {}
        self._labels: dict[int, str] = {}
        self._emoji_re: re.Pattern | None = None
        self._emoji: dict[str, tuple[str, float]] = {}
        self._negatable: dict[str, str] = {}

    # -- the explicit loading step --------------------------------------------------------------
    def load(self, lexicon: lx.CueLexicon = lx.CUE_LEXICON) -> "CueMatcher":
        """Build the matchers from `lexicon`. NORM folds case and contractions ("dont" = "do not")."""
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        rules: dict[int, tuple[str, str, float]] = {}
        labels: dict[int, str] = {}
        groups: dict[str, list[str]] = defaultdict(list)
        for label, entries in lexicon.emotion_phrases.items():
            for phrase, weight in entries:
                groups[_key("lexicon", label, weight)].append(phrase)
        for word, label in lexicon.negatable.items():
            groups[_key("negatable", label, 0.0)].append(word)
        for kind, label, entries in (
            ("repeat_contact", "frustration", lexicon.repeat_phrases),
            ("waiting", "frustration", lexicon.waiting_phrases),
            ("deadline", "urgency", lexicon.deadline_phrases),
            ("escalation", "anger", lexicon.escalation_phrases),
        ):
            for phrase, weight in entries:
                groups[_key(kind, label, weight)].append(phrase)
        for phrase, label, weight in lexicon.sarcasm_phrases:
            kind = "sarcasm_always" if phrase in lx.SARCASM_ALWAYS else "sarcasm_context"
            groups[_key(kind, label, weight)].append(phrase)
        make_doc = self.nlp.make_doc
        for key, phrases in groups.items():
            kind, label, weight = key.split("|")
            match_id = self.nlp.vocab.strings.add(key)
            rules[match_id] = (kind, label, float(weight))
            labels[match_id] = key
            matcher.add(key, [make_doc(p) for p in dict.fromkeys(phrases)])
        symbols = {**lexicon.emoji}
        emoticons = lexicon.emoticons
        # Single code points go in one character class: a long alternation takes ~0.1 s to compile.
        singles = "".join(re.escape(s) for s in symbols if len(s) == 1)
        multi = [re.escape(s) for s in sorted(symbols, key=len, reverse=True) if len(s) > 1]
        emoji_alt = "|".join(multi + ([f"[{singles}]"] if singles else []))
        emoticon_alt = "|".join(re.escape(s) for s in sorted(emoticons, key=len, reverse=True))
        self._emoji_re = re.compile(f"(?P<emoji>{emoji_alt})|(?<!\\S)(?P<emoticon>{emoticon_alt})(?=[\\s.,!?]|$)")
        self._emoji = {**symbols, **emoticons}
        self._negatable = dict(lexicon.negatable)
        self.matcher, self._rules, self._labels = matcher, rules, labels
        return self

    @property
    def loaded(self) -> bool:
        return self.matcher is not None

    # -- the component ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None:
            raise RuntimeError(f"the '{self.name}' component has no lexicon yet: call its load() first")
        doc._.assist_evidence = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[tuple[Cue, float]]:
        # Doc.text and doc[i] build new objects on every call: read both once (a hot path).
        text = doc_text(doc)
        toks = light_tokens(doc, text)
        found: list[tuple[int, int, str, str, float]] = []  # start_char, end_char, label, kind, weight
        by_kind: dict[str, list] = defaultdict(list)
        for match_id, start, end in self.matcher(doc):
            kind, label, weight = self._rules[match_id]
            by_kind[kind].append(_Span(toks, start, end, self._labels[match_id]))
        lexicon_spans = filter_spans(by_kind["lexicon"])
        lexicon_tokens = {i for s in lexicon_spans for i in range(s.start, s.end)}
        # "not sure" is a confusion phrase already: its "sure" is not negated a second time.
        negatable_spans = [s for s in by_kind["negatable"] if not lexicon_tokens & set(range(s.start, s.end))]

        # Sarcasm first: a positive word it covers is not praise.
        sarcasm = self._sarcasm(doc, toks, by_kind)
        sarcastic_tokens = {i for s, _, _ in sarcasm for i in range(s.start, s.end)}
        for span, label, weight in sarcasm:
            found.append((span.start_char, span.end_char, label, "sarcasm", weight))

        emotional: list[tuple[int, int, str]] = []  # token start, end, label: for intensifiers
        for kind, spans in (("lexicon", lexicon_spans), ("negatable", negatable_spans),
                            ("deadline", filter_spans(by_kind["deadline"]))):
            for span in spans:
                _, label, weight = span.label_.split("|")
                weight = float(weight)
                if label == "positive" and any(i in sarcastic_tokens for i in range(span.start, span.end)):
                    continue
                neg = self._negator_before(toks, span)
                if neg is not None:
                    if kind == "negatable" or label == "positive":
                        first = toks[span.start].norm_
                        new_label = self._negatable.get(first, "disappointment")
                        found.append((toks[neg].idx, span.end_char, new_label, "negation", 0.8))
                        emotional.append((neg, span.end, new_label))
                    else:
                        # "not angry": shown as the reason the label is not anger, weighs nothing.
                        found.append((toks[neg].idx, span.end_char, "neutral", "negation", 0.0))
                    continue
                if kind == "negatable":
                    continue
                found.append((span.start_char, span.end_char, label, kind, weight))
                emotional.append((span.start, span.end, label))

        for kind in ("repeat_contact", "waiting", "escalation"):
            for span in filter_spans(by_kind[kind]):
                _, label, weight = span.label_.split("|")
                found.append((span.start_char, span.end_char, label, kind, float(weight)))
                emotional.append((span.start, span.end, label))

        covered = {(k, i) for s, e, _, k, _ in found for i in range(s, e)}
        found.extend(self._token_rules(doc, toks, covered, emotional))
        found.extend(self._intensifiers(toks, emotional))
        found.extend(self._emoji_cues(text))
        for m in _QUOTED.finditer(text) if any(q in text for q in _QUOTES) else ():
            found.append((m.start(), m.end(), "frustration", "sarcasm", 0.7))
        found.extend(self._contextual(text, found))

        found.sort(key=lambda f: (f[0], f[1], f[3]))
        result = []
        seen = set()
        for start, end, label, kind, weight in found:
            if (start, end, kind) in seen:
                continue
            seen.add((start, end, kind))
            result.append((Cue(start, end, text[start:end], label, kind), weight))
        return result

    # -- pieces ---------------------------------------------------------------------------------
    def _negator_before(self, toks, span) -> int | None:
        """Index of a negator within reach before `span` ("not happy"), or None."""
        if any(t.norm_ in lx.NEGATORS or t.norm_ == "not" for t in toks[span.start : span.end]):
            return None  # the phrase carries its own negation ("don't understand")
        stop = max(0, span.start - self.max_negation_distance)
        for i in range(span.start - 1, stop - 1, -1):
            norm = toks[i].norm_
            if norm in lx.CLAUSE_BREAKS or norm in _SENTENCE_END:
                return None
            if norm in lx.NEGATORS or norm == "not":
                between = {toks[j].norm_ for j in range(i + 1, span.start)}
                head = toks[span.start].lower_
                if between & _NOT_BETWEEN_KEEP or head.endswith(("ier", "er")) and "be" in between:
                    return None  # "never been so happy", "couldn't be happier": intensified, not negated
                return i
        return None

    def _sarcasm(self, doc: Doc, toks, by_kind) -> list:
        negative_found = any(
            span.label_.split("|")[1] not in ("positive", "neutral")
            for kind in ("lexicon", "repeat_contact", "waiting", "escalation")
            for span in by_kind[kind]
        )

        def negative_context(after: int, exclude=range(0)) -> bool:
            if negative_found:
                return True
            return any(toks[i].lower_ in lx.NEGATIVE_CONTEXT for i in range(after, len(toks)) if i not in exclude)

        out = []
        for span in filter_spans(by_kind["sarcasm_always"]):
            _, label, weight = span.label_.split("|")
            out.append((span, label, float(weight)))
        for span in filter_spans(by_kind["sarcasm_context"]):
            _, label, weight = span.label_.split("|")
            if negative_context(0, range(span.start, span.end)):
                out.append((span, label, float(weight)))
        # "Great, another delay": a positive word, a pause, and a contradicting continuation.
        n = len(toks)
        for i, token in enumerate(toks):
            if token.lower_ not in lx.SARCASM_POSITIVE:
                continue
            j = i + 1
            while j < n and j <= i + 2 and toks[j].is_punct:
                j += 1
            if j == i + 1 or j >= n or toks[j].lower_ not in lx.SARCASM_NEXT:
                continue
            if any(toks[k].lower_ in lx.NEGATIVE_CONTEXT for k in range(j, min(n, j + 8))):
                out.append((_Span(toks, i, j + 1), "frustration", 0.9))
        spans = filter_spans([s for s, _, _ in out])
        keep = {(s.start, s.end) for s in spans}
        return [(s, label, w) for s, label, w in out if (s.start, s.end) in keep]

    def _token_rules(self, doc: Doc, toks, covered, emotional) -> list:
        """Rules that need a look around: durations, deadlines next to a need, threats, bare "again"."""
        out = []
        n = len(toks)
        sentence_start = 0
        need_seen = False
        polite_seen = False
        for i, token in enumerate(toks):
            low = token.lower_
            if low in _SENTENCE_END or token.is_space and "\n" in token.text:
                sentence_start, need_seen, polite_seen = i + 1, False, False
                continue
            if low not in _RULE_WORDS and not token.like_num:
                continue
            nxt = toks[i + 1].lower_ if i + 1 < n else ""
            if low in _NEED_WORDS or (low in ("have", "has", "got") and nxt == "to"):
                need_seen = True
            if low in lx.AGAIN_POLITE:
                polite_seen = True
            # "two weeks", "a couple of days" after "for"/"been" or before "ago"
            if token.like_num or low in lx.DURATION_NUMBERS:
                u = i + 1
                if u < n and toks[u].lower_ == "of":
                    u += 1
                if u < n and toks[u].lower_ in lx.DURATION_UNITS:
                    before = {toks[k].lower_ for k in range(max(0, i - 2), i)}
                    after = toks[u + 1].lower_ if u + 1 < n else ""
                    # "after a week" is a product's life span; "for a week", "a week ago" is a wait
                    waits = lx.WAIT_BEFORE - {"after"} if low in ("a", "an") else lx.WAIT_BEFORE
                    if before & waits or after in lx.WAIT_AFTER or (i == sentence_start and low not in ("a", "an")):
                        end = u + 2 if after in lx.WAIT_AFTER else u + 1
                        span = _Span(toks, i, end)
                        if ("waiting", span.start_char) not in covered:
                            out.append((span.start_char, span.end_char, "frustration", "waiting", 0.8))
                            emotional.append((i, end, "frustration"))
            # "today" / "by Friday" count as a deadline when the sentence asks for something
            after_next = toks[i + 2].lower_ if i + 2 < n else ""
            event = low in lx.DEADLINE_PREPS and nxt in ("the", "my", "our") and after_next in lx.EVENTS
            before_day = low == "before" and nxt in lx.WEEKDAYS  # "before Friday" needs no "need"
            if before_day or event or need_seen and (
                    low in lx.DEADLINE_WORDS or (low in lx.DEADLINE_PREPS and nxt in lx.WEEKDAYS)):
                end = i + 3 if event else i + 2 if low in lx.DEADLINE_PREPS else i + 1
                span = _Span(toks, i, end)
                if ("deadline", span.start_char) not in covered and low != "now":
                    out.append((span.start_char, span.end_char, "urgency", "deadline", 0.8))
                    emotional.append((i, end, "urgency"))
            # "I'll cancel", "or I'm leaving"
            if low in lx.CANCEL_WORDS:
                before = {toks[k].norm_ for k in range(max(sentence_start, i - 3), i)} | {
                    toks[k].lower_ for k in range(max(sentence_start, i - 3), i)}
                later = {toks[k].lower_ for k in range(i + 1, min(n, i + 5))}
                if before & lx.THREAT_BEFORE or later & {"immediately", "everything"}:
                    out.append((token.idx, token.idx + len(token.text), "anger", "escalation", 0.8))
                    emotional.append((i, i + 1, "anger"))
            if low in ("times", "twice") and i > 0 and (toks[i - 1].like_num or toks[i - 1].lower_ in lx.DURATION_NUMBERS
                                                        or low == "twice") and ("repeat_contact", token.idx) not in covered:
                verbs = {toks[k].lower_ for k in range(max(sentence_start, i - 5), i)}
                if low == "times" or verbs & lx.CONTACT_VERBS:
                    first = i - 1 if low == "times" else i
                    out.append((toks[first].idx, token.idx + len(token.text), "frustration", "repeat_contact", 0.8))
                    emotional.append((first, i + 1, "frustration"))
            # "what does 'error 0x8004' mean?"
            if low in ("mean", "means") and i > 1:
                for k in range(i - 1, max(sentence_start, i - 9) - 1, -1):
                    if toks[k].lower_ == "what" and k + 1 < i and toks[k + 1].lower_ in ("does", "do", "is", "did"):
                        out.append((toks[k].idx, token.idx + len(token.text), "confusion", "lexicon", 0.9))
                        emotional.append((k, i + 1, "confusion"))
                        break
            if low == "again" and not polite_seen and ("repeat_contact", token.idx) not in covered:
                out.append((token.idx, token.idx + len(token.text), "frustration", "repeat_contact", 0.6))
                emotional.append((i, i + 1, "frustration"))
        return out

    def _intensifiers(self, toks, emotional) -> list:
        out = []
        taken = set()
        for start, end, label in emotional:
            if label == "neutral":
                continue
            for i in range(start - 1, max(-1, start - 3), -1):
                low = toks[i].lower_
                if low in lx.INTENSIFIERS or _ELONGATED.match(low):
                    if i not in taken:
                        taken.add(i)
                        out.append((toks[i].idx, toks[i].idx + len(toks[i].text), label, "intensifier", 0.3))
                elif not (toks[i].is_punct and toks[i].text == ","):
                    break
        return out

    def _emoji_cues(self, text: str) -> list:
        out = []
        if text.isascii() and not any(ch in text for ch in _EMOTICON_CHARS):
            return out  # the common case, without running the long alternation
        for m in self._emoji_re.finditer(text):
            label, weight = self._emoji[m.group()]
            out.append((m.start(), m.end(), label, "emoji", weight))
        return out

    @staticmethod
    def _contextual(text: str, found) -> list:
        """SHOUTING and "!!!" take the label the rest of the message points to."""
        totals: dict[str, float] = defaultdict(float)
        for _, _, label, _, weight in found:
            if label != "neutral":
                totals[label] += weight
        context = max(totals, key=totals.get) if totals else None
        out = []
        run_start = run_end = None
        strong = False
        def shout_weight(start: int, end: int) -> float:
            # One loud word is emphasis; a whole message in capitals is shouting.
            letters = sum(map(str.isalpha, text)) or 1
            return 0.4 + 0.6 * min(1.0, sum(map(str.isalpha, text[start:end])) / letters)
        for m in _SHOUT_WORD.finditer(text):
            word = m.group().replace("'", "").replace("’", "")
            is_strong = len(word) >= 3 and word not in lx.ACRONYMS
            if run_end is not None and not any(ch.isalnum() for ch in text[run_end : m.start()]):
                run_end, strong = m.end(), strong or is_strong
                continue
            if run_start is not None and strong:
                out.append((run_start, run_end, context or "anger", "shouting", shout_weight(run_start, run_end)))
            run_start, run_end, strong = m.start(), m.end(), is_strong
        if run_start is not None and strong:
            out.append((run_start, run_end, context or "anger", "shouting", shout_weight(run_start, run_end)))
        for m in _PUNCT_RUN.finditer(text):
            run = m.group()
            default = "confusion" if "!" not in run else ("frustration" if "?" in run else "frustration")
            out.append((m.start(), m.end(), context or default, "punctuation", 0.25))
        return out


@Language.factory("assist_cues", default_config={"max_negation_distance": 4})
def make_cue_matcher(nlp: Language, name: str, *, max_negation_distance: int) -> CueMatcher:
    return CueMatcher(nlp, name, max_negation_distance=max_negation_distance)


class EmotionScorer:
    """Combines `doc.cats` (seven model groups, optional) with the cues into the nine EMOTIONS.

    `model_weight` is how much the classifier counts against the cues (a cue weighs up to 1) in
    support context, where the rules carry most of the accuracy. A message with no support topic is
    scored in scoring's GENERAL regime instead, where the classifier leads (on GoEmotions every cue
    costs a little; benchmarks/bench_accuracy.py --analyzer prints the whole analyzer there).
    """

    def __init__(self, nlp: Language, name: str, *, model_weight: float):
        self.name = name
        self.model_weight = model_weight

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._  # each `doc._` builds a new accessor: take it once
        evidence = ext.assist_evidence or []
        lang = ext.assist_lang if Doc.has_extension("assist_lang") else "en"
        lang_conf = ext.assist_lang_confidence if Doc.has_extension("assist_lang_confidence") else 1.0
        # A support topic (order, bill, account...) says the cues' support-chat reading applies; without
        # one, the classifier leads (scoring's two regimes). No topics component: assume support chat.
        topics = ext.assist_topics if Doc.has_extension("assist_topics") else None
        support = not topics or any(t != "other" for t in topics)
        result = scoring.combine(doc.cats or None, evidence, lang=lang or "en", lang_confidence=lang_conf,
                                 model_weight=self.model_weight, has_text=bool(doc_text(doc).strip()),
                                 support_context=support)
        ext.assist_scores = result.scores
        ext.assist_intensity = result.intensity
        ext.assist_confidence = result.confidence
        ext.assist_needs_ack = result.needs_acknowledgment
        return doc


@Language.factory("assist_emotion", default_config={"model_weight": 1.5})
def make_emotion_scorer(nlp: Language, name: str, *, model_weight: float) -> EmotionScorer:
    return EmotionScorer(nlp, name, model_weight=model_weight)


__all__ = ["CueMatcher", "EmotionScorer"]
