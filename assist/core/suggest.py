"""Analysis + phrases -> the best few phrases for this moment, each with the reason it was chosen.

Ranking, in order of weight: does the phrase answer the customer's feeling (primary emotion, then a
strong second one), is its move what this feeling needs now (intent weights below, nudged by the
intensity and by cues such as waiting or a repeat contact), does it fit the topic, and is it
still needed (the draft already apologises -> no apology; the draft already acknowledges ->
nothing, unless asked). Then the agent's own habits: favourites and usage count, personal phrases
a little above team and shipped ones. Never a phrase twice in a chat; a variant of one already
used in this chat only as a last resort; across chats, the variant used most recently steps back
so replies do not sound canned. Hidden phrases are never offered. Ties break on the id, so the
same inputs always give the same list.

Qt-free, and fast: the library is indexed once (per emotion and intent, pre-sorted by the part
of the score that does not depend on the moment), and each call walks those lists only until no
later phrase could still win.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .labels import NEGATIVE_EMOTIONS as NEGATIVE
from .session import Session
from .types import Analysis, Suggestion

# How much each move suits each feeling (0: not offered for it).
INTENT_WEIGHTS = {
    "anger": {"acknowledge": 3.0, "apologize": 3.0, "take_ownership": 2.6, "reassure_next_step": 2.0,
              "appreciate_patience": 1.0, "thank_reporting": 0.8, "check_back": 0.5},
    "frustration": {"acknowledge": 3.0, "apologize": 2.5, "take_ownership": 2.4, "reassure_next_step": 2.2,
                    "appreciate_patience": 1.8, "thank_reporting": 1.0, "check_back": 0.6},
    "disappointment": {"acknowledge": 3.0, "apologize": 2.8, "take_ownership": 2.4, "reassure_next_step": 2.0,
                       "appreciate_patience": 1.0, "thank_reporting": 1.2, "check_back": 0.8},
    "confusion": {"reassure_next_step": 3.0, "acknowledge": 2.4, "take_ownership": 1.6, "check_back": 1.6,
                  "apologize": 1.2, "thank_reporting": 1.2, "appreciate_patience": 1.0},
    "anxiety": {"acknowledge": 3.0, "reassure_next_step": 3.0, "take_ownership": 2.2, "apologize": 1.4,
                "appreciate_patience": 1.2, "thank_reporting": 1.2, "check_back": 1.0},
    "sadness": {"acknowledge": 3.0, "take_ownership": 2.4, "reassure_next_step": 2.0, "apologize": 1.6,
                "appreciate_patience": 1.0, "thank_reporting": 1.0, "check_back": 1.0},
    "urgency": {"reassure_next_step": 3.0, "acknowledge": 2.6, "take_ownership": 2.6, "apologize": 1.6,
                "appreciate_patience": 1.2, "thank_reporting": 1.0, "check_back": 0.8},
    "positive": {"thank_reporting": 3.0, "check_back": 2.6, "acknowledge": 2.4, "appreciate_patience": 1.6,
                 "reassure_next_step": 1.4, "take_ownership": 0.6, "apologize": 0.4},
    "neutral": {"reassure_next_step": 2.0, "check_back": 1.5, "thank_reporting": 1.2, "take_ownership": 1.0,
                "appreciate_patience": 0.8, "acknowledge": 0.0, "apologize": 0.0},
}
# Cues that change what is needed: someone who waited wants thanks for their patience, someone
# who writes again wants ownership.
CUE_BOOSTS = {
    "waiting": {"appreciate_patience": 1.2, "apologize": 0.4},
    "repeat_contact": {"take_ownership": 1.0, "apologize": 0.5},
    "escalation": {"take_ownership": 0.8, "apologize": 0.3},
    "deadline": {"reassure_next_step": 0.8},
}
LEVEL_BOOSTS = {
    "high": {"acknowledge": 0.5, "apologize": 0.5, "take_ownership": 0.5},
    "low": {"apologize": -0.5},
}
# Which move a span of the draft already makes.
ACK_KIND_INTENT = {"empathy": "acknowledge", "apology": "apologize", "patience": "appreciate_patience",
                   "thanks": "thank_reporting", "ownership": "take_ownership", "reassurance": "reassure_next_step"}

PRIMARY_BASE = 3.0
GENERIC_BASE = 1.0
TOPIC_ONLY_BASE = 0.5  # neutral customers: topic phrases for the next step
SECONDARY_OFFSET = -1.5
SECONDARY_MIN_SCORE = 0.25
TOPIC_MATCH = 1.5
LENGTH_FIT = 0.4
TONE_FIT = 0.3  # the agent's preferred tone (setting phrases.tone)
FAVOURITE = 1.2
SOURCE_BONUS = {"personal": 0.4, "team": 0.2, "shipped": 0.0}
RECENT_VARIANT = -0.7  # the variant of its group used most recently, across chats
SAME_GROUP_IN_CHAT = -2.5
SAME_INTENT_IN_CHAT = -1.5
MAX_PER_INTENT = 2
NEUTRAL_TOPIC_INTENTS = ("reassure_next_step", "check_back")
# A phrase can gain at most LENGTH_FIT + TONE_FIT over its list's pre-computed score during one
# call: what lets a call stop walking a list early.

FEELING_WORDS = {"anger": "angry", "frustration": "frustrated", "disappointment": "disappointed",
                 "confusion": "confused", "anxiety": "worried", "sadness": "upset", "urgency": "in a hurry",
                 "positive": "happy", "neutral": "calm"}
TOPIC_WORDS = {"bug_report": "a bug", "cancellation": "cancelling", "technical": "a technical problem",
               "account": "their account", "product": "the product", "other": ""}
INTENT_REASONS = {
    "acknowledge": "name the feeling first",
    "apologize": "no apology in your draft yet",
    "appreciate_patience": "thank them for bearing with you",
    "thank_reporting": "thank them for telling you",
    "take_ownership": "show you will see it through",
    "reassure_next_step": "tell them what happens next",
    "check_back": "make sure it is solved",
}
CUE_REASONS = {
    "appreciate_patience": ("waiting", "they have been waiting"),
    "take_ownership": ("repeat_contact", "they had to write again"),
    "reassure_next_step": ("deadline", "they have a deadline"),
}


@dataclass(slots=True)
class _Index:
    # key ("emotion", "*" for phrases that fit any emotion, "topic:<t>") -> intent -> topic ("" for
    # phrases that fit any topic) -> [(static, id, phrase, group, length, tone)], best first
    buckets: dict


def _static_score(phrase, usage, recent_ids) -> float:
    score = SOURCE_BONUS.get(phrase.source, 0.0)
    if phrase.favourite:
        score += FAVOURITE
    used = usage.get(phrase.id)
    if used is not None and used.count:
        score += min(0.8, 0.25 * math.log1p(used.count))
    if phrase.id in recent_ids:
        score += RECENT_VARIANT
    return score


def _item_order(item):
    return (-item[0], item[1])


def build_index(library) -> _Index:
    usage = library.usage or {}
    # The most recently used variant of each group (only groups with more than one variant).
    latest: dict[str, tuple[float, str]] = {}
    sizes: dict[str, int] = {}
    for phrase in library.phrases.values():
        if phrase.hidden:
            continue
        group = phrase.variant_group
        sizes[group] = sizes.get(group, 0) + 1
        used = usage.get(phrase.id)
        if used is not None and used.last and (group not in latest or used.last > latest[group][0]):
            latest[group] = (used.last, phrase.id)
    recent_ids = {pid for group, (_, pid) in latest.items() if sizes.get(group, 0) > 1}

    buckets: dict[str, dict[str, dict[str, list]]] = {}
    source_bonus = SOURCE_BONUS
    for phrase in library.phrases.values():
        if phrase.hidden:
            continue
        if phrase.favourite or phrase.id in usage or phrase.id in recent_ids:
            static = _static_score(phrase, usage, recent_ids)
        else:  # the common case, without the lookups
            static = source_bonus.get(phrase.source, 0.0)
        item_topics = phrase.topics or ("",)
        group = phrase.group or phrase.id
        intent = phrase.intent
        if phrase.emotions:
            keys = [(emotion, static + PRIMARY_BASE) for emotion in phrase.emotions]
        else:
            keys = [("*", static + GENERIC_BASE)]
        if intent in NEUTRAL_TOPIC_INTENTS:
            keys += [("topic:" + topic, static + TOPIC_ONLY_BASE) for topic in phrase.topics]
        for key, score in keys:
            by_intent = buckets.get(key)
            if by_intent is None:
                by_intent = buckets[key] = {}
            by_topic = by_intent.get(intent)
            if by_topic is None:
                by_topic = by_intent[intent] = {}
            item = (score, phrase.id, phrase, group, phrase.length, phrase.tone)
            for topic in item_topics:
                items = by_topic.get(topic)
                if items is None:
                    by_topic[topic] = [item]
                else:
                    items.append(item)
    for by_intent in buckets.values():
        for by_topic in by_intent.values():
            for items in by_topic.values():
                items.sort(key=_item_order)
    return _Index(buckets)


def _index_of(library) -> _Index:
    index = getattr(library, "_index", None)
    if index is None:
        index = build_index(library)
        try:
            library._index = index
        except AttributeError:
            pass
    return index


def _secondary_emotion(analysis: Analysis) -> str | None:
    best, best_score = None, SECONDARY_MIN_SCORE
    for emotion, score in (analysis.scores or {}).items():
        if emotion in ("neutral", analysis.emotion) or emotion not in INTENT_WEIGHTS:
            continue
        if isinstance(score, (int, float)) and (score > best_score or (score == best_score and best and emotion < best)):
            best, best_score = emotion, score
    return best


def covered_intents(analysis: Analysis) -> set[str]:
    """The moves the draft already makes."""
    ack = analysis.acknowledgment
    covered = {ACK_KIND_INTENT[span.kind] for span in ack.spans if span.kind in ACK_KIND_INTENT}
    if ack.apology:
        covered.add("apologize")
    if ack.matches_customer or (analysis.emotion in ack.covers):
        covered.add("acknowledge")
    return covered


def intent_weights(analysis: Analysis) -> dict[str, float]:
    weights = dict(INTENT_WEIGHTS.get(analysis.emotion, INTENT_WEIGHTS["neutral"]))
    for intent, boost in LEVEL_BOOSTS.get(analysis.level, {}).items():
        if weights.get(intent, 0) > 0:
            weights[intent] += boost
    kinds = {cue.kind for cue in analysis.cues}
    for kind in kinds:
        for intent, boost in CUE_BOOSTS.get(kind, {}).items():
            if weights.get(intent, 0) > 0:
                weights[intent] += boost
    return weights


def _why(analysis: Analysis, phrase, topics: tuple[str, ...], cue_kinds: set[str]) -> str:
    feeling = FEELING_WORDS.get(analysis.emotion, analysis.emotion)
    if analysis.level == "high" and analysis.emotion not in ("neutral", "positive", "urgency"):
        feeling = "very " + feeling
    shown = [TOPIC_WORDS.get(t, t) for t in topics if phrase.topics and t in phrase.topics]
    shown = [t for t in shown if t]
    about = f" about {shown[0]}" if shown else ""
    reason = INTENT_REASONS.get(phrase.intent, "")
    cue_reason = CUE_REASONS.get(phrase.intent)
    if cue_reason and cue_reason[0] in cue_kinds:
        reason = cue_reason[1]
    if phrase.intent == "acknowledge" and analysis.emotion in ("positive", "neutral"):
        reason = "share their good news" if analysis.emotion == "positive" else "show you read them"
    subject = "customer" if analysis.emotion != "neutral" else "question"
    text = f"{subject} is {feeling}{about}; {reason}" if subject == "customer" else f"{subject}{about}; {reason}"
    if phrase.favourite:
        text += " (your favourite)"
    return text


def suggest(analysis: Analysis, session: Session, library=None, *, limit: int = 5,
            include_acknowledged: bool = False) -> list[Suggestion]:
    """The best `limit` phrases for this moment, filled and explained; [] when nothing is needed."""
    if library is None:
        library = _shipped_library()
    chosen = rank(analysis, session, library, limit=limit, include_acknowledged=include_acknowledged)
    from ..phrases.template import fill  # imported here: assist.phrases imports assist.core.labels

    values = {k: v for k, v in (session.placeholders or {}).items() if v}
    if "agent_name" not in values and getattr(library, "agent_name", ""):
        values["agent_name"] = library.agent_name
    topics = tuple(analysis.topics) or ("other",)
    cue_kinds = {cue.kind for cue in analysis.cues}
    return [Suggestion(id=p.id, text=fill(p.text, values), intent=p.intent,
                       why=_why(analysis, p, topics, cue_kinds)) for _, p in chosen]


def rank(analysis: Analysis, session: Session, library, *, limit: int = 5, include_acknowledged: bool = False,
         prune: bool = True) -> list[tuple[float, object]]:
    """(score, phrase) of the chosen phrases, best first. prune=False scores every phrase (for tests
    and the benchmark's peer): the result must be the same."""
    if limit <= 0:
        return []
    if analysis.acknowledged and not include_acknowledged:
        return []  # the draft already does the job: do not crowd it
    index = _index_of(library)
    weights = intent_weights(analysis)
    covered = covered_intents(analysis)
    used_ids = set(session.used_phrase_ids)
    used_groups, used_intents = set(), set()
    for phrase_id in used_ids:
        phrase = library.phrases.get(phrase_id)
        if phrase is not None:
            used_groups.add(phrase.variant_group)
            used_intents.add(phrase.intent)
    topics = tuple(analysis.topics) or ("other",)
    # No topic found: "other" phrases may be offered, but earn no topic bonus for it.
    topic_bonus = TOPIC_MATCH if analysis.topics else 0.0
    prefer = {"high": "full", "low": "short"}.get(analysis.level)
    tone = getattr(library, "tone", "friendly")
    tone = tone if tone in ("friendly", "formal") else None

    sources: list[tuple[str, float, tuple[str, ...] | None]] = []
    if analysis.emotion in INTENT_WEIGHTS and analysis.emotion != "neutral":
        sources.append((analysis.emotion, 0.0, None))
        secondary = _secondary_emotion(analysis)
        if secondary:
            sources.append((secondary, SECONDARY_OFFSET, None))
    else:
        sources.append(("neutral", 0.0, None))
        for topic in topics:
            sources.append(("topic:" + topic, 0.0, NEUTRAL_TOPIC_INTENTS))
    sources.append(("*", 0.0, None))

    same_intent_penalty = SAME_INTENT_IN_CHAT
    style_gain = (LENGTH_FIT if prefer else 0.0) + (TONE_FIT if tone else 0.0)
    best: dict[str, tuple[float, object]] = {}  # id -> (score, phrase)
    for intent, weight in weights.items():
        if weight <= 0 or intent in covered:
            continue
        # Every list of phrases for this move, with the part of the score it adds for this moment.
        lists = []
        for key, offset, only_intents in sources:
            if only_intents and intent not in only_intents:
                continue
            by_topic = index.buckets.get(key, {}).get(intent)
            if not by_topic:
                continue
            const = offset + weight + (same_intent_penalty if intent in used_intents else 0.0)
            for topic in topics:
                if topic in by_topic:
                    lists.append((const + topic_bonus, by_topic[topic]))
            if "" in by_topic:
                lists.append((const, by_topic[""]))
        lists.sort(key=lambda pair: -(pair[0] + pair[1][0][0]))  # most promising first: prunes sooner
        kept: list[float] = []  # scores of the best distinct groups of this move so far (at most `limit`)
        groups_seen: set[str] = set()
        for const, items in lists:
            for static, phrase_id, phrase, group, length, phrase_tone in items:
                score = static + const
                if prune and len(kept) >= limit and score + style_gain + 1e-9 < kept[-1]:  # 1e-9: float sums
                    break  # nothing further down this list can still make it
                if phrase_id in used_ids:
                    continue
                if length == prefer:
                    score += LENGTH_FIT
                if phrase_tone == tone:
                    score += TONE_FIT
                if group in used_groups:
                    score += SAME_GROUP_IN_CHAT
                previous = best.get(phrase_id)
                if previous is None or score > previous[0]:
                    best[phrase_id] = (score, phrase)
                if group not in groups_seen:
                    groups_seen.add(group)
                    kept.append(score)
                    kept.sort(reverse=True)
                    del kept[limit:]

    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].id))
    chosen = []
    groups: set[str] = set()
    per_intent: dict[str, int] = {}
    for score, phrase in ranked:
        if phrase.variant_group in groups or per_intent.get(phrase.intent, 0) >= MAX_PER_INTENT:
            continue
        groups.add(phrase.variant_group)
        per_intent[phrase.intent] = per_intent.get(phrase.intent, 0) + 1
        chosen.append((score, phrase))
        if len(chosen) >= limit:
            break
    # A negative feeling the draft does not acknowledge yet always gets one way to acknowledge it,
    # even when cues pushed other moves up: naming the feeling is what the warning asks for.
    if (analysis.emotion in NEGATIVE and "acknowledge" not in covered and chosen
            and not any(p.intent == "acknowledge" for _, p in chosen)):
        groups = {p.variant_group for _, p in chosen[:-1]}
        for score, phrase in ranked:
            if phrase.intent == "acknowledge" and phrase.variant_group not in groups:
                if len(chosen) >= limit:
                    chosen.pop()
                chosen.append((score, phrase))
                break
    return chosen


_SHIPPED = None


def _shipped_library():
    global _SHIPPED
    if _SHIPPED is None:
        from ..phrases.library import load_library as _load

        _SHIPPED = _load(None)
    return _SHIPPED


def load_library(paths):
    """The agent's merged phrase library (shipped + team + personal); loading never raises."""
    from ..phrases.library import load_library as _load

    return _load(paths)


__all__ = ["suggest", "rank", "load_library", "build_index", "covered_intents", "intent_weights"]
