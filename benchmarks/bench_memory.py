"""Memory over a long batch of mostly unique words, with peers measured in the same run.

    .venv/bin/python benchmarks/bench_memory.py [--messages N] [--every N] [--only NAME ...]

An audit of millions of messages (or `assist analyze` on a huge file) meets words nobody has seen
before in almost every line: order numbers, e-mail addresses, links, names, typos. spaCy keeps every
new string in its StringStore (and a Lexeme for it in the Vocab) for the life of the pipeline, so a
process that only ever grows would grow without bound. This benchmark feeds `--messages` synthetic
lines (default 300,000; two thirds of their words never seen before) through `Analyzer().analyze_many`
in one process and prints, every `--every` messages, VmRSS and VmHWM (/proc/self/status), the
StringStore's size and the Vocab's lexemes. Each configuration runs in its own fresh process
(by default all but assist-unbounded, about three minutes; `--only` picks):

    assist            the Analyzer as shipped (it recycles its pipeline past a string limit)
    assist-unbounded  the same with the limit off (string_limit=0): the growth the limit removes
    spacy-blank       a plain spacy.blank("en") nlp.pipe over the same texts (the tokenizer alone)
    vader             VADER's polarity_scores over the same texts (no vocabulary at all)

Latency: every 1,024 messages go through one `analyze_many` call; the time per message of each call
gives p50 / p99 / max (a call that recycled the pipeline included), and single `analyze()` calls on
2,000 further unique messages are timed before the run and again after it (after any recycling).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIGS = ("assist", "assist-unbounded", "spacy-blank", "vader")
DEFAULT_CONFIGS = ("assist", "spacy-blank", "vader")  # about three minutes; add assist-unbounded with --only
CHUNK = 1024
COMMON = ("my order still hasn't arrived and I need it today please refund me this is the third time I "
          "have asked I'm really frustrated with your service can you check my account again thanks").split()
TEMPLATES = (
    "Order {oid} still not here, email me at {email} {w} {w}",
    "Hi, {name} here. Tried {url} and got error {code}, {w} {w} {w}!",
    "{name} {w} {w} {oid} {w} {typo} {w} {w}",
    "Please refund {oid} to {email}. {typo} {typo} {w} {w}",
    "{w} {w} {made} {made} {w} {typo} {code} {w}",
    "Tracking {oid} says delivered to {name} at {made} street, {w} {w} {url}",
)


def _syllables(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(n))


def _typo(rng: random.Random) -> str:
    word = rng.choice(COMMON)
    i = rng.randrange(len(word) + 1)
    return word[:i] + rng.choice(string.ascii_lowercase) + _syllables(rng, 1) + word[i:]


def message(rng: random.Random) -> str:
    """A short support line, most of its words unique: ids, addresses, links, names, typos."""
    fields = {
        "oid": lambda: "#" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=9)),
        "email": lambda: f"{_syllables(rng, 3)}{rng.randint(1, 99999)}@{_syllables(rng, 2)}.com",
        "url": lambda: f"https://{_syllables(rng, 3)}.example/{_syllables(rng, 2)}/{rng.getrandbits(32):x}",
        "code": lambda: f"E{rng.randint(0, 10 ** 8)}",
        "name": lambda: _syllables(rng, rng.randint(2, 3)).capitalize(),
        "made": lambda: _syllables(rng, rng.randint(2, 4)),
        "typo": lambda: _typo(rng),
        "w": lambda: rng.choice(COMMON),
    }
    template = rng.choice(TEMPLATES)
    out, rest = [], template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        key, _, rest = tail.partition("}")
        out.append(head)
        out.append(fields[key]())
    out.append(rest)
    return "".join(out)


def messages(seed: int, n: int):
    rng = random.Random(seed)
    for _ in range(n):
        yield message(rng)


def status_mb() -> tuple[float, float]:
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def percentiles(samples: list[float]) -> dict:
    s = sorted(samples)
    if not s:
        return {"p50": 0.0, "p99": 0.0, "max": 0.0}
    return {"p50": s[len(s) // 2] * 1000, "p99": s[min(len(s) - 1, int(len(s) * 0.99))] * 1000,
            "max": s[-1] * 1000}


def emit(**row) -> None:
    print(json.dumps(row), flush=True)


def child(config: str, n: int, every: int, limit: int | None = None) -> None:
    """One configuration in this (fresh) process; JSON lines on standard output."""
    nlp = None
    if config.startswith("assist"):
        from assist import Analyzer

        kwargs = {"string_limit": 0} if config == "assist-unbounded" else {"string_limit": limit}
        analyzer = Analyzer(**kwargs).load()
        # Single-message latency before the run, on messages the batch never sees (another seed).
        probe = list(messages(99, 2000))
        before = [_timed(analyzer.analyze, text) for text in probe[:1000]]

        def run(texts):
            for _ in analyzer.analyze_many(({"customer": t} for t in texts), batch_size=256):
                pass

        def vocab():
            return analyzer.nlp.vocab
    elif config == "spacy-blank":
        import spacy

        nlp = spacy.blank("en")

        def run(texts):
            for _ in nlp.pipe(texts, batch_size=256):
                pass

        def vocab():
            return nlp.vocab
    elif config == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()

        def run(texts):
            for text in texts:
                vader.polarity_scores(text)

        vocab = None
    else:
        raise SystemExit(f"unknown configuration {config!r}")
    rss, hwm = status_mb()
    emit(kind="point", messages=0, rss=rss, hwm=hwm, **_vocab_size(vocab))
    chunk_seconds: list[float] = []
    started = time.perf_counter()
    source = messages(1, n)
    done, mark = 0, min(every, n)
    while done < n:
        texts = [next(source) for _ in range(min(CHUNK, mark - done))]
        t = time.perf_counter()
        run(texts)
        chunk_seconds.append((time.perf_counter() - t) / len(texts))
        done += len(texts)
        if done == mark:
            rss, hwm = status_mb()
            emit(kind="point", messages=done, rss=rss, hwm=hwm, **_vocab_size(vocab))
            mark = min(mark + every, n)
    elapsed = time.perf_counter() - started
    summary = {"kind": "summary", "seconds": elapsed, "rate": n / elapsed, "per_message": percentiles(chunk_seconds)}
    if config.startswith("assist"):
        summary["analyze_before"] = percentiles(before)
        summary["analyze_after"] = percentiles([_timed(analyzer.analyze, text) for text in probe[1000:]])
        summary["recycles"] = getattr(analyzer, "recycles", None)
        summary["string_limit"] = getattr(analyzer, "string_limit", None)
    emit(**summary)


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def _vocab_size(vocab) -> dict:
    if vocab is None:
        return {}
    v = vocab()
    return {"strings": len(v.strings), "lexemes": len(v)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300_000, help="messages per configuration (300,000)")
    parser.add_argument("--every", type=int, default=50_000, help="print memory every N messages (50,000)")
    parser.add_argument("--only", nargs="+", choices=CONFIGS,
                        help="configurations to run (default: assist spacy-blank vader)")
    parser.add_argument("--string-limit", type=int, default=None,
                        help="the Analyzer's string limit for `assist` (default: as shipped)")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.messages, args.every, args.string_limit)
        return 0
    print(f"memory over {args.messages:,} mostly-unique-word messages, one process each "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    for config in args.only or DEFAULT_CONFIGS:
        argv = [sys.executable, __file__, "--child", config,
                "--messages", str(args.messages), "--every", str(args.every)]
        if args.string_limit is not None:
            argv += ["--string-limit", str(args.string_limit)]
        proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode:
            print(f"  {config}: failed\n{proc.stderr}")
            continue
        rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        points = [r for r in rows if r["kind"] == "point"]
        summary = next(r for r in rows if r["kind"] == "summary")
        print(f"  {config}: {summary['rate']:,.0f} msg/s ({summary['seconds']:.0f} s)"
              + (f", string limit {summary['string_limit']:,}, pipeline recycled {summary['recycles']} times"
                 if summary.get("string_limit") else ""))
        for p in points:
            vocab = (f"  strings {p['strings']:>9,}  lexemes {p['lexemes']:>9,}" if "strings" in p else "")
            print(f"    {p['messages']:>9,} msgs  VmRSS {p['rss']:7.1f} MB  VmHWM {p['hwm']:7.1f} MB{vocab}")
        lat = summary["per_message"]
        print(f"    per message in calls of {CHUNK:,}: p50 {lat['p50']:.3f} ms  p99 {lat['p99']:.3f} ms  "
              f"max {lat['max']:.3f} ms")
        if "analyze_before" in summary:
            b, a = summary["analyze_before"], summary["analyze_after"]
            print(f"    analyze(), one message: before the run p50 {b['p50']:.3f} / p99 {b['p99']:.3f} ms;"
                  f" after it p50 {a['p50']:.3f} / p99 {a['p99']:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
