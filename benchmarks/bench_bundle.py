"""Cold start of the PyInstaller bundle's `assist-cli`, with `python -m assist` from .venv as the peer.

    bash packaging/build_bundle.sh                       # builds dist/assist
    .venv/bin/python benchmarks/bench_bundle.py [--bundle dist/assist] [--runs 10]

For each program, in the same run and alternating so that both see the same machine:
  version  = `--version` (interpreter and argument parsing only)
  analyze  = one JSON line through `analyze` (imports spaCy and numpy, loads the model and the
             phrasebank, analyses, prints)
wall time p50/p99 and the process's peak RSS; then the bundle's size on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE = json.dumps({"customer": "I have waited three weeks for my refund and nobody answers. This is ridiculous!"})


def run_once(argv: list[str], stdin: str | None, cwd: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of `argv` (its own rusage, from wait4)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        if stdin:
            process.stdin.write(stdin.encode())
        process.stdin.close()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{argv[0]} failed: {err.read().decode(errors='replace')[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(programs: dict[str, list[str]], runs: int) -> dict:
    results = {(name, case): {"wall": [], "rss": []} for name in programs for case in ("version", "analyze")}
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            for name, argv in programs.items():
                for case, extra, stdin in (("version", ["--version"], None),
                                           ("analyze", ["--temp-basedir", "analyze"], LINE + "\n")):
                    wall, rss = run_once(argv + extra, stdin, cwd)
                    results[(name, case)]["wall"].append(wall)
                    results[(name, case)]["rss"].append(rss)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "assist")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    cli = args.bundle / ("assist-cli.exe" if sys.platform == "win32" else "assist-cli")
    if not cli.exists():
        print(f"no bundle at {args.bundle}: run `bash packaging/build_bundle.sh` first", file=sys.stderr)
        return 2
    programs = {"bundle": [str(cli)], "venv (peer)": [sys.executable, "-m", "assist"]}
    results = measure(programs, args.runs)
    print(f"cold start, {args.runs} runs each, this machine ({os.cpu_count()} cores)")
    print(f"{'program':<13} {'case':<8} {'p50 s':>7} {'p99 s':>7} {'peak RSS MB':>12}")
    for (name, case), values in results.items():
        print(f"{name:<13} {case:<8} {statistics.median(values['wall']):>7.3f} "
              f"{percentile(values['wall'], 0.99):>7.3f} {max(values['rss']):>12.0f}")
    size = sum(path.stat().st_size for path in args.bundle.rglob("*") if path.is_file())
    print(f"bundle size on disk: {size / 2**20:.0f} MB in {sum(1 for _ in args.bundle.rglob('*'))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
