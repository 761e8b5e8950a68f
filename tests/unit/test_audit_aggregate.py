"""Across conversations: rates by emotion and topic, canned and effective phrases, bounded memory."""

from __future__ import annotations

from datetime import datetime, timezone

from assist.audit.aggregate import Summary
from assist.audit.counting import BoundedCounter, Reservoir, TopN
from assist.audit.findings import analyse_conversation
from assist.audit.model import Conversation, Message, Problem
from assist.audit.turns import build_turns
from assist.core.types import AckSpan, Acknowledgment, Analysis

CANNED = "Is there anything else I can help you with today?"


def chat(cid, customer_text, reply, emotion, acknowledged, topics=("billing",), then=None):
    messages = [Message("customer", customer_text), Message("agent", reply)]
    analyses = [Analysis(emotion=emotion, intensity=0.8 if emotion != "neutral" else 0.0,
                         needs_acknowledgment=emotion != "neutral", topics=topics, acknowledged=acknowledged,
                         acknowledgment=Acknowledgment(spans=(AckSpan(0, 5, reply[:5], emotion, "empathy"),)
                                                       if acknowledged else ()))]
    if then is not None:
        messages.append(Message("customer", "..."))
        analyses.append(Analysis(emotion=then, intensity=0.9 if then == "anger" else 0.1))
    conversation = Conversation(cid, tuple(messages))
    return analyse_conversation(conversation, build_turns(conversation), analyses)


def build(summary, rows):
    for row in rows:
        summary.add(*chat(*row))
    return summary


def test_rates_overall_by_emotion_and_topic():
    summary = build(Summary(), [
        ("a", "I'm furious", "I'm sorry, that's awful. " + CANNED, "anger", True, ("billing",)),
        ("b", "I'm furious", "Send your email. " + CANNED, "anger", False, ("billing", "refund")),
        ("c", "I'm confused", "Sorry for the confusion. " + CANNED, "confusion", True, ()),
        ("d", "Opening hours?", "9 to 5.", "neutral", None, ()),
    ]).to_dict()
    rates = summary["acknowledgment_rate"]
    assert rates["overall"] == round(2 / 3, 4)
    assert rates["by_emotion"] == {"anger": 0.5, "confusion": 1.0}
    assert rates["by_topic"] == {"billing": 0.5, "refund": 0.0, "other": 1.0}
    assert summary["emotion_mix"]["anger"] == 2 and summary["emotion_mix"]["neutral"] == 1
    assert (summary["upset_moments"], summary["missed"]) == (3, 1)
    assert summary["worst_missed"][0]["conversation"] == "b"
    assert summary["worst_missed"][0]["customer"] == "I'm furious"
    # The closing line appears in 3 of 4 conversations with an agent: canned.
    assert [(c["text"], c["conversations"]) for c in summary["canned_phrases"]] == [(CANNED, 3)]


def test_effective_phrases_rank_by_calmer_customers_and_need_enough_uses():
    rows = []
    for i in range(6):  # "I hear you" calms 5 of 6
        rows.append((f"h{i}", "angry", "I hear you, that is awful.", "anger", True, (), "positive" if i else "anger"))
    for i in range(4):  # "Sorry" calms 1 of 4
        rows.append((f"s{i}", "angry", "Sorry about that.", "anger", True, (), "positive" if i == 0 else "anger"))
    rows.append(("x", "angry", "Lucky single use.", "anger", True, (), "positive"))
    effective = build(Summary(), rows).effective_phrases()
    assert [(p["text"], p["uses"], p["calmer_after"]) for p in effective] == [
        ("I hear you, that is awful.", 6, 5), ("Sorry about that.", 4, 1)]


def test_problems_are_counted_and_the_list_bounded():
    summary = Summary()
    for line in range(1, 1201):
        summary.add_problem(Problem("f.jsonl", line, "not valid JSON"))
    result = summary.to_dict()["problems"]
    assert result["count"] == 1200 and len(result["listed"]) == 500


def test_by_day_trend_rows():
    summary = Summary()
    findings, extras = chat("a", "I'm furious", "Sorry!", "anger", True)
    extras.start = datetime(2026, 11, 3, 10, tzinfo=timezone.utc)
    summary.add(findings, extras)
    findings, extras = chat("b", "I'm furious", "Email?", "anger", False)
    extras.start = datetime(2026, 11, 2, 10, tzinfo=timezone.utc)
    summary.add(findings, extras)
    days = summary.to_dict()["by_day"]
    assert [(d["day"], d["acknowledgment_rate"]) for d in days] == [("2026-11-02", 0.0), ("2026-11-03", 1.0)]


def test_bounded_counter_keeps_heavy_hitters_within_capacity():
    counter = BoundedCounter(capacity=100)
    for i in range(20000):
        counter.add(f"once-{i}", ("x",))
        if i % 10 == 0:
            counter.add("frequent", ("y",))
    assert len(counter.counts) <= 100
    top_key, (count, payload) = counter.most_common(1)[0]
    assert top_key == "frequent" and payload == "y" and count >= 2000 - counter.error_bound


def test_top_n_and_reservoir():
    top = TopN(3)
    for score in [5, 1, 9, 7, 3, 9]:
        top.offer(score, {"score": score})
    assert [item["score"] for item in top.items()] == [9, 9, 7]
    sample = Reservoir(size=100)
    for value in range(100000):
        sample.add(float(value))
    assert len(sample.values) == 100 and sample.count == 100000
    assert 30000 < sample.percentile(0.5) < 70000
