"""Audit throughput: messages per second through the whole audit, on every core, against a peer.

Generates a synthetic set of support conversations (templates, seeded), then measures:
  1. the analyzer's batch rate in one process (p50/p99 seconds per batch of 256 turns),
  2. the full `run_audit` (read, analyse on all cores, aggregate, write the three reports),
  3. VADER over the same messages in the same run (the peer: a lexicon scorer, no acknowledgment),
and peak RSS of this process and of the largest worker. Target: >= 2,000 messages/s for (2).
Also the size of the reports per 1,000 conversations (report.json is bounded: see assist/audit/details.py).

    .venv/bin/python benchmarks/bench_audit.py [--conversations 3000] [--workers N] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

THINGS = {
    "delivery": ["order", "parcel", "package", "delivery"],
    "billing": ["invoice", "bill", "subscription charge", "payment"],
    "refund": ["refund", "money back", "return"],
    "account": ["account", "password", "login"],
    "technical": ["app", "website", "checkout page"],
    "cancellation": ["cancellation", "contract"],
}
CUSTOMER = {
    "anger": ["This is unacceptable! You charged me twice for my {thing} and I'm furious.",
              "I am SO angry, my {thing} is a mess and nobody helps!!!",
              "Are you kidding me? This is ridiculous, I want a manager about my {thing}."],
    "frustration": ["This is the third time I'm contacting you about my {thing}. Still not fixed.",
                    "I've been waiting two weeks for my {thing}, this is really frustrating.",
                    "Again? My {thing} still doesn't work. So annoying."],
    "disappointment": ["I'm really disappointed with the {thing}, it's not what I was promised.",
                       "Honestly a letdown. I expected better with my {thing}."],
    "confusion": ["I don't understand why my {thing} shows a different amount. Can you explain?",
                  "I'm confused, what happened to my {thing}? The page says something else."],
    "anxiety": ["I'm worried my {thing} won't be sorted before Friday, I really need it.",
                "I'm nervous about my {thing}, what if it gets lost?"],
    "sadness": ["I'm sad to say the {thing} was a gift and it all went wrong.",
                "It's heartbreaking, my {thing} was for my mother's birthday."],
    "urgency": ["I need my {thing} fixed today, it's urgent!", "Please hurry, I need the {thing} asap."],
    "neutral": ["Hi, I'd like to check the status of my {thing}.", "Can you tell me how to update my {thing}?",
                "My {thing} number is {n}."],
}
CALMER = ["Thanks, that helps.", "Ok, thank you for sorting it.", "Great, thanks a lot!", "Fine, thanks."]
# Mostly fitting the feeling, sometimes generic: generic lines do not always count as acknowledging it.
ACKS = {
    "anger": ["I'm so sorry, I can see why you're angry about this.", "I completely understand, and I'm sorry."],
    "frustration": ["I'm sorry this has taken so long, I understand how frustrating it is.",
                    "I completely understand your frustration."],
    "disappointment": ["I'm sorry, I understand how disappointing this must be."],
    "confusion": ["Sorry for the confusion, let me explain.", "I understand this is confusing, let me clear it up."],
    "anxiety": ["I can see why you're worried, I'll make sure this is sorted.",
                "I understand this is stressful, we'll fix it."],
    "sadness": ["I'm so sorry to hear that, that sounds really upsetting."],
    "urgency": ["I understand this is urgent, I'm on it right away."],
}
GENERIC_ACKS = ["I apologize for the trouble.", "Thank you for your patience.", "That sounds really stressful, I'm sorry."]
CONTENT = ["Let me check that for you.", "I've issued a refund of {n} EUR.", "It will arrive tomorrow.",
           "Please send me your order number.", "I've reset it for you.", "Our team is looking into it now."]
# Real chats rarely repeat word for word: openers, order numbers and details make most texts unique,
# so the analyzer's per-batch de-duplication does not flatter the figures.
OPENERS = ["", "", "Hi. ", "Hello, ", "Hey, ", "Good morning. ", "Sorry to bother you again. ", "Ok so ",
           "Listen, ", "Um, "]
DETAILS = ["", "", " Order #{n}{m}.", " Reference {m}-{n}.", " I ordered it on the {d}th.", " My name is {name}.",
           " This is for my {who}.", " I paid {n}.{m} EUR.", " Ticket {m}{n}."]
NAMES = ["Ana", "Ben", "Chloe", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kemal", "Lena"]
WHO = ["wife", "son", "office", "shop", "mother", "team"]
AGENTS = 20  # the synthetic team; each conversation is assigned to one of them
GREETING = "Hi, thanks for contacting Northwind support. How can I help?"
CLOSING = "Is there anything else I can help you with today?"


def generate(path: Path, conversations: int, seed: int = 11) -> int:
    """Write `conversations` synthetic chats as JSON lines; returns the number of messages."""
    rng = random.Random(seed)
    base = datetime(2026, 10, 26, 8, tzinfo=timezone.utc)
    messages_total = 0
    with open(path, "w", encoding="utf-8") as out:
        for number in range(conversations):
            agent = number % AGENTS
            skill = [0.35, 0.55, 0.7, 0.85, 0.95][agent % 5]  # agents acknowledge at different rates
            when = base + timedelta(days=rng.randrange(21), minutes=rng.randrange(600))
            topic = rng.choice(list(THINGS))
            messages = []

            def say(role, text):
                nonlocal when
                if role == "customer":
                    text = rng.choice(OPENERS) + text + rng.choice(DETAILS)
                text = text.format(thing=rng.choice(THINGS[topic]), n=rng.randrange(10, 999),
                                   m=rng.randrange(1000, 99999), d=rng.randrange(1, 28), name=rng.choice(NAMES),
                                   who=rng.choice(WHO))
                messages.append({"role": role, "text": text, "time": when.isoformat()})
                when += timedelta(seconds=rng.randrange(15, 300))

            if rng.random() < 0.5:
                say("agent", GREETING)
            emotion = rng.choice(list(CUSTOMER))
            for _ in range(rng.randrange(1, 5)):
                say("customer", rng.choice(CUSTOMER[emotion]))
                acked = emotion != "neutral" and rng.random() < skill
                ack = rng.choice(ACKS[emotion] if rng.random() < 0.75 else GENERIC_ACKS) if acked else ""
                say("agent", (ack + " " if ack else "") + rng.choice(CONTENT))
                if acked and rng.random() < 0.7:
                    emotion = "neutral"
                    say("customer", rng.choice(CALMER))
                    break
                if emotion == "neutral":
                    emotion = rng.choice(list(CUSTOMER))
            if rng.random() < 0.6:
                say("agent", CLOSING)
            messages_total += len(messages)
            out.write(json.dumps({"id": f"syn-{number}", "agent": f"agent-{agent:02d}", "messages": messages}) + "\n")
    return messages_total


def peak_rss_mb(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_analyzer_batches(path: Path, batch: int = 256, limit: int = 6000):
    from assist import Analyzer
    from assist.audit.readers import read_conversations
    from assist.audit.turns import build_turns

    items, messages = [], 0
    for conversation in read_conversations(path, lambda p: None):
        turns = build_turns(conversation)
        items.extend(turn.item(conversation) for turn in turns)
        messages += sum(len(t.customer) + len(t.reply) for t in turns)
        if len(items) >= limit:
            break
    analyzer = Analyzer()
    list(analyzer.analyze_many(items[:batch], batch_size=batch))  # warm-up
    timings = []
    started = time.perf_counter()
    for start in range(0, len(items), batch):
        t0 = time.perf_counter()
        list(analyzer.analyze_many(items[start:start + batch], batch_size=batch))
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    return {"items": len(items), "messages": messages, "seconds": elapsed, "timings": timings}


def bench_vader(path: Path, batch: int = 256):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = [m["text"] for line in open(path, encoding="utf-8") for m in json.loads(line)["messages"]]
    scorer = SentimentIntensityAnalyzer()
    timings = []
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        t0 = time.perf_counter()
        for text in texts[start:start + batch]:
            scorer.polarity_scores(text)
        timings.append(time.perf_counter() - t0)
    return {"messages": len(texts), "seconds": time.perf_counter() - started, "timings": timings}


def report_sizes(folder: Path, conversations: int, messages: int) -> str:
    """The reports' sizes, per 1,000 conversations and extrapolated to a million messages."""
    parts = []
    for name in ("report.json", "report.csv", "report.html"):
        size = (folder / name).stat().st_size
        parts.append(f"{name} {size / 1e6:.2f} MB ({size / conversations * 1000 / 1e3:,.0f} KB per 1,000 "
                     f"conversations, ~{size / messages * 1e6 / 1e6:,.0f} MB per million messages)")
    details = json.loads((folder / "report.json").read_text(encoding="utf-8"))["meta"]["details"]
    return ("report sizes: " + "; ".join(parts) + f"; details kept for {details['missed_moments_with_details']:,} "
            f"of {details['missed_moments']:,} missed moments (at most {details['limit']:,}, whatever the input)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="full-audit runs (the machine is shared: best and median)")
    parser.add_argument("--keep", metavar="DIR", help="write the input and the reports here (to look at them)")
    args = parser.parse_args()

    from assist.audit import run_audit
    from assist.audit.engine import default_workers

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-audit-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "synthetic.jsonl"
    total = generate(data, args.conversations)
    workers = args.workers or default_workers()
    print(f"input: {args.conversations:,} conversations, {total:,} messages, "
          f"{data.stat().st_size / 1e6:.1f} MB; {workers} worker(s)")

    single = bench_analyzer_batches(data)
    print(f"analyzer, 1 process:  {single['messages'] / single['seconds']:8,.0f} messages/s "
          f"({single['items'] / single['seconds']:,.0f} turns/s); per batch of 256 turns: "
          f"p50 {statistics.median(single['timings']) * 1000:.0f} ms, "
          f"p99 {percentile(single['timings'], 0.99) * 1000:.0f} ms")

    runs = []
    for run in range(args.repeat):
        chunks: list[float] = []
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = run_audit([data], folder / "report", workers=workers, show_progress=False, chunk_seconds=chunks)
        elapsed = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        main_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
        worker_cpu = ((children_after.ru_utime + children_after.ru_stime)
                      - (children_before.ru_utime + children_before.ru_stime))
        messages = result.summary["messages"]
        rate = messages / elapsed
        runs.append(rate)
        print(f"full audit, {workers} proc, run {run + 1}: {rate:8,.0f} messages/s ({elapsed:.1f} s wall incl. "
              f"loading the analyzer, reports written); per chunk of ~512 messages: "
              f"p50 {statistics.median(chunks) * 1000:.0f} ms, p99 {percentile(chunks, 0.99) * 1000:.0f} ms; "
              f"CPU main {main_cpu:.1f} s + workers {worker_cpu:.1f} s = "
              f"{messages / (main_cpu + worker_cpu):,.0f} messages per CPU-second; "
              f"load average {os.getloadavg()[0]:.1f} (shared machine)")
    best = max(runs)
    print(f"full audit: best {best:,.0f}, median {statistics.median(runs):,.0f} messages/s over {len(runs)} run(s): "
          f"{'OK' if best >= 2000 else 'BELOW'} target 2,000")

    vader = bench_vader(data)
    print(f"peer VADER, 1 process: {vader['messages'] / vader['seconds']:8,.0f} messages/s; per batch of 256 "
          f"messages: p50 {statistics.median(vader['timings']) * 1000:.0f} ms, "
          f"p99 {percentile(vader['timings'], 0.99) * 1000:.0f} ms (sentiment only: no cues, no acknowledgment)")
    print(f"peak RSS: main {peak_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"largest worker {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    print(report_sizes(folder / "report", args.conversations, total))
    print(f"reports: {folder / 'report'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
