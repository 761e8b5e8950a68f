"""What one conversation shows: its emotional moments, which were acknowledged and how fast, its trend.

Input is the conversation, its turns and one Analysis per turn (in order). Output is a plain dict,
ready for report.json, plus a few extras the aggregation needs and the per-conversation record
does not keep (the text of missed moments, the agent sentences).

Only missed moments carry their cues and what the reply did acknowledge ("details"): they are what a
team lead opens, and the writer keeps even those only for the worst (see details.py), because cue
lists on every moment made most of a big report.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from ..core.labels import NEGATIVE_EMOTIONS
from . import phrases
from .agents import conversation_agents, reply_agent
from .model import Conversation
from .turns import Turn, message_at

CALMER_BY = 0.15  # a drop in negativity this big (0..1) counts as "calmer"
TREND_BY = 0.15
TEXT_LIMIT = 600  # characters of a missed moment kept for the report
CUES_KEPT = 8  # a long angry message can hold dozens; the first few show why it read as upset


def negativity(analysis) -> float:
    """How upset, 0..1: the intensity of a negative emotion, 0 for positive or neutral."""
    return float(analysis.intensity) if analysis.emotion in NEGATIVE_EMOTIONS else 0.0


def needs_acknowledgment(analysis) -> bool:
    return bool(analysis.needs_acknowledgment) and analysis.emotion in NEGATIVE_EMOTIONS


@dataclass
class Extras:
    """Carried to the aggregation only; never written per conversation."""

    missed: list[dict] = field(default_factory=list)  # worst-moment candidates, with text
    sentences: dict[str, str] = field(default_factory=dict)  # key -> first wording, agent sentences
    effective: list[tuple[str, str, bool]] = field(default_factory=list)  # (key, wording, calmer after?)
    times_to_ack: list[float] = field(default_factory=list)
    start: datetime | None = None  # the first message time: the aggregation puts it on a day in the team's zone


def conversation_trend(values: list[float]) -> str:
    if len(values) < 2:
        return "steady"
    third = max(1, len(values) // 3)
    change = statistics.fmean(values[-third:]) - statistics.fmean(values[:third])
    if change > TREND_BY:
        return "rising"
    if change < -TREND_BY:
        return "falling"
    return "steady"


def _seconds(later, earlier) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds())


def _moment_time(conversation: Conversation, turn: Turn, analysis):
    """When the customer showed the emotion: the message with the first cue, else the turn's first."""
    index = turn.customer[0]
    if analysis.cues:
        index = message_at(turn.customer, conversation, min(cue.start for cue in analysis.cues))
    time = conversation.messages[index].time
    if time is None:  # fall back to any time the turn has
        time = next((conversation.messages[i].time for i in turn.customer if conversation.messages[i].time), None)
    return time


def _ack_time(conversation: Conversation, turn: Turn, analysis):
    """When the acknowledgment arrived: the reply message holding the first acknowledging span."""
    if not turn.reply:
        return None
    index = turn.reply[0]
    spans = analysis.acknowledgment.spans
    if spans:
        index = message_at(turn.reply, conversation, min(span.start for span in spans))
    return conversation.messages[index].time


def analyse_conversation(conversation: Conversation, turns: list[Turn], analyses: list) -> tuple[dict, Extras]:
    extras = Extras()
    messages = conversation.messages
    times = [m.time for m in messages if m.time is not None]
    if times:
        extras.start = min(times)
    notes = list(conversation.notes)
    if not messages:
        notes.append("no messages")
    elif conversation.agent_count == 0:
        notes.append("no agent messages")
    elif conversation.customer_count == 0:
        notes.append("no customer messages")

    moments = []
    path = [negativity(a) for a in analyses]
    for position, (turn, analysis) in enumerate(zip(turns, analyses)):
        upset = needs_acknowledgment(analysis)
        replied = bool(turn.reply)
        acknowledged = bool(analysis.acknowledged) if replied else None
        moment = {
            "message": turn.customer[0] + 1,  # 1-based, as a person counts
            "emotion": analysis.emotion,
            "intensity": round(float(analysis.intensity), 3),
            "level": analysis.level,
            "needs_acknowledgment": upset,
            "topics": list(analysis.topics),
            "replied": replied,
            "agent": reply_agent(conversation, turn, analysis),
            "acknowledged": acknowledged,
            "time_to_ack_s": None,
            "calmer_after": None,
        }
        if upset and replied and not acknowledged:  # missed: the details a lead reads
            moment["cues"] = [{"text": c.text, "label": c.label, "kind": c.kind} for c in analysis.cues[:CUES_KEPT]]
            moment["acknowledgment"] = (list(analysis.acknowledgment.covers)
                                        + (["apology"] if analysis.acknowledgment.apology else []))
        if position + 1 < len(analyses) and replied:
            after = path[position + 1]
            moment["calmer_after"] = (after <= path[position] - CALMER_BY) or (path[position] > 0 and after == 0)
        if upset and acknowledged:
            moment["time_to_ack_s"] = _seconds(_ack_time(conversation, turn, analysis),
                                               _moment_time(conversation, turn, analysis))
            if moment["time_to_ack_s"] is not None:
                extras.times_to_ack.append(moment["time_to_ack_s"])
        if upset and replied and not acknowledged:
            extras.missed.append({
                "conversation": conversation.id,
                "source": conversation.source,
                "message": moment["message"],
                "agent": moment["agent"],
                "emotion": analysis.emotion,
                "intensity": moment["intensity"],
                "cues": [c.text for c in analysis.cues][:6],
                "customer": "\n".join(messages[i].text for i in turn.customer)[:TEXT_LIMIT],
                "reply": "\n".join(messages[i].text for i in turn.reply)[:TEXT_LIMIT],
            })
        if upset and replied and moment["calmer_after"] is not None:
            draft = "\n".join(messages[i].text for i in turn.reply)
            seen = set()
            for span in analysis.acknowledgment.spans:
                sentence = phrases.containing(draft, span.start, span.end)
                if not sentence:
                    continue
                normalized = phrases.normalize(sentence)
                if normalized and normalized not in seen:
                    seen.add(normalized)
                    extras.effective.append((phrases.key(normalized), sentence, moment["calmer_after"]))
        moments.append(moment)

    # Agent sentences: each counted once per conversation for "canned"; repeats inside this chat listed.
    counts: dict[str, int] = {}
    wording: dict[str, str] = {}
    for message in messages:
        if message.role != "agent":
            continue
        for sentence in phrases.sentences(message.text):
            normalized = phrases.normalize(sentence)
            if not phrases.countable(normalized):
                continue
            sentence_key = phrases.key(normalized)
            counts[sentence_key] = counts.get(sentence_key, 0) + 1
            wording.setdefault(sentence_key, sentence)
    extras.sentences = wording
    repeated = [wording[k] for k, n in counts.items() if n >= 2]

    upset_moments = [m for m in moments if m["needs_acknowledgment"]]
    answered = [m for m in upset_moments if m["replied"]]
    acked = [m for m in answered if m["acknowledged"]]
    emotional = [m for m in moments if m["emotion"] != "neutral"]
    peak = max(range(len(path)), key=path.__getitem__) if path else None
    topics = sorted({t for m in moments for t in m["topics"]})
    findings = {
        "id": conversation.id,
        "source": conversation.source,
        "messages": len(messages),
        "customer_messages": conversation.customer_count,
        "agent_messages": conversation.agent_count,
        "agents": conversation_agents(conversation),
        "start": min(times).isoformat() if times else None,
        "end": max(times).isoformat() if times else None,
        "moments": emotional,  # neutral turns are counted, not listed
        "customer_turns": len(moments),
        "upset_moments": len(upset_moments),
        "acknowledged": len(acked),
        "missed": len(answered) - len(acked),
        "unanswered": len(upset_moments) - len(answered),
        "acknowledgment_rate": round(len(acked) / len(answered), 4) if answered else None,
        "median_time_to_ack_s": statistics.median(extras.times_to_ack) if extras.times_to_ack else None,
        "start_emotion": moments[0]["emotion"] if moments else None,
        "peak_emotion": moments[peak]["emotion"] if peak is not None and path[peak] > 0 else None,
        "end_emotion": moments[-1]["emotion"] if moments else None,
        "trend": conversation_trend(path),
        "negativity_path": [round(v, 2) for v in path],
        "topics": topics,
        "repeated_phrases": repeated,
        "notes": notes,
    }
    return findings, extras
