"""Accuracy of the analyzer on our labelled support-chat set (tests/data/support_chat.jsonl).

    .venv/bin/python benchmarks/bench_support_chat.py [--rules-only] [--errors]

Prints emotion accuracy (and the majority-class rate it must beat), macro-F1 over the labels present,
needs-acknowledgment F1, acknowledgment accuracy on drafts, topic micro-F1, cue-kind recall, and the
same needs-acknowledgment decision by VADER (compound < -0.05) as a peer.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "support_chat.jsonl"


def load_rows(path: Path = DATA) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def f1(pairs, positive=True) -> float:
    tp = sum(1 for gold, pred in pairs if gold == positive and pred == positive)
    fp = sum(1 for gold, pred in pairs if gold != positive and pred == positive)
    fn = sum(1 for gold, pred in pairs if gold == positive and pred != positive)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def evaluate(analyzer, rows: list[dict]) -> dict:
    items = [{"customer": r["customer"], "draft": r.get("draft", ""), "history": r.get("history", [])} for r in rows]
    results = list(analyzer.analyze_many(items))
    emotion_pairs = [(r["emotion"], a.emotion) for r, a in zip(rows, results)]
    labels = sorted({g for g, _ in emotion_pairs})
    macro = sum(f1([(g == lab, p == lab) for g, p in emotion_pairs]) for lab in labels) / len(labels)
    need_pairs = [(r["needs_acknowledgment"], a.needs_acknowledgment) for r, a in zip(rows, results)]
    ack_pairs = [(r["acknowledged"], a.acknowledged) for r, a in zip(rows, results) if "acknowledged" in r]
    tp = fp = fn = 0
    for r, a in zip(rows, results):
        gold, pred = set(r["topics"]), set(a.topics)
        tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
    kind_hits, kind_total = Counter(), Counter()
    for r, a in zip(rows, results):
        found = {c.kind for c in a.cues}
        for kind in r["cue_kinds"]:
            kind_total[kind] += 1
            kind_hits[kind] += kind in found
    majority = Counter(g for g, _ in emotion_pairs).most_common(1)[0][1] / len(rows)
    foreign = [(r, a) for r, a in zip(rows, results) if r.get("lang")]
    return {
        "rows": len(rows),
        "emotion_accuracy": sum(g == p for g, p in emotion_pairs) / len(rows),
        "majority_rate": majority,
        "emotion_macro_f1": macro,
        "needs_ack_f1": f1(need_pairs),
        "needs_ack_accuracy": sum(g == p for g, p in need_pairs) / len(rows),
        "acknowledged_accuracy": sum(g == p for g, p in ack_pairs) / len(ack_pairs),
        "acknowledged_rows": len(ack_pairs),
        "topic_micro_f1": 2 * tp / (2 * tp + fp + fn),
        "cue_kind_recall": {k: kind_hits[k] / kind_total[k] for k in sorted(kind_total)},
        "cue_kind_recall_all": sum(kind_hits.values()) / sum(kind_total.values()),
        "foreign_lang_accuracy": sum(a.lang == r["lang"] for r, a in foreign) / max(1, len(foreign)),
        "results": results,
    }


def vader_needs_ack_f1(rows: list[dict]) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    pairs = [(r["needs_acknowledgment"], vader.polarity_scores(r["customer"])["compound"] < -0.05) for r in rows]
    return f1(pairs)


GOEMOTIONS = ROOT.parent / "shared" / "data" / "goemotions"
GROUPS = {
    "anger_frustration": "anger annoyance disgust", "disappointment": "disappointment", "confusion": "confusion",
    "anxiety": "fear nervousness", "sadness": "sadness grief remorse",
    "positive": "gratitude admiration amusement approval caring excitement joy love optimism pride relief",
    "neutral": "neutral",
}


def goemotions_rows() -> list[tuple[str, str]]:
    """GoEmotions test rows whose labels land in exactly one group, as the model card counts them
    (a label of no group beside a grouped one is ignored): the rows of bench_accuracy.py."""
    from assist.core.labels import MODEL_GROUPS
    from assist.training.data import load_goemotions

    test = load_goemotions(GOEMOTIONS.parent, "test")
    return [(text, MODEL_GROUPS[g]) for text, g in zip(test.texts, test.groups)]


def macro_f1(pairs) -> float:
    labels = sorted({gold for gold, _ in pairs})
    return sum(f1([(g == lab, p == lab) for g, p in pairs]) for lab in labels) / len(labels)


def goemotions_check(analyzer) -> str:
    """The full analyzer (model + support-chat rules) on the model's home data: the rules must not wreck it."""
    rows = goemotions_rows()
    to_group = {"anger": "anger_frustration", "frustration": "anger_frustration", "urgency": "anger_frustration"}
    results = list(analyzer.analyze_many({"customer": text} for text, _ in rows))
    pairs = [(gold, to_group.get(a.emotion, a.emotion)) for (_, gold), a in zip(rows, results)]
    negative = [(g not in ("positive", "neutral"), a.needs_acknowledgment) for (g, _), a in zip(pairs, results)]
    needs = (f1(negative, True) + f1(negative, False)) / 2
    return f"GoEmotions test, {len(rows)} grouped rows: macro-F1 {macro_f1(pairs):.3f}, needs-ack macro-F1 {needs:.3f}"


BITEXT = ROOT.parent / "shared" / "data" / "bitext" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"
# Bitext intents with one obvious topic; the rest (reviews, complaints, contact, orders) are left out.
BITEXT_TOPIC = {
    "delivery_period": "delivery", "delivery_options": "delivery", "track_order": "delivery",
    "set_up_shipping_address": "delivery", "change_shipping_address": "delivery",
    "edit_account": "account", "create_account": "account", "switch_account": "account",
    "delete_account": "account", "recover_password": "account", "registration_problems": "account",
    "check_invoice": "billing", "get_invoice": "billing", "check_payment_methods": "billing",
    "payment_issue": "billing", "track_refund": "refund", "get_refund": "refund",
    "check_refund_policy": "refund", "cancel_order": "cancellation", "check_cancellation_fee": "cancellation",
}


def bitext_check(analyzer) -> str:
    """Topic recall per Bitext intent: is the intent's topic among the topics found?"""
    import csv
    from collections import defaultdict

    with BITEXT.open(encoding="utf-8") as handle:
        rows = [(r["instruction"], r["intent"]) for r in csv.DictReader(handle) if r["intent"] in BITEXT_TOPIC]
    results = analyzer.analyze_many({"customer": text} for text, _ in rows)
    hits, totals = defaultdict(int), defaultdict(int)
    for (_, intent), analysis in zip(rows, results):
        topic = BITEXT_TOPIC[intent]
        totals[topic] += 1
        hits[topic] += topic in analysis.topics
    per_topic = " ".join(f"{t}={hits[t] / totals[t]:.2f}" for t in sorted(totals))
    return f"Bitext, {len(rows)} requests: topic recall {sum(hits.values()) / len(rows):.3f} ({per_topic})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules-only", action="store_true", help="without the emotion model")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="labelled JSON lines (default: the main set; tests/data/support_chat_holdout.jsonl "
                             "holds 39 messages written after the rules were tuned and never tuned on)")
    parser.add_argument("--errors", action="store_true", help="list the rows the analyzer gets wrong")
    parser.add_argument("--bitext", action="store_true",
                        help="also check topic recall on Bitext's requests (needs ../shared/data)")
    parser.add_argument("--goemotions", action="store_true",
                        help="also score the whole analyzer on GoEmotions test (needs ../shared/data; "
                             "bench_accuracy.py --analyzer prints it per group beside VADER and the classifier)")
    args = parser.parse_args()
    from assist import Analyzer

    analyzer = Analyzer(use_model=not args.rules_only).load()
    rows = load_rows(args.data)
    report = evaluate(analyzer, rows)
    print(f"{args.data.name}: {report['rows']} rows ({'rules only' if args.rules_only else 'model + rules'})")
    print(f"  emotion accuracy      {report['emotion_accuracy']:.3f}  (majority class {report['majority_rate']:.3f})")
    print(f"  emotion macro-F1      {report['emotion_macro_f1']:.3f}")
    print(f"  needs-ack F1          {report['needs_ack_f1']:.3f}  (VADER {vader_needs_ack_f1(rows):.3f})")
    print(f"  needs-ack accuracy    {report['needs_ack_accuracy']:.3f}")
    print(f"  acknowledged accuracy {report['acknowledged_accuracy']:.3f}  on {report['acknowledged_rows']} drafts")
    print(f"  topic micro-F1        {report['topic_micro_f1']:.3f}")
    print(f"  cue-kind recall       {report['cue_kind_recall_all']:.3f}  "
          + " ".join(f"{k}={v:.2f}" for k, v in report["cue_kind_recall"].items()))
    print(f"  other languages       {report['foreign_lang_accuracy']:.3f} detected")
    if args.bitext:
        print("  " + bitext_check(analyzer))
    if args.goemotions:
        print("  " + goemotions_check(analyzer))
    if args.errors:
        for row, a in zip(rows, report["results"]):
            problems = []
            if row["emotion"] != a.emotion:
                problems.append(f"emotion {row['emotion']}->{a.emotion}")
            if "acknowledged" in row and row["acknowledged"] != a.acknowledged:
                problems.append(f"ack {row['acknowledged']}->{a.acknowledged}")
            if set(row["topics"]) != set(a.topics):
                problems.append(f"topics {row['topics']}->{list(a.topics)}")
            missing = set(row["cue_kinds"]) - {c.kind for c in a.cues}
            if missing:
                problems.append(f"cues missing {sorted(missing)}")
            if problems:
                print(f"{row['id']}: {'; '.join(problems)} | {row['customer'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
