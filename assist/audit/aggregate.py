"""Across all conversations: acknowledgment rates, emotion mix, trend by day, canned and effective phrases.

Everything here is a count, a bounded table or a bounded sample: memory does not grow with the
number of conversations (except one small row per calendar day, and per agent: by_agent.py).
Days are the team's (days.py); per-agent rows are by_agent.py's.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from ..core.labels import EMOTIONS, NEGATIVE_EMOTIONS, TOPICS
from .by_agent import AgentTable
from .counting import BoundedCounter, Reservoir, TopN
from .days import Days
from .findings import Extras

WORST_KEPT = 25
CANNED_SHARE = 0.05  # a sentence in at least 5% of conversations (and in at least CANNED_MIN) is canned
CANNED_MIN = 3
EFFECTIVE_MIN_USES = 3
PROBLEMS_KEPT = 500


def _rate(acked: int, total: int) -> float | None:
    return round(acked / total, 4) if total else None


class Summary:
    def __init__(self, days: Days | None = None):
        self.days = days if days is not None else Days("UTC")
        self.agents = AgentTable()
        self.conversations = 0
        self.messages = 0
        self.customer_messages = 0
        self.agent_messages = 0
        self.customer_turns = 0
        self.no_agent = 0
        self.no_customer = 0
        self.emotion_mix: Counter = Counter()
        self.level_mix: Counter = Counter()
        self.trends: Counter = Counter()
        self.upset = 0
        self.unanswered = 0
        self.by_emotion = defaultdict(lambda: [0, 0])  # emotion -> [acknowledged, answered]
        self.by_topic = defaultdict(lambda: [0, 0])
        self.by_day = defaultdict(lambda: {"conversations": 0, "upset": 0, "answered": 0, "acknowledged": 0,
                                           "turns": 0, "negativity": 0.0})
        self.times_to_ack = Reservoir()
        self.worst = TopN(WORST_KEPT)
        self.sentences = BoundedCounter(20000)  # key -> [conversations, wording]
        self.effective = BoundedCounter(20000)  # key -> [uses, wording, calmer]
        self.conversations_with_agent = 0
        self.problems: list[dict] = []
        self.problem_count = 0

    def add_problem(self, problem) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(problem.to_dict())

    def add(self, findings: dict, extras: Extras) -> None:
        self.conversations += 1
        self.messages += findings["messages"]
        self.customer_messages += findings["customer_messages"]
        self.agent_messages += findings["agent_messages"]
        self.customer_turns += findings["customer_turns"]
        if findings["agent_messages"] == 0:
            self.no_agent += 1
        else:
            self.conversations_with_agent += 1
        if findings["customer_messages"] == 0:
            self.no_customer += 1
        if findings["customer_turns"]:
            self.trends[findings["trend"]] += 1
        neutral_turns = findings["customer_turns"] - len(findings["moments"])
        self.emotion_mix["neutral"] += neutral_turns
        self.agents.add(findings)
        day_name = self.days.day(extras.start)
        day = self.by_day[day_name] if day_name else None
        if day is not None:
            day["conversations"] += 1
            day["turns"] += findings["customer_turns"]
            day["negativity"] += sum(findings["negativity_path"])
        for moment in findings["moments"]:
            self.emotion_mix[moment["emotion"]] += 1
            self.level_mix[moment["level"]] += 1
            if not moment["needs_acknowledgment"]:
                continue
            self.upset += 1
            if day is not None:
                day["upset"] += 1
            if not moment["replied"]:
                self.unanswered += 1
                continue
            hit = 1 if moment["acknowledged"] else 0
            cell = self.by_emotion[moment["emotion"]]
            cell[0] += hit
            cell[1] += 1
            for topic in moment["topics"] or ["other"]:
                cell = self.by_topic[topic]
                cell[0] += hit
                cell[1] += 1
            if day is not None:
                day["answered"] += 1
                day["acknowledged"] += hit
        for seconds in extras.times_to_ack:
            self.times_to_ack.add(seconds)
        for missed in extras.missed:
            self.worst.offer(missed["intensity"], missed)
        for key, wording in extras.sentences.items():
            self.sentences.add(key, (wording,))
        for key, wording, calmer in extras.effective:
            entry = self.effective.add(key, (wording, 0))
            entry[2] += 1 if calmer else 0

    # -- results -----------------------------------------------------------------------------

    def canned_threshold(self) -> int:
        return max(CANNED_MIN, math.ceil(CANNED_SHARE * self.conversations_with_agent))

    def canned(self) -> list[dict]:
        threshold = self.canned_threshold()
        return [
            {"key": key, "text": entry[1], "conversations": entry[0],
             "share": round(entry[0] / self.conversations_with_agent, 4)}
            for key, entry in self.sentences.most_common(40, minimum=threshold)
        ]

    def effective_phrases(self, n: int = 15) -> list[dict]:
        rows = []
        for key, (uses, wording, calmer) in self.effective.counts.items():
            if uses < EFFECTIVE_MIN_USES:
                continue
            # Rank by a cautious rate (Laplace-smoothed) so three lucky uses don't beat fifty good ones.
            rows.append({"text": wording, "uses": uses, "calmer_after": calmer,
                         "calmer_rate": round(calmer / uses, 4), "score": (calmer + 1) / (uses + 2)})
        rows.sort(key=lambda row: (-row["score"], -row["uses"], row["text"]))
        for row in rows:
            del row["score"]
        return rows[:n]

    def to_dict(self) -> dict:
        answered = sum(cell[1] for cell in self.by_emotion.values())
        acked = sum(cell[0] for cell in self.by_emotion.values())
        emotions = [e for e in EMOTIONS if e in NEGATIVE_EMOTIONS]
        topics = list(TOPICS) + sorted(set(self.by_topic) - set(TOPICS))
        return {
            "conversations": self.conversations,
            "messages": self.messages,
            "customer_messages": self.customer_messages,
            "agent_messages": self.agent_messages,
            "customer_turns": self.customer_turns,
            "conversations_without_agent": self.no_agent,
            "conversations_without_customer": self.no_customer,
            "upset_moments": self.upset,
            "answered_upset_moments": answered,
            "acknowledged": acked,
            "missed": answered - acked,
            "unanswered_upset_moments": self.unanswered,
            "acknowledgment_rate": {
                "overall": _rate(acked, answered),
                "by_emotion": {e: _rate(*self.by_emotion[e]) for e in emotions if self.by_emotion.get(e, [0, 0])[1]},
                "by_topic": {t: _rate(*self.by_topic[t]) for t in topics if self.by_topic.get(t, [0, 0])[1]},
            },
            "counts": {
                "by_emotion": {e: {"acknowledged": c[0], "answered": c[1]} for e, c in self.by_emotion.items()},
                "by_topic": {t: {"acknowledged": c[0], "answered": c[1]} for t, c in self.by_topic.items()},
            },
            "emotion_mix": {e: self.emotion_mix.get(e, 0) for e in EMOTIONS},
            "intensity_levels": dict(self.level_mix),
            "conversation_trends": {t: self.trends.get(t, 0) for t in ("rising", "steady", "falling")},
            "time_to_ack_s": {
                "measured": self.times_to_ack.count,
                "median": self.times_to_ack.percentile(0.5),
                "p90": self.times_to_ack.percentile(0.9),
            },
            "by_day": [
                {"day": day, **{k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()},
                 "acknowledgment_rate": _rate(row["acknowledged"], row["answered"]),
                 "mean_negativity": round(row["negativity"] / row["turns"], 4) if row["turns"] else None}
                for day, row in sorted(self.by_day.items())
            ],
            "by_agent": self.agents.to_dict(),
            "by_agent_note": self.agents.note(),
            "worst_missed": self.worst.items(),
            "canned_phrases": self.canned(),
            "canned_threshold_conversations": self.canned_threshold(),
            "effective_phrases": self.effective_phrases(),
            "problems": {"count": self.problem_count, "listed": self.problems},
        }
