"""Per agent: agent ids read from JSON lines and CSV, who an upset moment is charged to, the per-agent rows.

The end-to-end test runs the real analyzer over tests/data/audit/agents/, a hand-made export whose
right answers are worked out by hand in the comments below.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from assist.audit.agents import UNKNOWN, agent_id, conversation_agents, reply_agent
from assist.audit.aggregate import Summary
from assist.audit.by_agent import NO_IDS, AgentTable
from assist.audit.findings import analyse_conversation
from assist.audit.model import Conversation, Message
from assist.audit.readers import read_conversations
from assist.audit.turns import build_turns
from assist.core.types import AckSpan, Acknowledgment, Analysis

ROOT = Path(__file__).resolve().parents[2]
AGENTS = ROOT / "tests" / "data" / "audit" / "agents"


def read(path):
    problems = []
    return list(read_conversations(path, problems.append)), problems


def test_jsonl_agent_ids_on_messages_and_on_the_conversation():
    conversations, problems = read(AGENTS / "agents.jsonl")
    assert problems == []
    by_id = {c.id: c for c in conversations}
    assert by_id["a-1"].agent == "ana" and by_id["a-1"].messages[0].agent is None  # the conversation's
    assert [m.agent for m in by_id["a-2"].messages] == [None, "ben", None, "ben"]  # "agent_id"
    assert [m.agent for m in by_id["a-3"].messages] == [None, "ana", "ben"]  # "agent_name"
    assert by_id["a-4"].agent == "cleo" and by_id["a-4"].messages[1].agent == "dan"  # "assignee", "agent"
    assert by_id["a-7"].agent == "eve"  # "agent_id" on the conversation
    a4 = by_id["a-4"]
    assert [a4.agent_of(m) for m in a4.messages if m.role == "agent"] == ["dan", "cleo"]  # own id wins
    assert conversation_agents(by_id["a-6"]) == [UNKNOWN]


def test_csv_agent_column_on_agent_rows_and_assignee_on_customer_rows():
    conversations, problems = read(AGENTS / "agents.csv")
    assert problems == []
    first, second = conversations
    assert first.agent == "fay" and [first.agent_of(m) for m in first.messages if m.role == "agent"] == ["fay"]
    assert second.messages[1].agent == "gus" and second.messages[0].agent is None  # customers have no agent
    assert conversation_agents(second) == ["gus"]


def test_csv_agent_column_aliases_do_not_take_the_role_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("ticket_id,author,agent_name,body\n"
                    "t-1,customer,,My order is late\n"
                    "t-1,agent, Ana  Lima ,Sorry about that\n", encoding="utf-8")
    (conversation,), problems = read(path)
    assert problems == []
    assert [(m.role, m.agent) for m in conversation.messages] == [("customer", None), ("agent", "Ana Lima")]


def test_unusable_agent_values_are_reported_without_quoting_them(tmp_path):
    long_text = "I am so sorry to hear about your parcel, let me look into this for you right away please " * 2
    record = {"id": "u-1", "agent": ["x"], "messages": [
        {"role": "customer", "text": "hi"},
        {"role": "agent", "text": "hello", "agent": long_text},
        {"role": "agent", "text": "there", "agent_id": 42},
        {"role": "agent", "text": "yes", "agent": True},
        {"role": "agent", "text": "ok", "agent": {"id": 7, "name": "Ana"}},
        {"role": "customer", "text": "bye", "agent": "not-an-agent-message"}]}
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (conversation,), problems = read(path)
    assert conversation.agent is None
    assert [m.agent for m in conversation.messages] == [None, None, "42", None, "7", None]
    text = " | ".join(p.message for p in problems)
    assert "agent of type list" in text and "agent of type bool" in text
    assert "characters, not shown" in text and "sorry" not in text
    assert len(problems) == 3


def test_a_bad_agent_key_does_not_hide_a_good_one():
    from assist.audit.agents import CONVERSATION_KEYS, first_agent

    assert first_agent({"agent": {"team": "x"}, "assignee": "ana"}, CONVERSATION_KEYS) == "ana"
    assert first_agent({"agent": "", "agent_id": 7}, CONVERSATION_KEYS) == "7"
    assert first_agent({"messages": []}, CONVERSATION_KEYS) is None
    with pytest.raises(ValueError, match="agent object"):
        first_agent({"agent": {"team": "x"}}, CONVERSATION_KEYS)


def test_agent_id_forms():
    assert agent_id("  Ana\tLima ") == "Ana Lima" and agent_id(7) == "7" and agent_id(7.0) == "7"
    assert agent_id("") is None and agent_id(None) is None
    for bad in (True, 7.5, [1], {"team": "x"}, "x" * 101, UNKNOWN):
        with pytest.raises(ValueError):
            agent_id(bad)


def upset(acknowledged, ack_start=None):
    spans = (AckSpan(ack_start, ack_start + 5, "x", "anger", "empathy"),) if ack_start is not None else ()
    return Analysis(emotion="anger", intensity=0.8, needs_acknowledgment=True, acknowledged=acknowledged,
                    acknowledgment=Acknowledgment(covers=("anger",) if spans else (), spans=spans))


def hand_over(acknowledged, ack_start=None):
    chat = Conversation("h", (Message("customer", "I'm furious"), Message("agent", "One moment.", agent="ana"),
                              Message("agent", "So sorry about this.", agent="ben")))
    (turn,) = build_turns(chat)
    return reply_agent(chat, turn, upset(acknowledged, ack_start))


def test_a_hand_over_credits_the_acknowledging_agent_and_charges_a_miss_to_the_first():
    assert hand_over(True, len("One moment.\n")) == "ben"  # ben's message carried the acknowledgment
    assert hand_over(True, 0) == "ana"
    assert hand_over(False) == "ana"  # nobody acknowledged: the first to reply had the message in front of them


def findings(cid, agent, acknowledged, seconds=None):
    from datetime import datetime, timedelta, timezone

    t0 = datetime(2026, 11, 9, 9, tzinfo=timezone.utc)
    chat = Conversation(cid, (Message("customer", "I'm furious", t0),
                              Message("agent", "Sorry!", t0 + timedelta(seconds=seconds or 0), agent=agent)))
    return analyse_conversation(chat, build_turns(chat), [upset(acknowledged, 0 if acknowledged else None)])


def test_per_agent_rows_add_up_to_the_totals_and_order_most_missed_first():
    summary = Summary()
    for row in [("1", "ana", True, 30), ("2", "ana", True, 90), ("3", "ana", False), ("4", "ben", False),
                ("5", "ben", False), ("6", None, True, 10)]:
        summary.add(*findings(*row))
    result = summary.to_dict()
    assert list(result["by_agent"]) == ["ben", "ana", UNKNOWN]
    assert result["by_agent"]["ana"] == {"upset_moments": 3, "acknowledged": 2, "missed": 1,
                                         "acknowledgment_rate": 0.6667, "median_time_to_ack_s": 60.0,
                                         "conversations": 3}
    assert result["by_agent"]["ben"]["acknowledgment_rate"] == 0.0
    assert result["by_agent"][UNKNOWN]["median_time_to_ack_s"] == 10.0
    rows = result["by_agent"].values()
    assert sum(r["upset_moments"] for r in rows) == result["answered_upset_moments"]
    assert sum(r["acknowledged"] for r in rows) == result["acknowledged"]
    assert result["by_agent_note"] is None


def test_without_any_agent_id_there_are_no_rows_but_a_note():
    summary = Summary()
    summary.add(*findings("1", None, True))
    result = summary.to_dict()
    assert result["by_agent"] == {} and result["by_agent_note"] == NO_IDS


def test_the_agent_table_is_bounded(monkeypatch):
    from assist.audit import by_agent

    monkeypatch.setattr(by_agent, "AGENTS_KEPT", 3)
    table = AgentTable()
    for number in range(6):
        table.add({"agents": [f"agent-{number}"], "moments": []})
    assert list(table.to_dict()) == ["agent-0", "agent-1", "agent-2", by_agent.OTHER]
    assert table.to_dict()[by_agent.OTHER]["conversations"] == 3


# -- end to end: the real analyzer over the hand-made export -----------------------------------------

# Worked out by hand from tests/data/audit/agents/ (the analyzer's reading of each message is checked
# below, moment by moment):
#   a-1  ana (conversation's agent) acknowledges a frustrated customer 60 s later      ana +1 upset, +1 ack (60 s)
#   a-2  ben (agent_id) misses "charged me TWICE", then acknowledges after 120 s       ben +2 upset, +1 ack (120 s)
#   a-3  ana says "let me transfer you", ben acknowledges 240 s after the message      ben +1 upset, +1 ack (240 s)
#   a-4  dan (own id) misses; the next reply has no id: the assignee cleo misses        dan +1, cleo +1 upset
#   a-5  ana "please hold", ben "transferring you": missed, charged to the first (ana)  ana +1 upset
#   a-6  no ids anywhere: acknowledged after 45 s                                      (unknown) +1 upset, +1 ack
#   a-7  eve answers a neutral question at 23:30 UTC (00:30 in Berlin, the next day)   eve: a conversation only
#   k-a  CSV: assignee fay on the customer row; the agent row is empty: fay, 60 s       fay +1 upset, +1 ack
#   k-b  CSV: gus on his own row misses                                                 gus +1 upset
EXPECTED = {
    "ben": (3, 2, 1, 0.6667, 180.0, 3),  # upset, acknowledged, missed, rate, median seconds, conversations
    "ana": (2, 1, 1, 0.5, 60.0, 3),
    "cleo": (1, 0, 1, 0.0, None, 1),
    "dan": (1, 0, 1, 0.0, None, 1),
    "gus": (1, 0, 1, 0.0, None, 1),
    "fay": (1, 1, 0, 1.0, 60.0, 1),
    "eve": (0, 0, 0, None, None, 1),
    UNKNOWN: (1, 1, 0, 1.0, 45.0, 1),
}
FIELDS = ("upset_moments", "acknowledged", "missed", "acknowledgment_rate", "median_time_to_ack_s", "conversations")


@pytest.fixture(scope="module")
def agent_report(tmp_path_factory):
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    out = tmp_path_factory.mktemp("agents")
    run = subprocess.run([sys.executable, "-m", "assist", "--temp-basedir", "audit", str(AGENTS / "agents.jsonl"),
                          str(AGENTS / "agents.csv"), "--out", str(out), "--workers", "1",
                          "--timezone", "Europe/Berlin"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    return out, run


def test_per_agent_numbers_match_the_hand_worked_answers(agent_report):
    out, run = agent_report
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    summary = data["summary"]
    by_agent = {agent: tuple(row[f] for f in FIELDS) for agent, row in summary["by_agent"].items()}
    assert by_agent == EXPECTED
    assert list(summary["by_agent"]) == list(EXPECTED)  # most missed first, "(unknown)" last
    assert (summary["answered_upset_moments"], summary["acknowledged"]) == (10, 5)
    # a-7 at 23:30 UTC is on Tuesday in Berlin; everything else on Monday.
    assert [(d["day"], d["conversations"]) for d in summary["by_day"]] == [("2026-11-09", 8), ("2026-11-10", 1)]
    assert data["meta"]["timezone"] == "Europe/Berlin"
    moments = {c["id"]: [(m["agent"], m["acknowledged"]) for m in c["moments"] if m["needs_acknowledgment"]]
               for c in data["conversations"]}
    assert moments["a-3"] == [("ben", True)] and moments["a-5"] == [("ana", False)]
    assert moments["a-4"] == [("dan", False), ("cleo", False)] and moments["a-6"] == [(None, True)]
    assert "per agent: 7 agent(s); some replies name no agent" in run.stdout


def test_agents_in_the_csv_and_html_reports(agent_report):
    out, _ = agent_report
    with open(out / "report.csv", encoding="utf-8-sig", newline="") as handle:
        agents = {row["id"]: row["agents"] for row in csv.DictReader(handle)}
    assert agents["a-3"] == "ana; ben" and agents["a-6"] == UNKNOWN and agents["k-a"] == "fay"
    page = (out / "report.html").read_text(encoding="utf-8")
    section = page[page.index("<h2>By agent</h2>"):page.index("<h2>Worst missed moments</h2>")]
    assert section.index("ben") < section.index("ana") < section.index(UNKNOWN)
    assert "67%" in section and "3.0 min" in section  # ben: 2 of 3, median of 120 s and 240 s
    assert "2026-11-09 to 2026-11-10 (days in Europe/Berlin)" in page


def test_a_report_without_agent_ids_says_so(tmp_path):
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    from assist.audit import run_audit

    result = run_audit([ROOT / "tests" / "data" / "audit" / "chats.csv"], tmp_path, workers=1, show_progress=False,
                       timezone_name="UTC")
    assert result.summary["by_agent"] == {} and result.summary["by_agent_note"] == NO_IDS
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "The input names no agents" in page and "(unknown)</td>" not in page


def test_a_conversation_the_analyzer_fails_on_still_counts_for_its_agent():
    from assist.audit.engine import analyse_chunk

    class Broken:
        def analyze_many(self, items, **options):
            raise RuntimeError("simulated failure")

    chat = Conversation("f", (Message("customer", "I'm furious"), Message("agent", "Sorry!")), agent="ana")
    ((result, _),) = analyse_chunk([chat], Broken())
    assert result["agents"] == ["ana"] and "analysis failed" in result["notes"][0]
