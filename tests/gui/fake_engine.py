"""A small fake analysis engine for the GUI tests: the widgets are tested against it, the real
analyzer in tests/unit and the real desktop in tests/e2e."""

from __future__ import annotations

import re
import threading

from assist.core.types import Acknowledgment, Analysis, Cue, Suggestion

ANGRY_WORDS = {"furious": "anger", "angry": "anger", "ridiculous": "anger", "frustrated": "frustration",
               "third time": "frustration", "still": "frustration", "confused": "confusion",
               "worried": "anxiety", "thanks": "positive", "great": "positive"}
ACK_WORDS = ("sorry", "understand", "apologi", "frustrating")

SUGGESTIONS = (
    Suggestion("ack.frustration.1", "I completely understand how frustrating this is, and I'm sorry you had "
               "to reach out again.", "acknowledge", "customer is frustrated; repeat contact"),
    Suggestion("apology.delay.1", "I'm sorry for the delay with your order. Let me look into it right now.",
               "apologize", "delivery delay mentioned"),
    Suggestion("patience.1", "Thank you for your patience while I check the tracking details.",
               "appreciate_patience", "customer has been waiting"),
    Suggestion("owner.1", "I'll take care of this personally and keep you updated.", "take_ownership",
               "repeat contact"),
)


def fake_analysis(customer: str, draft: str = "") -> Analysis:
    """A tiny stand-in for the analyzer: keyword cues, a label, an acknowledgment check."""
    cues = []
    for word, label in ANGRY_WORDS.items():
        for match in re.finditer(re.escape(word), customer, re.IGNORECASE):
            cues.append(Cue(match.start(), match.end(), match.group(), label, "lexicon"))
    for match in re.finditer(r"!{2,}", customer):
        cues.append(Cue(match.start(), match.end(), match.group(), "anger", "punctuation"))
    cues.sort(key=lambda c: c.start)
    labels = [c.label for c in cues]
    emotion = max(set(labels), key=labels.count) if labels else "neutral"
    negative = emotion not in ("neutral", "positive")
    intensity = min(1.0, 0.25 * len(cues)) if cues else 0.05
    level = "high" if intensity >= 0.66 else "medium" if intensity >= 0.33 else "low"
    acknowledged = None
    if draft:
        acknowledged = any(word in draft.lower() for word in ACK_WORDS)
    return Analysis(
        emotion=emotion, intensity=intensity, level=level, needs_acknowledgment=negative,
        cues=tuple(cues), topics=("delivery",) if "order" in customer.lower() else (),
        trend="rising" if negative else "steady", acknowledged=acknowledged,
        acknowledgment=Acknowledgment(covers=(emotion,) if acknowledged else (), matches_customer=bool(acknowledged)),
        suggestions=SUGGESTIONS if negative else SUGGESTIONS[2:],
    )


class FakeEngine:
    """The worker's engine interface over fake_analysis; records what it was asked."""

    def __init__(self, load_error: Exception | None = None, gate: threading.Event | None = None):
        self.load_error = load_error
        self.gate = gate  # when set, the first run waits for it (to line up races)
        self.seen: list[int] = []

    def load(self) -> None:
        if self.load_error is not None:
            raise self.load_error

    def run(self, request):
        self.seen.append(request.seq)
        if self.gate is not None and len(self.seen) == 1:
            self.gate.wait(5)
        return fake_analysis(request.session.customer, request.session.draft)
