"""The values that flow from the analyzer to the suggester, the overlay, the CLI and the audit.

Plain frozen dataclasses: hashable, cheap to pass between threads, and `to_dict()` gives the JSON
contract of `python -m assist analyze` (see README, "Batch analysis").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Cue:
    """A span of the customer's message that carried an emotion: the *why* behind a label."""

    start: int  # character offsets into the analysed text
    end: int
    text: str
    label: str  # one of labels.EMOTIONS
    kind: str  # one of labels.CUE_KINDS

    def to_dict(self) -> dict:
        # Spelled out: dataclasses.asdict deep-copies field by field, a tenth of a batch line's cost.
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class AckSpan:
    """A span of the agent's draft that acknowledges the customer (offsets into the draft)."""

    start: int
    end: int
    text: str
    label: str  # the emotion it covers, or "apology"
    kind: str  # one of labels.ACK_KINDS

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Acknowledgment:
    covers: tuple[str, ...] = ()  # emotions the draft acknowledges
    matches_customer: bool = False  # covers the customer's primary emotion
    apology: bool = False
    spans: tuple[AckSpan, ...] = ()

    def to_dict(self) -> dict:
        return {
            "covers": list(self.covers),
            "matches_customer": self.matches_customer,
            "apology": self.apology,
            "spans": [span.to_dict() for span in self.spans],
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: str
    text: str  # placeholders already filled; never contains a raw "{name}"
    intent: str  # one of labels.PHRASE_INTENTS
    why: str  # a short human reason ("customer is frustrated about delivery")

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "intent": self.intent, "why": self.why}


@dataclass(frozen=True, slots=True)
class Analysis:
    emotion: str = "neutral"
    scores: dict = field(default_factory=dict)  # label -> probability, every label present
    intensity: float = 0.0  # 0..1
    level: str = "low"  # low / medium / high
    needs_acknowledgment: bool = False
    cues: tuple[Cue, ...] = ()
    topics: tuple[str, ...] = ()
    trend: str = "steady"
    acknowledged: bool | None = None  # None when there is no draft
    acknowledgment: Acknowledgment = field(default_factory=Acknowledgment)
    suggestions: tuple[Suggestion, ...] = ()
    lang: str = "en"  # "en", or a best guess such as "de" / "unknown" for other languages
    confidence: float = 1.0  # how far to trust the label (low for other languages, empty text)
    truncated: bool = False  # the text was cut to the analysis limit

    def with_suggestions(self, suggestions) -> "Analysis":
        return replace(self, suggestions=tuple(suggestions))

    def to_dict(self) -> dict:
        return {
            "emotion": self.emotion,
            "scores": dict(self.scores),
            "intensity": self.intensity,
            "level": self.level,
            "needs_acknowledgment": self.needs_acknowledgment,
            "cues": [cue.to_dict() for cue in self.cues],
            "topics": list(self.topics),
            "trend": self.trend,
            "acknowledged": self.acknowledged,
            "acknowledgment": self.acknowledgment.to_dict(),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "lang": self.lang,
            "confidence": self.confidence,
            "truncated": self.truncated,
        }
