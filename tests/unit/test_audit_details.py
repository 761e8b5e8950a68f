"""report.json stays bounded: only the worst missed moments keep their cues, and those only the first few."""

from __future__ import annotations

import json

from assist.audit.aggregate import Summary
from assist.audit.details import DETAILED_MISSED
from assist.audit.findings import CUES_KEPT, analyse_conversation
from assist.audit.model import Conversation, Message
from assist.audit.turns import build_turns
from assist.audit.writers import ReportWriter
from assist.core.types import Analysis, Cue

MISSED = DETAILED_MISSED + 300


def one(number: int, acknowledged: bool):
    text = "I am furious " * 20
    chat = Conversation(f"c{number}", (Message("customer", text), Message("agent", "Email?")), source=f"in:{number}")
    cues = tuple(Cue(i * 13, i * 13 + 7, "furious", "anger", "lexicon") for i in range(20))
    intensity = round(0.3 + 0.6 * ((number * 7919) % MISSED) / MISSED, 3)  # every value once, shuffled
    analysis = Analysis(emotion="anger", intensity=intensity, level="high", needs_acknowledgment=True, cues=cues,
                        acknowledged=acknowledged)
    return analyse_conversation(chat, build_turns(chat), [analysis])


def test_only_the_worst_missed_moments_keep_details_and_the_size_per_conversation_is_bounded(tmp_path):
    summary, writer = Summary(), ReportWriter(tmp_path)
    for number in range(MISSED + 200):
        findings, extras = one(number, acknowledged=number >= MISSED)
        summary.add(findings, extras)
        writer.add(findings, extras.sentences.keys())
    reports = writer.finish(summary.to_dict(), {"files": []})
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    moments = [m for c in data["conversations"] for m in c["moments"]]
    detailed = [m for m in moments if "cues" in m]
    assert len(detailed) == DETAILED_MISSED
    missed = sorted((m["intensity"] for m in moments if m["acknowledged"] is False), reverse=True)
    assert sorted(m["intensity"] for m in detailed) == sorted(missed[:DETAILED_MISSED])  # the strongest ones
    assert all(len(m["cues"]) == CUES_KEPT and "acknowledgment" in m for m in detailed)
    assert not any("acknowledgment" in m for m in moments if "cues" not in m)
    compact = [m for m in moments if "cues" not in m]
    assert compact and set(compact[0]) == {"message", "emotion", "intensity", "level", "needs_acknowledgment",
                                           "topics", "replied", "agent", "acknowledged", "time_to_ack_s",
                                           "calmer_after"}
    assert data["meta"]["details"]["missed_moments"] == MISSED
    assert data["meta"]["details"]["missed_moments_with_details"] == DETAILED_MISSED
    # Twenty cues per message, yet a conversation costs a few hundred bytes past the detailed ones.
    lines = [line for line in reports["json"].read_text(encoding="utf-8").splitlines() if line.startswith('{"id":')]
    assert len(lines) == MISSED + 200
    assert max(len(line) for line in lines if '"cues"' not in line) < 700
    assert max(len(line) for line in lines) < 1200
    assert summary.to_dict()["missed"] == MISSED  # counting is unaffected
