"""Per-agent rows of the report: each agent's upset moments, how many they acknowledged, how fast.

A moment belongs to the agent who answered it (agents.py says who, when two did). Only answered
upset moments count here, as in the overall rate: a customer who never got a reply belongs to nobody's
row. "Conversations" counts the chats an agent wrote in, so a hand-over counts for both agents.
Memory is one small row per agent, at most AGENTS_KEPT of them, with a bounded sample of times each.
"""

from __future__ import annotations

import statistics

from .agents import UNKNOWN
from .counting import Reservoir

AGENTS_KEPT = 2000  # an id per message (a shifted column) must not grow the table without end
OTHER = "(other agents)"  # where agents beyond AGENTS_KEPT are counted
TIMES_SAMPLED = 500  # per agent: the median stays exact up to here, sampled beyond
NO_IDS = ("The input names no agents. Add an agent id to agent messages (\"agent\", \"agent_id\" or "
          "\"agent_name\"), to each conversation (\"agent\", \"agent_id\" or \"assignee\"), or as a CSV column "
          "(agent, agent_id, agent_name or assignee) to see this report per agent.")


class _Row:
    __slots__ = ("conversations", "upset", "acknowledged", "times")

    def __init__(self):
        self.conversations = 0
        self.upset = 0
        self.acknowledged = 0
        self.times = Reservoir(size=TIMES_SAMPLED)


class AgentTable:
    def __init__(self):
        self.rows: dict[str, _Row] = {}
        self.named = False  # any agent id at all in the input

    def _row(self, agent: str) -> _Row:
        row = self.rows.get(agent)
        if row is None:
            if len(self.rows) >= AGENTS_KEPT and agent != UNKNOWN:
                agent = OTHER
                row = self.rows.get(agent)
            if row is None:
                row = self.rows[agent] = _Row()
        return row

    def add(self, findings: dict) -> None:
        for agent in findings.get("agents", ()):
            if agent != UNKNOWN:
                self.named = True
            self._row(agent).conversations += 1
        for moment in findings["moments"]:
            if not (moment["needs_acknowledgment"] and moment["replied"]):
                continue
            row = self._row(moment.get("agent") or UNKNOWN)
            row.upset += 1
            if moment["acknowledged"]:
                row.acknowledged += 1
                if moment["time_to_ack_s"] is not None:
                    row.times.add(moment["time_to_ack_s"])

    def to_dict(self) -> dict:
        """{agent: counts}: most missed first (where coaching helps most), "(unknown)" last."""
        if not self.named:
            return {}
        order = sorted(self.rows.items(), key=lambda item: (
            item[0] in (UNKNOWN, OTHER), -(item[1].upset - item[1].acknowledged), -item[1].upset, item[0]))
        return {agent: {
            "upset_moments": row.upset,
            "acknowledged": row.acknowledged,
            "missed": row.upset - row.acknowledged,
            "acknowledgment_rate": round(row.acknowledged / row.upset, 4) if row.upset else None,
            "median_time_to_ack_s": statistics.median(row.times.values) if row.times.values else None,
            "conversations": row.conversations,
        } for agent, row in order}

    def note(self) -> str | None:
        return None if self.named else NO_IDS
