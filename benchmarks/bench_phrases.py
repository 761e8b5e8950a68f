"""Phrase library speed: loading shipped + 5,000 personal phrases, and ranking suggestions, against peers.

Measured in one run:
  1. load_library(paths) + the ranking index: shipped phrasebank + a personal file of N phrases,
     cold (the file just changed: parsed with the C YAML loader, every entry checked, templates
     parsed, then a checked copy cached) and warm (the usual start: checked copy from the cache),
     layers merged, usage read -- target <= 150 ms;
     peer: plain yaml.load (C loader when available) of the same files, nothing checked.
  2. suggest(): ranking + filling for random moments against that library -- target p99 <= 1 ms;
     peer: the same ranking scoring every phrase (rank(prune=False)), the naive ranker.
  3. Peak RSS of this process.

    .venv/bin/python benchmarks/bench_phrases.py [--personal 5000] [--loads 30] [--moments 2000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yaml  # noqa: E402

from assist.core.labels import EMOTIONS, LEVELS, PHRASE_INTENTS, TOPICS  # noqa: E402
from assist.core.session import Session  # noqa: E402
from assist.core.suggest import build_index, rank, suggest  # noqa: E402
from assist.core.types import AckSpan, Acknowledgment, Analysis, Cue  # noqa: E402
from assist.paths import Paths  # noqa: E402
from assist.atomic import atomic_write  # noqa: E402
from assist.phrases.fileformat import dump  # noqa: E402
from assist.phrases.library import load_library, phrase_files  # noqa: E402
from assist.phrases.usage import UsageStats  # noqa: E402
from assist.resources import phrasebank_dir  # noqa: E402

OPENERS = ["I completely understand", "Thanks so much for", "I'm really sorry that", "Let me look into",
           "Here's what happens next:", "Could you confirm whether", "I appreciate you telling me about"]
ENDINGS = ["your order.", "the charge on your bill.", "the refund.", "logging in.", "the app crashing.",
           "cancelling your plan.", "the {product|product}.", "this[, {customer_name}]."]


def personal_document(count: int, rng: random.Random) -> dict:
    entries = []
    for n in range(count):
        text = f"{rng.choice(OPENERS)} {rng.choice(ENDINGS)} (note {n})"
        entry = {"id": f"my-{n:05d}", "text": text, "intent": rng.choice(PHRASE_INTENTS),
                 "emotions": rng.sample(EMOTIONS[:-1], rng.randint(0, 2))}
        if rng.random() < 0.5:
            entry["topics"] = rng.sample(TOPICS, 1)
        if rng.random() < 0.3:
            entry["abbreviation"] = f"a{n}"
        if rng.random() < 0.05:
            entry["favourite"] = True
        entry["tone"] = rng.choice(["friendly", "formal"])
        entries.append(entry)
    return {"phrases": entries, "hidden": [f"my-{n:05d}" for n in range(0, count, 97)]}


def moment(rng: random.Random, ids: list[str]) -> tuple[Analysis, Session]:
    emotion = rng.choice(EMOTIONS)
    kinds = rng.sample(["waiting", "repeat_contact", "deadline", "lexicon"], rng.randint(0, 2))
    ack_kinds = rng.sample(["empathy", "apology", "patience"], rng.randint(0, 1))
    analysis = Analysis(
        emotion=emotion, scores={e: rng.random() for e in EMOTIONS}, level=rng.choice(LEVELS),
        topics=tuple(rng.sample(TOPICS, rng.randint(0, 2))),
        cues=tuple(Cue(0, 1, "x", emotion, k) for k in kinds), acknowledged=False,
        acknowledgment=Acknowledgment(apology="apology" in ack_kinds,
                                      spans=tuple(AckSpan(0, 1, "x", emotion, k) for k in ack_kinds)))
    session = Session(used_phrase_ids=rng.sample(ids, rng.randint(0, 3)),
                      placeholders={"customer_name": "Anna"} if rng.random() < 0.5 else {})
    return analysis, session


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name: str, runs: list[tuple[float, float]]) -> None:
    """p50/p99 of wall-clock and of this process's CPU time (the machine is shared: both matter)."""
    wall = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    print(f"  {name:<42} wall p50 {pct(wall, .5) * 1000:8.3f} p99 {pct(wall, .99) * 1000:8.3f} ms   "
          f"cpu p50 {pct(cpu, .5) * 1000:8.3f} p99 {pct(cpu, .99) * 1000:8.3f} ms")


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.result = (time.perf_counter() - self.wall, time.process_time() - self.cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personal", type=int, default=5000)
    parser.add_argument("--loads", type=int, default=30, help="warm loads")
    parser.add_argument("--cold", type=int, default=5, help="loads right after the personal file changed")
    parser.add_argument("--moments", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(42)

    base = Path(tempfile.mkdtemp(prefix="assist-bench-phrases-"))
    paths = Paths.for_basedir(base)
    personal = paths.data / "phrases.yaml"
    atomic_write(personal, dump(personal_document(args.personal, rng)))
    stats = UsageStats(paths.data)
    for n in range(300):
        stats.record(f"my-{rng.randrange(args.personal):05d}", when=1_000_000.0 + n)
    files = phrase_files(phrasebank_dir()) + [personal]
    size = sum(f.stat().st_size for f in files)
    loader = "CSafeLoader" if hasattr(yaml, "CSafeLoader") else "SafeLoader (no libyaml!)"
    print(f"library: {len(files) - 1} shipped files + {args.personal} personal phrases, {size / 1024:.0f} KiB; "
          f"YAML loader {loader}")

    def timed_load():
        with Timer() as timer:
            loaded = load_library(paths)
            build_index(loaded)  # the ranking index is part of being ready to suggest
        return loaded, timer.result

    cold, warm, peer = [], [], []
    library = None
    for n in range(args.cold):
        # A changed file (as after an edit or an import) invalidates its checked copy in the cache.
        os.utime(personal, ns=(time.time_ns(), time.time_ns() + n))
        library, result = timed_load()
        cold.append(result)
    for _ in range(args.loads):
        library, result = timed_load()
        warm.append(result)
        with Timer() as timer:
            for f in files:
                yaml.load(f.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        peer.append(timer.result)
    assert library is not None and not [p for p in library.problems if p.fatal], library.problems[:3]
    print(f"\n1. loading ({len(library.phrases)} phrases merged; target p99 <= 150 ms)")
    report(f"cold: personal file changed ({args.cold} runs)", cold)
    report(f"warm: checked copy cached ({args.loads} runs)", warm)
    report("peer: yaml.load of the same files only", peer)

    ids = list(library.phrases)
    moments = [moment(rng, ids) for _ in range(args.moments)]
    for analysis, session in moments[:50]:  # warm the index and template caches
        suggest(analysis, session, library)
    fast, naive, empty = [], [], 0
    for analysis, session in moments:
        with Timer() as timer:
            result = suggest(analysis, session, library, limit=5)
        fast.append(timer.result)
        empty += not result
        with Timer() as timer:
            rank(analysis, session, library, limit=5, prune=False)
        naive.append(timer.result)
    print(f"\n2. ranking ({args.moments} random moments, limit 5, {empty} with nothing to offer; "
          "target p99 <= 1 ms)")
    report("suggest (rank + fill + why)", fast)
    report("peer: naive ranker scoring every phrase", naive)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n3. peak RSS of this process: {peak:.0f} MiB")
    for clock, column in (("wall", 0), ("cpu", 1)):
        ok = (pct([r[column] for r in warm], .99) <= 0.150 and pct([r[column] for r in fast], .99) <= 0.001)
        print(f"result ({clock} clock):", "within targets" if ok else "OUTSIDE TARGETS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
