"""Text in, `Analysis` out: the customer's emotion, why, what about, and whether the draft acknowledges it.

    analyzer = Analyzer()                     # nothing loaded yet: cheap
    analyzer.load()                           # optional warm-up (the overlay does it off the GUI thread)
    analysis = analyzer.analyze(customer, draft, history)
    for analysis in analyzer.analyze_many(items): ...

Loading is lazy and guarded by a lock, so any thread may call first. The customer side (emotion,
cues, topics, trend) is cached per (customer, history): while the agent types, only the draft is
re-read, which costs a tokenizer pass and one matcher. Offsets in cues and spans refer to the text
as given (control characters count as one character each). Text longer than MAX_CHARS is cut
(`truncated: true`) so a pasted megabyte never stalls the overlay.

Memory: spaCy's StringStore keeps every string it has seen (and the Vocab a Lexeme for each word)
for the life of the pipeline, and an audit of millions of messages sees millions of order numbers,
addresses and typos. Once the pipeline has learned more than `string_limit` strings from text
(STRING_LIMIT by default; 0 never), the Analyzer swaps in the same pipeline on a fresh vocab
(`pipeline.rebuild`: the loaded model and rule data are reused, about a tenth of a second) after
the call or batch that passed the limit, under the same lock as the analysis. Results never change:
nothing a result depends on lives in the vocab. `recycles` counts the swaps.

Parallelism: `analyze_many` runs in the calling process (spaCy's `n_process` would pickle the
pipeline into every worker for no gain here); callers that want every core run one Analyzer per
worker process, as the audit engine does.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from . import scoring
from .labels import EMOTIONS, NEGATIVE_EMOTIONS
from .types import AckSpan, Acknowledgment, Analysis

log = logging.getLogger(__name__)

MAX_CHARS = 5000  # a chat message is rarely a tenth of this; beyond it we cut at a word boundary
CACHE_SIZE = 256
# Strings learned from text before the pipeline is recycled. Each costs about 0.65 KB: ~0.36 KB in
# spaCy (the string and, for a word, its Lexeme), the rest in the cue matcher's per-word caches, which
# go with the pipeline. 50,000 hold that to ~35 MB, so peak RSS stays within the 250 MB target even
# on a stream of mostly new words (~225 MB after 300,000 such messages; benchmarks/bench_memory.py),
# while a recycle (~0.1 s) comes at most every ~12,000 messages there (a few % of the batch time;
# real chat learns far fewer strings per message); an overlay's shift never gets near it.
STRING_LIMIT = 50_000
HISTORY_USED = 5  # earlier customer messages that shape intensity and trend
TREND_STEP = 0.12
GENERIC_COVERS_MIN = 0.15
CUSTOMER_FEELING_MIN = 0.25  # a secondary feeling a draft may acknowledge instead of the primary one
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control characters (C0 and C1 except tab, newline, carriage return) become spaces: same length, so
# offsets stay true to the input, and the tokenizer never sees them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Prepared:
    text: str  # the input, cut to MAX_CHARS, lone surrogates replaced: what offsets refer to
    clean: str  # the same length, control characters as spaces: what the pipeline reads
    truncated: bool


def prepare(text: str) -> Prepared:
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    truncated = len(text) > MAX_CHARS
    if truncated:
        cut = text.rfind(" ", MAX_CHARS - 200, MAX_CHARS)
        text = text[: cut if cut > 0 else MAX_CHARS]
    text = _SURROGATE.sub("\ufffd", text)
    return Prepared(text, _CONTROL.sub(" ", text), truncated)


@dataclass(frozen=True, slots=True)
class MessageView:
    """What one customer message says on its own."""

    scores: dict
    intensity: float
    confidence: float
    cues: tuple
    topics: tuple
    lang: str
    truncated: bool
    needs_ack: bool = False  # decided by the scoring (assist.core.scoring): the regime knows how sure to be

    @property
    def primary(self) -> str:
        return scoring.primary(self.scores)

    @property
    def heat(self) -> float:
        """How hot the message runs, 0..1: negative mass, louder when intense."""
        negativity = scoring.negativity(self.scores)
        return negativity * (0.5 + 0.5 * self.intensity) if self.primary in NEGATIVE_EMOTIONS else 0.5 * negativity


EMPTY_VIEW = MessageView(scoring.neutral_scores(), 0.0, 0.0, (), ("other",), "unknown", False)


class Analyzer:
    def __init__(self, model_dir: str | Path | None = None, *, use_model: bool = True, cache_size: int = CACHE_SIZE,
                 string_limit: int | None = None):
        self._model_dir = model_dir
        self._use_model = use_model
        self._cache_size = cache_size
        # Strings learned from text before a recycle (None: STRING_LIMIT); 0 never recycles.
        self.string_limit = STRING_LIMIT if string_limit is None else string_limit
        self.recycles = 0  # how often the pipeline was rebuilt on a fresh vocab
        self._lock = threading.RLock()
        self._pipeline = None
        self._views: OrderedDict = OrderedDict()  # prepared customer text -> MessageView
        self._sides: OrderedDict = OrderedDict()  # (customer, history) -> Analysis without the draft

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> "Analyzer":
        """Build the pipeline now (it is otherwise built on first use). Safe from any thread."""
        with self._lock:
            if self._pipeline is None:
                from .pipeline import build

                self._pipeline = build(self._model_dir, use_model=self._use_model)
        return self

    @property
    def ready(self) -> bool:
        return self._pipeline is not None

    @property
    def warnings(self) -> list[str]:
        """Why results may be worse than usual (e.g. the emotion model is missing); empty until loaded,
        so a GUI thread may ask at any time without paying for the load."""
        pipeline = self._pipeline
        return list(pipeline.warnings) if pipeline is not None else []

    @property
    def has_model(self) -> bool:
        return self.load()._pipeline.has_model

    @property
    def nlp(self):
        return self.load()._pipeline.nlp

    # -- one message -----------------------------------------------------------------------------
    def analyze(self, customer: str = "", draft: str = "", history: Iterable[str] = ()) -> Analysis:
        history = tuple(_cache_key(h) for h in history)
        customer = _cache_key(customer)
        self.load()
        with self._lock:  # the pipeline is read (and may be swapped) only under the lock
            key = (customer, history)
            side = self._sides.get(key)
            if side is None:
                views = [self._view(text) for text in (*history[-HISTORY_USED:], customer)]
                side = self._remember(self._sides, key, _customer_side(views[-1], views[:-1]))
            else:
                self._sides.move_to_end(key)
            analysis = _with_draft(side, draft, self._pipeline)
            self._recycle_if_full()
            return analysis

    def _view(self, text: str) -> MessageView:
        view = self._views.get(text)
        if view is not None:
            self._views.move_to_end(text)
            return view
        prepared = prepare(text)
        if not prepared.clean.strip():
            view = replace(EMPTY_VIEW, truncated=prepared.truncated)
        else:
            nlp = self._pipeline.nlp
            view = _view_of(nlp(_make_doc(nlp, prepared.clean)), prepared)
        return self._remember(self._views, text, view)

    def _recycle_if_full(self) -> None:
        """Swap in the same pipeline on a fresh vocab once it has learned `string_limit` strings.
        Called with the lock held, between messages: no Doc of the old vocab is in use then."""
        pipeline = self._pipeline
        learned = pipeline.learned_strings
        if not self.string_limit or learned <= self.string_limit:
            return
        from .pipeline import rebuild

        started = time.perf_counter()
        try:
            self._pipeline = rebuild(pipeline)
        except Exception as exc:  # the old pipeline still works: keep it, try again after as many strings
            log.warning("analysis pipeline not recycled (%s); trying again later", type(exc).__name__)
            pipeline.base_strings += learned
            return
        self.recycles += 1
        # Counts only: the strings themselves are chat text.
        log.info("analysis pipeline recycled: %d strings learned (limit %d), %d recycle(s), %.0f ms",
                 learned, self.string_limit, self.recycles, (time.perf_counter() - started) * 1000)

    def _remember(self, cache: OrderedDict, key, value):
        cache[key] = value
        if len(cache) > self._cache_size:
            cache.popitem(last=False)
        return value

    # -- many messages ---------------------------------------------------------------------------
    def analyze_many(self, items: Iterable[dict], *, batch_size: int = 256) -> Iterator[Analysis]:
        """One Analysis per item, in order. Items are dicts with optional customer, draft, history."""
        self.load()
        iterator = iter(items)
        while True:
            chunk = list(islice(iterator, batch_size))
            if not chunk:
                return
            with self._lock:
                results = self._analyze_chunk(chunk, self._pipeline, batch_size)
                self._recycle_if_full()
            yield from results

    def _analyze_chunk(self, chunk: list[dict], pipeline, batch_size: int) -> list[Analysis]:
        parsed = []
        texts: dict[str, Prepared] = {}
        for item in chunk:
            customer = item.get("customer") or ""
            draft = item.get("draft") or ""
            history = tuple(item.get("history") or ())[-HISTORY_USED:]
            parsed.append((customer, draft, history))
            for text in (*history, customer):
                if text not in texts:
                    texts[text] = prepare(text)
        views: dict[str, MessageView] = {}
        to_run = [(text, prep) for text, prep in texts.items() if prep.clean.strip()]
        nlp = pipeline.nlp
        docs = nlp.pipe((_make_doc(nlp, prep.clean) for _, prep in to_run), batch_size=batch_size)
        for (text, prep), doc in zip(to_run, docs):
            views[text] = _view_of(doc, prep)
        for text, prep in texts.items():
            if text not in views:
                views[text] = replace(EMPTY_VIEW, truncated=prep.truncated)
        return [
            _with_draft(_customer_side(views[customer], [views[h] for h in history]), draft, pipeline)
            for customer, draft, history in parsed
        ]


def _cache_key(text):
    """Only the first MAX_CHARS characters (and whether there are more) shape the analysis, so a
    pasted megabyte is remembered by its first few kilobytes, not kept whole in the cache."""
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS + 1]


def _make_doc(nlp, text: str):
    """A tokenized Doc that remembers its text (spaCy's Doc.text rebuilds it from the tokens)."""
    doc = nlp.make_doc(text)
    doc._.assist_text = text
    return doc


def _view_of(doc, prepared: Prepared) -> MessageView:
    ext = doc._
    cues = tuple(cue for cue, _ in (ext.assist_evidence or ()))
    if prepared.clean != prepared.text:
        cues = tuple(replace(c, text=prepared.text[c.start : c.end]) for c in cues)
    return MessageView(
        scores=ext.assist_scores,
        intensity=ext.assist_intensity,
        confidence=ext.assist_confidence,
        cues=cues,
        topics=tuple(ext.assist_topics),
        lang=ext.assist_lang,
        truncated=prepared.truncated,
        needs_ack=ext.assist_needs_ack,
    )


def _customer_side(current: MessageView, history: list[MessageView]) -> Analysis:
    """The Analysis of the customer's message in its conversation, before any draft."""
    top = current.primary
    intensity = current.intensity
    trend = "steady"
    if history:
        earlier = [v for v in history if v.confidence > 0]
        if earlier:
            # Frustration that repeats or grows across messages runs hotter than one message shows.
            if top in NEGATIVE_EMOTIONS:
                repeats = sum(1 for v in earlier if v.primary in NEGATIVE_EMOTIONS)
                growing = current.heat > earlier[-1].heat + 0.05
                intensity = min(1.0, intensity + 0.08 * min(repeats, 3) + (0.08 if growing and repeats else 0.0))
            reference = sum(v.heat for v in earlier[-2:]) / len(earlier[-2:])
            delta = current.heat - reference
            trend = "rising" if delta > TREND_STEP else "falling" if delta < -TREND_STEP else "steady"
    topics = current.topics
    if topics == ("other",):
        # "Still nothing." is about whatever the conversation was about.
        topics = next((v.topics for v in reversed(history) if v.topics != ("other",)), topics)
    needs = current.needs_ack
    return Analysis(
        emotion=top,
        scores=current.scores,
        intensity=round(intensity, 3),
        level=scoring.level(intensity),
        needs_acknowledgment=needs,
        cues=current.cues,
        topics=topics,
        trend=trend,
        lang=current.lang,
        confidence=current.confidence,
        truncated=current.truncated,
    )


def _with_draft(side: Analysis, draft: str, pipeline) -> Analysis:
    if not isinstance(draft, str):
        raise TypeError(f"expected the draft as text, got {type(draft).__name__}")
    if not draft.strip():
        return side
    prepared = prepare(draft)
    matches = pipeline.acknowledgment.find(pipeline.nlp.make_doc(prepared.clean))
    generic = tuple(
        label for label in EMOTIONS
        if label in NEGATIVE_EMOTIONS and (label == side.emotion or side.scores.get(label, 0) >= GENERIC_COVERS_MIN)
    ) or ("frustration", "disappointment")
    spans, covered = [], set()
    for match in matches:
        covers = generic if match.covers is None else match.covers
        covered.update(covers)
        label = "apology" if match.kind == "apology" else (covers[0] if covers else "neutral")
        spans.append(AckSpan(match.start, match.end, prepared.text[match.start : match.end], label, match.kind))
    covers = tuple(label for label in EMOTIONS if label in covered)
    acknowledgment = Acknowledgment(
        covers=covers,
        matches_customer=side.emotion in covered,
        apology=any(s.kind == "apology" for s in spans),
        spans=tuple(spans),
    )
    acknowledged = _acknowledges(side, matches, spans)
    return replace(side, acknowledged=acknowledged, acknowledgment=acknowledgment,
                   truncated=side.truncated or prepared.truncated)


def _acknowledges(side: Analysis, matches, spans) -> bool:
    """Judged with the customer as context: "thanks for your patience" acknowledges a customer who
    waited, not one who is heartbroken; "I hear you" (covers follow the customer) and a real apology
    always count (an apology owns that something went wrong, whatever the feeling: `covers` and
    `matches_customer` still say whether it names this customer's)."""
    if side.emotion not in NEGATIVE_EMOTIONS:
        return any(span.label != "neutral" for span in spans)
    if any(match.kind == "apology" for match in matches):
        return True
    feelings = {side.emotion} | {
        label for label in NEGATIVE_EMOTIONS if side.scores.get(label, 0.0) >= CUSTOMER_FEELING_MIN
    }
    return any(match.covers is None or feelings & set(match.covers) for match in matches)


__all__ = ["Analyzer", "MAX_CHARS", "STRING_LIMIT"]
