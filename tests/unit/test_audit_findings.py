"""One conversation's findings, computed from hand-made Analysis values (the analyzer is tested on its own)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from assist.audit.findings import analyse_conversation, conversation_trend
from assist.audit.model import Conversation, Message
from assist.audit.turns import build_turns
from assist.core.types import AckSpan, Acknowledgment, Analysis, Cue

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def at(minutes: float):
    return T0 + timedelta(minutes=minutes)


def upset(emotion="frustration", intensity=0.8, acknowledged=None, cue=None, ack=None, topics=("delivery",)):
    cues = (Cue(cue[0], cue[1], "x", emotion, "lexicon"),) if cue else ()
    spans = (AckSpan(ack[0], ack[1], "x", emotion, "empathy"),) if ack else ()
    return Analysis(emotion=emotion, intensity=intensity, level="high" if intensity > 0.66 else "medium",
                    needs_acknowledgment=True, cues=cues, topics=topics, acknowledged=acknowledged,
                    acknowledgment=Acknowledgment(covers=(emotion,) if ack else (), spans=spans))


def calm(emotion="neutral", acknowledged=None):
    return Analysis(emotion=emotion, intensity=0.1, acknowledged=acknowledged)


def conversation(*messages, cid="c1"):
    return Conversation(cid, tuple(Message(role, text, time) for role, text, time in messages), source="f:1")


def test_turns_join_customer_messages_and_agent_replies_and_ignore_greetings():
    chat = conversation(
        ("agent", "Hi, how can I help?", None),
        ("customer", "Order late.", None), ("customer", "Really annoyed.", None),
        ("agent", "So sorry.", None), ("agent", "Checking now.", None),
        ("customer", "Thanks", None),
    )
    turns = build_turns(chat)
    assert [(t.customer, t.reply, t.history) for t in turns] == [((1, 2), (3, 4), ()), ((5,), (), ((1, 2),))]
    assert turns[0].item(chat) == {"customer": "Order late.\nReally annoyed.", "draft": "So sorry.\nChecking now.",
                                   "history": ()}
    assert turns[1].item(chat)["history"] == ("Order late.\nReally annoyed.",)  # as analysed the first time


def test_acknowledged_and_missed_moments_with_time_to_acknowledge_from_the_cue_to_the_ack():
    chat = conversation(
        ("customer", "Hello.", at(0)),
        ("customer", "Where is my parcel, I'm furious", at(2)),
        ("agent", "Let me look.", at(3)),
        ("agent", "I'm so sorry about this.", at(5)),
        ("customer", "Still nothing?? This is ridiculous", at(6)),
        ("agent", "Please wait.", at(9)),
        ("customer", "ok thanks", at(10)),
    )
    turns = build_turns(chat)
    # The cue sits in the second customer message (offset 7 + len("Hello.\n")); the ack in the second reply.
    analyses = [
        upset("anger", 0.9, acknowledged=True, cue=(30, 37), ack=(len("Let me look.\n") + 4, 30)),
        upset("frustration", 0.7, acknowledged=False, cue=(0, 5)),
        calm("positive"),
    ]
    findings, extras = analyse_conversation(chat, turns, analyses)
    assert (findings["upset_moments"], findings["acknowledged"], findings["missed"], findings["unanswered"]) == (2, 1, 1, 0)
    assert findings["acknowledgment_rate"] == 0.5
    first = findings["moments"][0]
    assert first["message"] == 1 and first["time_to_ack_s"] == 180.0  # 09:02 cue -> 09:05 acknowledgment
    assert findings["moments"][1]["acknowledged"] is False and findings["moments"][1]["time_to_ack_s"] is None
    assert findings["moments"][1]["calmer_after"] is True  # anger 0.7 -> positive
    assert findings["trend"] == "falling" and findings["peak_emotion"] == "anger"
    assert findings["start"] == at(0).isoformat() and extras.start == at(0)
    assert [m["customer"] for m in extras.missed] == ["Still nothing?? This is ridiculous"]
    assert extras.missed[0]["reply"] == "Please wait."
    assert extras.times_to_ack == [180.0]


def test_effective_phrase_is_the_acknowledging_sentence_and_records_whether_the_customer_calmed():
    reply = "Thanks for waiting. I completely understand how frustrating this is. Fixing it now."
    start = reply.index("I completely")
    chat = conversation(("customer", "Third time asking!!", None), ("agent", reply, None),
                        ("customer", "Fine, thank you", None))
    analyses = [upset(acknowledged=True, ack=(start, start + 12)), calm("positive")]
    findings, extras = analyse_conversation(chat, build_turns(chat), analyses)
    assert [(wording, calmer) for _, wording, calmer in extras.effective] == \
        [("I completely understand how frustrating this is.", True)]
    assert findings["median_time_to_ack_s"] is None  # no times in the input


def test_conversations_without_agent_or_customer_or_messages_are_noted_not_crashed():
    only_customer = conversation(("customer", "Anyone there? I'm worried", at(0)))
    findings, extras = analyse_conversation(only_customer, build_turns(only_customer),
                                            [upset("anxiety", 0.6)])
    assert findings["notes"] == ["no agent messages"]
    assert (findings["unanswered"], findings["acknowledgment_rate"]) == (1, None)
    assert findings["moments"][0]["acknowledged"] is None
    only_agent = conversation(("agent", "Hello, how can I help you today?", at(0)))
    findings, _ = analyse_conversation(only_agent, build_turns(only_agent), [])
    assert findings["notes"] == ["no customer messages"] and findings["customer_turns"] == 0
    findings, _ = analyse_conversation(conversation(), [], [])
    assert findings["notes"] == ["no messages"] and findings["trend"] == "steady"


def test_repeated_agent_sentences_inside_one_chat_are_listed_and_sentences_collected():
    chat = conversation(
        ("customer", "Help", None),
        ("agent", "Is there anything else I can help you with? Okay.", None),
        ("customer", "no", None),
        ("agent", "Is there anything else I can help you with 2day?", None),
        ("agent", "is there anything ELSE I can help you with?", None),
    )
    findings, extras = analyse_conversation(chat, build_turns(chat), [calm(), calm()])
    assert findings["repeated_phrases"] == ["Is there anything else I can help you with?"]
    assert len(extras.sentences) == 2  # "Okay." is too short to count; "2day" folds digits: a second sentence


def test_neutral_turns_are_counted_not_listed():
    chat = conversation(("customer", "Opening hours?", None), ("agent", "9 to 5.", None))
    findings, _ = analyse_conversation(chat, build_turns(chat), [calm(acknowledged=False)])
    assert findings["customer_turns"] == 1 and findings["moments"] == [] and findings["upset_moments"] == 0


def test_conversation_trend():
    assert conversation_trend([0.1, 0.2, 0.8]) == "rising"
    assert conversation_trend([0.9, 0.5, 0.0]) == "falling"
    assert conversation_trend([0.4, 0.45]) == "steady"
    assert conversation_trend([0.9]) == "steady"


# -- any conversation, any analysis: the findings stay consistent and serialisable ---------------

import json  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from assist.audit.aggregate import Summary  # noqa: E402
from assist.core.labels import EMOTIONS  # noqa: E402

messages_strategy = st.lists(
    st.tuples(st.sampled_from(["customer", "agent"]), st.text(max_size=60),
              st.one_of(st.none(), st.integers(min_value=0, max_value=10**6))),
    max_size=14)
analysis_strategy = st.builds(
    lambda emotion, intensity, needs, covered, start, length: Analysis(
        emotion=emotion, intensity=intensity, needs_acknowledgment=needs, acknowledged=covered,
        cues=(Cue(start, start + length, "x", emotion, "lexicon"),) if length else (),
        acknowledgment=Acknowledgment(spans=(AckSpan(start, start + length, "x", emotion, "empathy"),)
                                      if covered and length else ())),
    st.sampled_from(EMOTIONS), st.floats(0, 1), st.booleans(), st.booleans(),
    st.integers(0, 200), st.integers(0, 10))


@settings(max_examples=150, deadline=None)
@given(raw=messages_strategy, pool=st.lists(analysis_strategy, min_size=1, max_size=8))
def test_findings_are_consistent_for_any_conversation(raw, pool):
    chat = conversation(*[(role, text, None if t is None else T0 + timedelta(seconds=t)) for role, text, t in raw])
    turns = build_turns(chat)
    analyses = [pool[i % len(pool)] for i in range(len(turns))]
    findings, extras = analyse_conversation(chat, turns, analyses)
    assert findings["acknowledged"] + findings["missed"] + findings["unanswered"] == findings["upset_moments"]
    assert findings["customer_turns"] == len(turns) <= findings["customer_messages"]
    assert all(m["time_to_ack_s"] is None or m["time_to_ack_s"] >= 0 for m in findings["moments"])
    assert findings["trend"] in ("rising", "steady", "falling")
    summary = Summary()
    summary.add(findings, extras)
    json.dumps(summary.to_dict())
    json.dumps(findings)
