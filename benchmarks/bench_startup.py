"""Start-up of the overlay in a fresh process: time to the window on screen and to analysis ready.

Each run launches `python -m assist --temp-basedir --json-logging` and reads its log lines:
  window  = launch -> {"event": "window_shown"}   (target: 0.7 s)
  ready   = launch -> {"event": "analyzer_ready"} (target: 2 s; the analyzer and phrases are loaded)
then quits it (SIGTERM) and reads its peak RSS. The peer, measured in the same run the same way: a
bare PySide6 process that shows one empty QWidget (the floor any Qt overlay pays), and a bare
`spacy.load`-free import of the analyzer module followed by Analyzer().load() (the floor of ready).

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--platform offscreen|xcb]

With --platform xcb it uses $DISPLAY (start Xvfb first); the default is Qt's offscreen platform,
which needs no display and measures the same work minus the X server round trips.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

BARE_QT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(352, 560); w.show(); app.processEvents()
print('{"event": "window_shown"}', file=sys.stderr, flush=True)
"""

BARE_ANALYZER = """
import sys
from assist.core.analyzer import Analyzer
Analyzer().load()
print('{"event": "analyzer_ready"}', file=sys.stderr, flush=True)
"""


def percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def timed_run(argv, env, wanted, timeout=60.0, keep_alive=False):
    """Seconds from launch to each wanted event, and the peak RSS when the last arrived."""
    import queue
    import threading

    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    # A reader thread, so that a process that stops talking cannot hang the benchmark.
    threading.Thread(target=lambda: [lines.put((time.perf_counter(), l)) for l in proc.stderr], daemon=True).start()
    found, rss = {}, None
    try:
        while len(found) < len(wanted):
            left = timeout - (time.perf_counter() - started)
            if left <= 0:
                print(f"  (a run did not report {sorted(set(wanted) - set(found))} within {timeout:.0f} s)")
                break
            try:
                at, line = lines.get(timeout=left)
            except queue.Empty:
                continue
            try:
                event = json.loads(line).get("event")
            except ValueError:
                continue
            if event in wanted and event not in found:
                found[event] = at - started
        if len(found) == len(wanted):
            rss = peak_rss_mb(proc.pid)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return found, rss


def report(name, values, target=None):
    if not values:
        print(f"  {name:<34} no data")
        return
    line = (f"  {name:<34} p50 {statistics.median(values) * 1000:7.0f} ms   p99 {percentile(values, 99) * 1000:7.0f} ms"
            f"   min {min(values) * 1000:6.0f} ms")
    if target is not None:
        line += f"   (target {target * 1000:.0f} ms)"
    print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", choices=("offscreen", "xcb"), default="offscreen")
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform)
    # An installed assist has compiled bytecode; let the warm-up run write it, as an install would.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.platform == "xcb" and not env.get("DISPLAY"):
        print("--platform xcb needs $DISPLAY (start Xvfb first)", file=sys.stderr)
        return 2

    app_window, app_ready, app_rss, qt_window, qt_rss, bare_ready = [], [], [], [], [], []
    timed_run([PYTHON, "-m", "assist", "--temp-basedir", "--json-logging"], env, {"analyzer_ready"})  # warm-up
    timed_run([PYTHON, "-c", BARE_QT], env, {"window_shown"})
    for run in range(args.runs):
        # Interleaved, so that a busy moment of the machine hits the app and the peers alike.
        found, rss = timed_run([PYTHON, "-m", "assist", "--temp-basedir", "--json-logging"], env,
                               {"window_shown", "analyzer_ready"})
        if "window_shown" in found:
            app_window.append(found["window_shown"])
        if "analyzer_ready" in found:
            app_ready.append(found["analyzer_ready"])
        if rss:
            app_rss.append(rss)
        found, rss = timed_run([PYTHON, "-c", BARE_QT], env, {"window_shown"})
        if "window_shown" in found:
            qt_window.append(found["window_shown"])
        if rss:
            qt_rss.append(rss)
        found, _ = timed_run([PYTHON, "-c", BARE_ANALYZER], env, {"analyzer_ready"})
        if "analyzer_ready" in found:
            bare_ready.append(found["analyzer_ready"])
        print(f"run {run + 1}/{args.runs}: app window {app_window[-1] if app_window else float('nan'):.2f} s, "
              f"ready {app_ready[-1] if app_ready else float('nan'):.2f} s", flush=True)

    print(f"\nStart-up over {args.runs} fresh processes (platform {args.platform}, {os.cpu_count()} cores):")
    report("assist: window visible", app_window, 0.7)
    report("peer: bare PySide6 window", qt_window)
    report("assist: analysis ready", app_ready, 2.0)
    report("peer: bare Analyzer().load()", bare_ready)
    if app_rss:
        print(f"  assist peak RSS at ready            {max(app_rss):.0f} MB (peer bare Qt window: "
              f"{max(qt_rss) if qt_rss else float('nan'):.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
