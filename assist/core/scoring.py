"""From the classifier's seven groups and the cues to nine emotion scores, an intensity and a confidence.

Pure functions, no spaCy: the arithmetic the agent's label rests on, testable on its own.

- The model's `anger_frustration` mass is split by the cues: hostility, insults and threats lean it
  to anger; repeated contact, waiting and "still not working" to frustration (support chat leans to
  frustration when nothing says otherwise). `urgency` comes from deadline cues only.
- Each cue adds its weight to its label; negative evidence pulls mass away from `neutral`.
- Sarcasm and a negated positive ("not happy") take the model's `positive` away.
- Other languages: the English model and lexicon cannot be trusted, so the scores lean to neutral
  and the confidence is low, rather than a confident wrong label.
- Two regimes. In support context (the message names a support topic: an order, a bill, an account...)
  the cues carry the support-chat knowledge the model lacks and weigh as above. Elsewhere (small talk,
  Reddit-like text: no topic found) "three times" or "two weeks" rarely mean repeated contact or waiting,
  and the classifier is on its home ground: it decides, and only negation, emoji, deadlines, sarcasm and
  "!!!" can tip a near tie. Every number of the general regime was chosen on GoEmotions dev with a model
  trained on train only (never on test); the support regime's numbers are unchanged.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

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
# Below this the negative label is too unsure to nag the agent about (support context only).
NEEDS_ACK_MIN_SCORE = 0.3
_LOUD = frozenset({"shouting", "punctuation"})  # they take their label from the other cues


@dataclass(frozen=True)
class Regime:
    """How the classifier and the cues are weighed against each other."""

    model_weight: float = 1.5  # the classifier's mass counts this many times against the cues (a cue weighs <= 1)
    # (kind, label) or kind -> factor on a cue's label evidence; None: every cue counts in full
    cue_scale: dict | None = None
    strong_weight: float = 1.0  # a cue this heavy (a strong word, "lawyer") counts at least strong_scale
    strong_scale: float = 1.0
    bare_loud_scale: float = 1.0  # SHOUTING and "!!!" with no other cue to take a label from
    confusion_without_cue: float = CONFUSION_WITHOUT_CUE
    positive_without_cue: float = POSITIVE_WITHOUT_CUE
    neutral_pull: float = NEUTRAL_PULL
    evidence_cap: float = 3.0
    positive_drain: float = 0.5
    anger_share: float = DEFAULT_ANGER_SHARE
    needs_min_score: float = NEEDS_ACK_MIN_SCORE  # the primary negative label needs at least this score


SUPPORT = Regime()
# Chosen on GoEmotions dev (a model trained on train only) under the constraint that our support-chat set
# keeps emotion accuracy >= 0.935 and needs-ack F1 >= 0.97: dev 7-group macro-F1 0.551 -> 0.600, needs-ack
# 0.744 -> 0.792 (the classifier alone: 0.611 / 0.800); support-chat holdout unchanged.
GENERAL = Regime(
    model_weight=2.0,
    cue_scale={("lexicon", "positive"): 1.5, "lexicon": 0.5, "punctuation": 1.0, "repeat_contact": 0.5,
               "deadline": 0.5, "emoji": 0.5, "negation": 0.0, "waiting": 0.0, "sarcasm": 0.0,
               "intensifier": 0.0, "shouting": 0.0},
    strong_weight=0.9,
    strong_scale=0.5,
    confusion_without_cue=1.0,
    positive_without_cue=1.0,
    neutral_pull=0.3,
    evidence_cap=1.0,
    positive_drain=0.2,
    anger_share=0.1,
    needs_min_score=0.0,
)
# Intensity: how much each kind of cue adds beyond its label's evidence.
KIND_BOOST = {"shouting": 0.35, "punctuation": 0.2, "intensifier": 0.2, "escalation": 0.3, "repeat_contact": 0.15}


@dataclass(frozen=True)
class Scored:
    scores: dict
    intensity: float
    confidence: float
    needs_acknowledgment: bool = False

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


def base_from_model(cats: dict, anger_evidence: float, frustration_evidence: float,
                    anger_share: float = DEFAULT_ANGER_SHARE, urgency_evidence: float = 0.0) -> dict:
    """The seven model groups spread over the nine EMOTIONS. The model's anger_frustration group also
    holds urgency (its training maps urgent messages there): deadline cues claim their part of it."""
    af = float(cats.get("anger_frustration", 0.0))
    urgent = af * urgency_evidence / (anger_evidence + frustration_evidence + urgency_evidence + 1.0)
    rest = af - urgent
    share = (anger_evidence + anger_share) / (anger_evidence + frustration_evidence + 1.0)
    base = {label: float(cats.get(label, 0.0)) for label in EMOTIONS}
    base["anger"], base["frustration"], base["urgency"] = rest * share, rest * (1 - share), urgent
    return base


def combine(cats: dict | None, evidence, *, lang: str = "en", lang_confidence: float = 1.0,
            model_weight: float = 1.0, has_text: bool = True, support_context: bool = True) -> Scored:
    """`evidence` is a sequence of (Cue, weight). `model_weight` is the support regime's; outside
    support context (`support_context=False`) the GENERAL regime applies."""
    if not has_text and not evidence:
        return Scored(neutral_scores(), 0.0, 0.0)
    # The general regime trusts the classifier; without it (rules only, other languages) the cues are all there is.
    regime = GENERAL if cats and lang == "en" and not support_context else SUPPORT
    scale = regime.cue_scale
    labelled = scale is not None and any(c.kind not in _LOUD and c.label != "neutral" for c, _ in evidence)
    ev: dict[str, float] = defaultdict(float)
    full: dict[str, float] = defaultdict(float)  # unscaled: which of anger or frustration is the cues' call
    kinds: dict[str, int] = defaultdict(int)
    for cue, weight in evidence:
        kinds[cue.kind] += 1
        if cue.label != "neutral":
            full[cue.label] += weight
            if scale is not None:
                factor = scale.get((cue.kind, cue.label), scale.get(cue.kind, 1.0))
                if weight >= regime.strong_weight:
                    factor = max(factor, regime.strong_scale)
                if cue.kind in _LOUD and not labelled:
                    factor *= regime.bare_loud_scale
                weight *= factor
            ev[cue.label] += weight
    foreign = lang not in ("en", "unknown")  # "unknown": no words at all (emoji only), cues still hold
    if cats and lang == "en":
        base = base_from_model(cats, full["anger"], full["frustration"], regime.anger_share, full["urgency"])
        weight = model_weight if regime is SUPPORT else regime.model_weight
    else:
        base, weight = dict(PRIOR), 1.0
    if kinds["sarcasm"] or any(c.kind == "negation" and c.label in _SOURED for c, _ in evidence):
        base["positive"] *= 0.2
    if cats and lang == "en":
        # GoEmotions calls most questions "confusion" and most polite requests "positive"; in support
        # chat a plain "How do I ...?" is neutral, so without a cue these two count for less.
        for label, keep in (("confusion", regime.confusion_without_cue), ("positive", regime.positive_without_cue)):
            if not ev[label] and keep < 1.0:
                base["neutral"] += base[label] * (1 - keep)
                base[label] *= keep
    cap = regime.evidence_cap
    raw = {label: weight * base[label] + min(ev[label], cap) for label in EMOTIONS}
    negative = sum(ev[label] for label in NEGATIVE_EMOTIONS)
    raw["neutral"] *= math.exp(-regime.neutral_pull * (negative + 0.6 * ev["positive"]))
    if negative > 0:
        raw["positive"] *= math.exp(-regime.positive_drain * negative)  # "thanks" after a complaint is politeness
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
    needs = top in NEGATIVE_EMOTIONS and scores[top] >= regime.needs_min_score
    return Scored({k: round(v, 4) for k, v in scores.items()}, round(intensity, 3), round(confidence, 3), needs)


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
