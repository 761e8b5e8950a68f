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
from operator import add, itemgetter

from spacy.language import Language
from spacy.attrs import IDX, NORM, ORTH
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

_SENTENCE_END = frozenset({".", "!", "?", "\n"})
_NEGATORS = lx.NEGATORS | {"not"}
_ELONGATED = re.compile(r"^(?:so{3,}|ver+y+|real+y{2,}|reall+y+)$")
# An upper-case word: no word character before or after it. The look-behind comes after the first
# letter (and looks two characters back) so the regex engine can skip ahead to capitals instead of
# testing the look-behind at every position of the message; what it matches is unchanged.
_SHOUT_WORD = re.compile(r"[A-Z](?<!\w.)(?:[A-Z'’]*[A-Z])?(?!\w)")
_PUNCT_RUN = re.compile(r"[!?]{2,}")
_QUOTED = re.compile(
    r"[\"“”‘’']\s*(help|helpful|service|support|customer service|express|fast|quick|premium|priority|"
    r"guaranteed|next[- ]day)\s*[\"“”‘’']",
    re.IGNORECASE,
)
_QUOTES = "\"“”‘’'"
_EMOTICON_CHARS = ":;<-"
_NOT_BETWEEN_KEEP = frozenset({"been", "more"})  # "never been so angry", "couldn't be more upset"
# A negator right before these is about the verb, not the feeling: "I can't stop crying",
# "can't help feeling cheated" say the feeling is there.
_NEGATED_VERB_KEEPS = frozenset({"stop", "help"})
_COUNTDOWN_UNITS = frozenset({"min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours"})
# Waiting on someone ("on hold for 40 mins", "still waiting", "no reply") is support chat even when the
# message names no order, bill or account; a bare duration ("10 years ago") is not.
# ("We waited two hours in line" is a story, not a complaint about us.)
_WAITING_ON_US = re.compile(r"hold|still waiting|been waiting|waiting (?:for|on)|repl|answer|respon|hear",
                            re.IGNORECASE)
_NEED_WORDS = frozenset({"need", "needs", "needed", "must", "require", "required", "gotta", "asap", "urgent",
                         "please", "pls"})
# Every word a rule in `_token_rules` starts from (numbers aside): the rest of the tokens skip the rules.
_RULE_WORDS = _NEED_WORDS | {"have", "has", "got", "times", "twice", "mean", "means", "again"} | (
    lx.AGAIN_POLITE | lx.DURATION_NUMBERS | lx.DEADLINE_PREPS | lx.DEADLINE_WORDS | lx.CANCEL_WORDS)


class _Tokens:
    """The few token attributes the rules read, one list per attribute, indexed by token.

    spaCy's Token objects are rebuilt on every `doc[i]`, which made them the cue matcher's main cost;
    a list index is the cheapest read Python has. Only ORTH, NORM and IDX come from the Doc (one
    `to_array` call): everything else depends on the word alone and comes from the matcher's word cache.
    """

    __slots__ = ("lower", "norm", "start", "end", "punct", "num", "breaks", "rule", "n")

    def __init__(self, lower, norm, start, end, punct, num, breaks, rule):
        self.lower, self.norm, self.start, self.end = lower, norm, start, end  # start, end: character offsets
        self.punct, self.num = punct, num  # is_punct, like_num
        self.breaks = breaks  # ends a sentence: . ! ? or a line break
        self.rule = rule  # a word `_token_rules` starts from (or a number)
        self.n = len(lower)


class _Span:
    """A matched stretch of tokens, duck-typed like spaCy's Span for `filter_spans` (cheaper to make)."""

    __slots__ = ("start", "end", "start_char", "end_char", "label", "weight")

    def __init__(self, toks: _Tokens, start: int, end: int, label: str = "", weight: float = 0.0):
        self.start, self.end, self.label, self.weight = start, end, label, weight
        self.start_char, self.end_char = toks.start[start], toks.end[end - 1]


def _longest(spans: list) -> list:
    """`filter_spans` (the longest of overlapping spans), skipped when there is nothing to choose."""
    return spans if len(spans) < 2 else filter_spans(spans)


_TOKEN_ATTRS = [ORTH, NORM, IDX]
# Entries in each of a matcher's per-word caches (word info by ORTH, string by NORM hash) before it
# starts afresh. The caches belong to the matcher, so they go with its pipeline when the Analyzer
# recycles it (then they never hold more words than its vocab); this bound is for pipelines used
# on their own.
_CACHE_LIMIT = 200_000


def doc_text(doc: Doc, ext=None) -> str:
    """The text, as the language component keeps it (Doc.text rebuilds the string on each call).
    `ext`: the caller's `doc._`, when it has one (each `doc._` builds a new accessor)."""
    if not Doc.has_extension("assist_text"):
        return doc.text
    cached = (doc._ if ext is None else ext).assist_text
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
        self._rules: dict[int, tuple[str, str, float]] = {}  # match id -> kind, label, weight
        self._words: dict[int, tuple] = {}  # ORTH hash -> what `_tokens` needs of that word
        # NORM hash -> string: a dict lookup is a fraction of StringStore's.
        self._strings: dict[int, str] = {}
        self._emoji_re: re.Pattern | None = None
        self._emoji: dict[str, tuple[str, float]] = {}
        self._negatable: dict[str, str] = {}

    # -- the explicit loading step --------------------------------------------------------------
    def load(self, lexicon: lx.CueLexicon = lx.CUE_LEXICON) -> "CueMatcher":
        """Build the matchers from `lexicon`. NORM folds case and contractions ("dont" = "do not")."""
        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        rules: dict[int, tuple[str, str, float]] = {}
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
        self.matcher, self._rules = matcher, rules
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
        toks = self._tokens(doc)
        found: list[tuple[int, int, str, str, float]] = []  # start_char, end_char, label, kind, weight
        by_kind: dict[str, list[_Span]] = defaultdict(list)
        rules = self._rules
        for match_id, start, end in self.matcher(doc):
            kind, label, weight = rules[match_id]
            by_kind[kind].append(_Span(toks, start, end, label, weight))
        lexicon_spans = _longest(by_kind["lexicon"])
        lexicon_tokens = {i for s in lexicon_spans for i in range(s.start, s.end)}
        # "not sure" is a confusion phrase already: its "sure" is not negated a second time.
        negatable_spans = [s for s in by_kind["negatable"] if lexicon_tokens.isdisjoint(range(s.start, s.end))]

        # Sarcasm first: a positive word it covers is not praise.
        sarcasm = self._sarcasm(toks, by_kind)
        sarcastic_tokens = {i for s, _, _ in sarcasm for i in range(s.start, s.end)}
        for span, label, weight in sarcasm:
            found.append((span.start_char, span.end_char, label, "sarcasm", weight))

        emotional: list[tuple[int, int, str]] = []  # token start, end, label: for intensifiers
        for kind, spans in (("lexicon", lexicon_spans), ("negatable", negatable_spans),
                            ("deadline", _longest(by_kind["deadline"]))):
            for span in spans:
                label = span.label
                if label == "positive" and not sarcastic_tokens.isdisjoint(range(span.start, span.end)):
                    continue
                neg = self._negator_before(toks, span)
                if neg is not None:
                    if kind == "negatable" or label == "positive":
                        new_label = self._negatable.get(toks.norm[span.start], "disappointment")
                        found.append((toks.start[neg], span.end_char, new_label, "negation", 0.8))
                        emotional.append((neg, span.end, new_label))
                    else:
                        # "not angry": shown as the reason the label is not anger, weighs nothing.
                        found.append((toks.start[neg], span.end_char, "neutral", "negation", 0.0))
                    continue
                if kind == "negatable":
                    continue
                found.append((span.start_char, span.end_char, label, kind, span.weight))
                emotional.append((span.start, span.end, label))

        for kind in ("repeat_contact", "waiting", "escalation"):
            for span in _longest(by_kind[kind]):
                found.append((span.start_char, span.end_char, span.label, kind, span.weight))
                emotional.append((span.start, span.end, span.label))

        found.extend(self._token_rules(toks, tuple(found), emotional))
        found.extend(self._intensifiers(toks, emotional))
        found.extend(self._emoji_cues(text))
        for m in _QUOTED.finditer(text) if any(q in text for q in _QUOTES) else ():
            found.append((m.start(), m.end(), "frustration", "sarcasm", 0.7))
        found.extend(self._contextual(text, found))

        found.sort(key=itemgetter(0, 1, 3))  # start, end, kind; stable, so the first found of a tie stays
        result = []
        seen = set()
        for start, end, label, kind, weight in found:
            if (start, end, kind) in seen:
                continue
            seen.add((start, end, kind))
            result.append((Cue(start, end, text[start:end], label, kind), weight))
        return result

    # -- pieces ---------------------------------------------------------------------------------
    def _tokens(self, doc: Doc) -> _Tokens:
        """The token columns of `doc` (see `_Tokens`)."""
        words, strings = self._words, self._strings
        if len(words) > _CACHE_LIMIT:
            words.clear()
        if len(strings) > _CACHE_LIMIT:
            strings.clear()
        orths, norms, starts = doc.to_array(_TOKEN_ATTRS).T.tolist()
        known = words.get
        info = [known(o) or self._word(doc, o) for o in orths]  # an entry is a non-empty tuple
        lower, length, punct, num, breaks, rule = zip(*info) if info else ((),) * 6
        norm = [strings[h] if h in strings else strings.setdefault(h, doc.vocab.strings[h]) for h in norms]
        ends = list(map(add, starts, length))
        return _Tokens(lower, norm, starts, ends, punct, num, breaks, rule)

    def _word(self, doc: Doc, orth: int) -> tuple:
        """What the rules need of one word, remembered by its ORTH hash (lexeme attributes: the same
        for every token of that word)."""
        lex = doc.vocab[orth]
        lower, num = lex.lower_, lex.like_num
        breaks = lower in _SENTENCE_END or lex.is_space and "\n" in lex.orth_
        info = (lower, len(lex.orth_), lex.is_punct, num, breaks, breaks or num or lower in _RULE_WORDS)
        self._words[orth] = info
        return info

    def _negator_before(self, toks: _Tokens, span: _Span) -> int | None:
        """Index of a negator within reach before `span` ("not happy"), or None."""
        norms = toks.norm
        if not _NEGATORS.isdisjoint(norms[span.start : span.end]):
            return None  # the phrase carries its own negation ("don't understand")
        stop = max(0, span.start - self.max_negation_distance)
        for i in range(span.start - 1, stop - 1, -1):
            norm = norms[i]
            if norm in lx.CLAUSE_BREAKS or norm in _SENTENCE_END:
                return None
            if norm in _NEGATORS:
                between = set(norms[i + 1 : span.start])
                head = toks.lower[span.start]
                if between & _NOT_BETWEEN_KEEP or head.endswith(("ier", "er")) and "be" in between:
                    return None  # "never been so happy", "couldn't be happier": intensified, not negated
                if i + 1 < span.start and norms[i + 1] in _NEGATED_VERB_KEEPS:
                    return None
                return i
        return None

    def _sarcasm(self, toks: _Tokens, by_kind) -> list:
        lower, n = toks.lower, toks.n
        negative_found = any(
            span.label not in ("positive", "neutral")
            for kind in ("lexicon", "repeat_contact", "waiting", "escalation")
            for span in by_kind[kind]
        )

        def negative_context(exclude: range) -> bool:
            if negative_found:
                return True
            return any(lower[i] in lx.NEGATIVE_CONTEXT for i in range(n) if i not in exclude)

        out = []
        for span in _longest(by_kind["sarcasm_always"]):
            out.append((span, span.label, span.weight))
        for span in _longest(by_kind["sarcasm_context"]):
            if negative_context(range(span.start, span.end)):
                out.append((span, span.label, span.weight))
        # "Great, another delay": a positive word, a pause, and a contradicting continuation.
        for i in [i for i, low in enumerate(lower) if low in lx.SARCASM_POSITIVE]:
            j = i + 1
            while j < n and j <= i + 2 and toks.punct[j]:
                j += 1
            if j == i + 1 or j >= n or lower[j] not in lx.SARCASM_NEXT:
                continue
            if any(lower[k] in lx.NEGATIVE_CONTEXT for k in range(j, min(n, j + 8))):
                out.append((_Span(toks, i, j + 1), "frustration", 0.9))
        if len(out) < 2:
            return out
        keep = {(s.start, s.end) for s in filter_spans([s for s, _, _ in out])}
        return [(s, label, w) for s, label, w in out if (s.start, s.end) in keep]

    def _token_rules(self, toks: _Tokens, found: tuple, emotional) -> list:
        """Rules that need a look around: durations, deadlines next to a need, threats, bare "again".

        `found`: the cues so far; a rule does not repeat a cue of its kind that covers the same place."""
        def covered(kind: str, char: int) -> bool:
            return any(s <= char < e for s, e, _, k, _ in found if k == kind)

        out = []
        lower, norm, starts, ends, num, n = toks.lower, toks.norm, toks.start, toks.end, toks.num, toks.n
        sentence_start = 0
        need_seen = False
        polite_seen = False
        for i in [i for i, r in enumerate(toks.rule) if r]:  # sentence breaks, rule words and numbers
            low = lower[i]
            if toks.breaks[i]:
                sentence_start, need_seen, polite_seen = i + 1, False, False
                continue
            nxt = lower[i + 1] if i + 1 < n else ""
            if low in _NEED_WORDS or (low in ("have", "has", "got") and nxt == "to"):
                need_seen = True
            if low in lx.AGAIN_POLITE:
                polite_seen = True
            # "two weeks", "a couple of days" after "for"/"been" or before "ago"
            if num[i] or low in lx.DURATION_NUMBERS:
                u = i + 1
                if u < n and lower[u] == "of":
                    u += 1
                # "a demo in 40 min", "they close in an hour": a clock running down is a deadline
                if i > 0 and lower[i - 1] == "in" and u < n and lower[u] in _COUNTDOWN_UNITS \
                        and not covered("deadline", starts[i - 1]):
                    out.append((starts[i - 1], ends[u], "urgency", "deadline", 0.7))
                    emotional.append((i - 1, u + 1, "urgency"))
                if u < n and lower[u] in lx.DURATION_UNITS:
                    before = set(lower[max(0, i - 2) : i])
                    after = lower[u + 1] if u + 1 < n else ""
                    # "after a week" is a product's life span; "for a week", "a week ago" is a wait
                    waits = lx.WAIT_BEFORE - {"after"} if low in ("a", "an") else lx.WAIT_BEFORE
                    if before & waits or after in lx.WAIT_AFTER or (i == sentence_start and low not in ("a", "an")):
                        end = u + 2 if after in lx.WAIT_AFTER else u + 1
                        if not covered("waiting", starts[i]):
                            out.append((starts[i], ends[end - 1], "frustration", "waiting", 0.8))
                            emotional.append((i, end, "frustration"))
            # "today" / "by Friday" count as a deadline when the sentence asks for something
            after_next = lower[i + 2] if i + 2 < n else ""
            event = low in lx.DEADLINE_PREPS and nxt in ("the", "my", "our") and after_next in lx.EVENTS
            before_day = low == "before" and nxt in lx.WEEKDAYS  # "before Friday" needs no "need"
            if before_day or event or need_seen and (
                    low in lx.DEADLINE_WORDS or (low in lx.DEADLINE_PREPS and nxt in lx.WEEKDAYS)):
                end = i + 3 if event else i + 2 if low in lx.DEADLINE_PREPS else i + 1
                if not covered("deadline", starts[i]) and low != "now":
                    out.append((starts[i], ends[end - 1], "urgency", "deadline", 0.8))
                    emotional.append((i, end, "urgency"))
            # "I'll cancel", "or I'm leaving"
            if low in lx.CANCEL_WORDS:
                first = max(sentence_start, i - 3)
                before = set(norm[first:i]) | set(lower[first:i])
                later = set(lower[i + 1 : min(n, i + 5)])
                if before & lx.THREAT_BEFORE or later & {"immediately", "everything"}:
                    out.append((starts[i], ends[i], "anger", "escalation", 0.8))
                    emotional.append((i, i + 1, "anger"))
            if low in ("times", "twice") and i > 0 and (num[i - 1] or lower[i - 1] in lx.DURATION_NUMBERS
                                                        or low == "twice") and not covered("repeat_contact", starts[i]):
                verbs = set(lower[max(sentence_start, i - 5) : i])
                if low == "times" or verbs & lx.CONTACT_VERBS:
                    first = i - 1 if low == "times" else i
                    out.append((starts[first], ends[i], "frustration", "repeat_contact", 0.8))
                    emotional.append((first, i + 1, "frustration"))
            # "what does 'error 0x8004' mean?"
            if low in ("mean", "means") and i > 1:
                for k in range(i - 1, max(sentence_start, i - 9) - 1, -1):
                    if lower[k] == "what" and k + 1 < i and lower[k + 1] in ("does", "do", "is", "did"):
                        out.append((starts[k], ends[i], "confusion", "lexicon", 0.9))
                        emotional.append((k, i + 1, "confusion"))
                        break
            if low == "again" and not polite_seen and not covered("repeat_contact", starts[i]):
                out.append((starts[i], ends[i], "frustration", "repeat_contact", 0.6))
                emotional.append((i, i + 1, "frustration"))
        return out

    def _intensifiers(self, toks: _Tokens, emotional) -> list:
        out = []
        taken = set()
        lower = toks.lower
        for start, end, label in emotional:
            if label == "neutral":
                continue
            for i in range(start - 1, max(-1, start - 3), -1):
                low = lower[i]
                if low in lx.INTENSIFIERS or _ELONGATED.match(low):
                    if i not in taken:
                        taken.add(i)
                        out.append((toks.start[i], toks.end[i], label, "intensifier", 0.3))
                elif not (toks.punct[i] and low == ","):
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
        support = (not topics or any(t != "other" for t in topics)
                   or any(cue.kind == "waiting" and _WAITING_ON_US.search(cue.text) for cue, _ in evidence))
        result = scoring.combine(doc.cats or None, evidence, lang=lang or "en", lang_confidence=lang_conf,
                                 model_weight=self.model_weight, has_text=bool(doc_text(doc, ext).strip()),
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
