"""Accuracy on our labelled support-chat set (tests/data/support_chat.jsonl, see tests/data/README.md).

Thresholds sit well above what a constant or a sentiment lexicon reaches: the majority class is 17%
of the rows, VADER's needs-acknowledgment F1 is about 0.70. The rules were written with this set in
view, so the margins below the measured figures (see benchmarks/bench_support_chat.py) are kept.
"""

import sys
from collections import Counter
from pathlib import Path

import pytest

from assist import Analyzer
from assist.core.labels import CUE_KINDS, EMOTIONS, TOPICS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_support_chat import evaluate, load_rows  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return load_rows()


@pytest.fixture(scope="module")
def report(rows):
    return evaluate(Analyzer().load(), rows)


def test_the_set_covers_every_label_topic_and_cue_kind(rows):
    assert len(rows) >= 300
    assert set(Counter(r["emotion"] for r in rows)) == set(EMOTIONS)
    assert {t for r in rows for t in r["topics"]} == set(TOPICS)
    assert {k for r in rows for k in r["cue_kinds"]} == set(CUE_KINDS)
    assert sum("draft" in r for r in rows) >= 100
    assert sum(1 for r in rows if r.get("history")) >= 5
    assert len({r["id"] for r in rows}) == len(rows)


def test_emotion_accuracy_far_above_the_majority_class(report):
    assert report["majority_rate"] < 0.25
    assert report["emotion_accuracy"] >= 0.85
    assert report["emotion_macro_f1"] >= 0.85


def test_needs_acknowledgment(report):
    assert report["needs_ack_f1"] >= 0.92


def test_acknowledgment_of_drafts(report):
    assert report["acknowledged_rows"] >= 100
    assert report["acknowledged_accuracy"] >= 0.9


def test_topics(report):
    assert report["topic_micro_f1"] >= 0.85


def test_cue_kinds_found(report):
    assert report["cue_kind_recall_all"] >= 0.9
    assert min(report["cue_kind_recall"].values()) >= 0.75


def test_other_languages_detected(report):
    assert report["foreign_lang_accuracy"] >= 0.75


def test_rules_alone_still_beat_the_majority_class_by_far(rows):
    rules = evaluate(Analyzer(use_model=False).load(), rows)
    assert rules["emotion_accuracy"] >= 0.8
    assert rules["needs_ack_f1"] >= 0.9


# Messages never used to tune the rules, each with floors well below what it measures and far above its
# majority class: (file, majority below, emotion accuracy, needs-ack F1, acknowledged accuracy).
HOLDOUTS = [
    # 39 written after the rules were tuned. Measured 0.949 / 0.982 / 20 of 20.
    ("support_chat_holdout.jsonl", 0.25, 0.75, 0.85, 0.85),
    # 80 written and labelled blind (telecom, banking, airlines, food delivery, SaaS, utilities). First
    # 0.600 / 0.784 / 33 of 39; the general weaknesses it showed were then fixed ("can't stop crying" read
    # as a negation; an apology naming another feeling did not count; waiting on us with no order or
    # account named was not support chat; "in 40 min" was no deadline) and our support-chat examples
    # joined training: 0.738 / 0.893 / 35 of 39. No longer blind.
    ("support_chat_holdout2.jsonl", 0.2, 0.5, 0.7, 0.75),
    # 80 more written blind (insurance, ISP, car rental, gaming, travel, healthcare portal), never used to
    # choose anything: 0.600 with the rules of before, 0.613 after the fixes above, 0.688 with our examples
    # in training (needs-ack F1 0.796 -> 0.820 -> 0.883; VADER 0.595), 30 of 35 acknowledgments right.
    ("support_chat_holdout3.jsonl", 0.2, 0.55, 0.78, 0.75),
    # 80 more written blind (pet supplies, parking, dental booking, crypto, tax software, concert tickets...),
    # scored once with the shipped model and rules: 0.800 / 0.946 (VADER 0.475) / 34 of 35.
    ("support_chat_holdout4.jsonl", 0.2, 0.65, 0.85, 0.85),
]


@pytest.mark.parametrize("name, majority, emotion, needs_ack, acknowledged", HOLDOUTS)
def test_holdouts_written_apart_from_the_rules(name, majority, emotion, needs_ack, acknowledged):
    """See README, "How good": the blind holdouts score well below the set the rules were tuned on."""
    holdout = evaluate(Analyzer().load(), load_rows(Path(__file__).resolve().parents[1] / "data" / name))
    assert holdout["majority_rate"] < majority
    assert holdout["emotion_accuracy"] >= emotion
    assert holdout["needs_ack_f1"] >= needs_ack
    assert holdout["acknowledged_accuracy"] >= acknowledged
