"""From the classifier's seven groups and the cues to nine emotion scores, an intensity and a confidence.

Pure functions, no spaCy: the arithmetic the agent's label rests on, testable on its own.

- The model's `anger_frustration` mass is split by the cues: hostility, insults and threats lean it
  to anger; repeated contact, waiting and "still not working" to frustration (support chat leans to
  frustration when nothing says otherwise). `urgency` comes from deadline cues only.
- Each cue adds its weight to its label; negative evidence pulls mass away from `neutral`.
- Sarcasm and a negated positive ("not happy") take the model's `positive` away.
- Other languages: the English model and lexicon cannot be trusted, so the scores lean to neutral
  and the confidence is low, rather than a confident wrong label.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .labels import EMOTIONS, LEVELS, NEGATIVE_EMOTIONS

# Where the scores start without a classifier (the rules-only fallback): mostly neutral.
PRIOR = {
    "anger": 0.04, "frustration": 0.08, "disappointment": 0.05, "confusion": 0.05, "anxiety": 0.04,
    "sadness": 0.03, "urgency": 0.01, "positive": 0.1, "neutral": 0.6,
}
# Mass the model gives anger_frustration goes to anger in this share when no cue says which.
DEFAULT_ANGER_SHARE = 0.3
LOW_MAX, MEDIUM_MAX = 0.4, 0.7  # intensity bands: below LOW_MAX low, below MEDIUM_MAX medium, else high
FOREIGN_CONFIDENCE = 0.2
NEUTRAL_PULL = 0.9
CONFUSION_WITHOUT_CUE = 0.5
POSITIVE_WITHOUT_CUE = 0.8
_SOURED = frozenset({"disappointment", "frustration", "anger"})  # a negated positive ("not happy")  # how fast negative evidence drains neutral
# Intensity: how much each kind of cue adds beyond its label's evidence.
KIND_BOOST = {"shouting": 0.35, "punctuation": 0.2, "intensifier": 0.2, "escalation": 0.3, "repeat_contact": 0.15}


@dataclass(frozen=True)
class Scored:
    scores: dict
    intensity: float
    confidence: float

    @property
    def primary(self) -> str:
        return primary(self.scores)


def primary(scores: dict) -> str:
    # Ties resolve in EMOTIONS order, so the result never depends on dict order.
    return max(EMOTIONS, key=lambda label: scores.get(label, 0.0))  # max keeps the first of equals


def level(intensity: float) -> str:
    return LEVELS[0] if intensity < LOW_MAX else LEVELS[1] if intensity < MEDIUM_MAX else LEVELS[2]


def neutral_scores() -> dict:
    return {label: (1.0 if label == "neutral" else 0.0) for label in EMOTIONS}


def _normalise(raw: dict) -> dict:
    total = sum(raw.values())
    if total <= 0:
        return neutral_scores()
    return {label: raw[label] / total for label in EMOTIONS}


def base_from_model(cats: dict, anger_evidence: float, frustration_evidence: float) -> dict:
    """The seven model groups spread over the nine EMOTIONS."""
    share = (anger_evidence + DEFAULT_ANGER_SHARE) / (anger_evidence + frustration_evidence + 1.0)
    af = float(cats.get("anger_frustration", 0.0))
    base = {label: float(cats.get(label, 0.0)) for label in EMOTIONS}
    base["anger"], base["frustration"], base["urgency"] = af * share, af * (1 - share), 0.0
    return base


def combine(cats: dict | None, evidence, *, lang: str = "en", lang_confidence: float = 1.0,
            model_weight: float = 1.0, has_text: bool = True) -> Scored:
    """`evidence` is a sequence of (Cue, weight)."""
    if not has_text and not evidence:
        return Scored(neutral_scores(), 0.0, 0.0)
    ev: dict[str, float] = defaultdict(float)
    kinds: dict[str, int] = defaultdict(int)
    for cue, weight in evidence:
        kinds[cue.kind] += 1
        if cue.label != "neutral":
            ev[cue.label] += weight
    foreign = lang not in ("en", "unknown")  # "unknown": no words at all (emoji only), cues still hold
    if cats and lang == "en":
        base = base_from_model(cats, ev["anger"], ev["frustration"])
        weight = model_weight
    else:
        base, weight = dict(PRIOR), 1.0
    if kinds["sarcasm"] or any(c.kind == "negation" and c.label in _SOURED for c, _ in evidence):
        base["positive"] *= 0.2
    if cats and lang == "en":
        # GoEmotions calls most questions "confusion" and most polite requests "positive"; in support
        # chat a plain "How do I ...?" is neutral, so without a cue these two count for less.
        for label, keep in (("confusion", CONFUSION_WITHOUT_CUE), ("positive", POSITIVE_WITHOUT_CUE)):
            if not ev[label]:
                base["neutral"] += base[label] * (1 - keep)
                base[label] *= keep
    raw = {label: weight * base[label] + min(ev[label], 3.0) for label in EMOTIONS}
    negative = sum(ev[label] for label in NEGATIVE_EMOTIONS)
    raw["neutral"] *= math.exp(-NEUTRAL_PULL * (negative + 0.6 * ev["positive"]))
    if negative > 0:
        raw["positive"] *= math.exp(-0.5 * negative)  # "thanks" at the end of a complaint is politeness
    scores = _normalise(raw)
    if foreign:
        scores = {label: 0.35 * scores[label] + (0.65 if label == "neutral" else 0.0) for label in EMOTIONS}
    top = primary(scores)
    intensity = _intensity(top, scores, evidence, kinds)
    confidence = scores[top]
    if foreign:
        confidence = min(confidence, FOREIGN_CONFIDENCE, lang_confidence)
    if lang == "unknown":
        confidence = min(confidence, 0.6)
    return Scored({k: round(v, 4) for k, v in scores.items()}, round(intensity, 3), round(confidence, 3))


def _intensity(top: str, scores: dict, evidence, kinds) -> float:
    if top == "neutral":
        return 0.15 * (1.0 - scores["neutral"])
    same_side = (lambda lab: lab in NEGATIVE_EMOTIONS) if top in NEGATIVE_EMOTIONS else (lambda lab: lab == top)
    cue_strength = sum(weight for cue, weight in evidence if same_side(cue.label))
    energy = 0.6 * scores[top] + 0.35 * min(cue_strength, 4.0)
    energy += sum(KIND_BOOST.get(kind, 0.0) * min(count, 3) for kind, count in kinds.items())
    return 1.0 - math.exp(-energy)


def negativity(scores: dict) -> float:
    """How negative a message is, 0..1: the mass on the emotions that need acknowledging."""
    return sum(scores.get(label, 0.0) for label in NEGATIVE_EMOTIONS)
