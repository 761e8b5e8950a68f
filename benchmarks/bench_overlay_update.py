"""GUI-thread time per overlay update: how long showing a fresh analysis holds the event loop.

The budget is one frame (16 ms). Two cases, each `show_analysis` plus the repaint it causes:
  typing    the same customer message, the draft changing (acknowledged / not): the common case
  message   a new customer message every time (badge, cues, topics, trend and suggestions redrawn)
Peer, in the same run: one QLabel set to the same message and repainted (the floor of any Qt
update). Analyses come from the real analyzer, computed before timing (they are made off the GUI
thread in the app). Offscreen platform; p50/p99 over --updates updates.

    .venv/bin/python benchmarks/bench_overlay_update.py [--updates 300]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MESSAGES = [
    "This is the THIRD time I'm contacting you about my order!!! Still no delivery after two weeks.",
    "I was charged twice for my subscription and nobody answers my emails. Ridiculous.",
    "Hi, could you tell me if the jacket comes in dark green?",
    "I'm a bit confused, the app says my refund was sent but I don't see it anywhere?",
]
DRAFTS = ["Let me check that for you.", "I'm so sorry about this, I understand how frustrating it is."]


def timed(values, action, app):
    """Wall time and this process's CPU time (on a busy machine, CPU time is what an idle one would see)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    app.processEvents()
    values.append((time.perf_counter() - start, time.process_time() - cpu))


def report(name, values):
    def p(series, q):
        ordered = sorted(series)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    wall, cpu = [v[0] for v in values], [v[1] for v in values]
    print(f"  {name:<44} wall p50 {p(wall, .5):6.2f} p99 {p(wall, .99):6.2f} ms   "
          f"cpu p50 {p(cpu, .5):6.2f} p99 {p(cpu, .99):6.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()

    import assist.ui  # noqa: F401  (as the app does)
    from PySide6.QtWidgets import QApplication, QLabel

    from assist.app import CoreEngine
    from assist.config import Settings
    from assist.core.session import Session
    from assist.paths import Paths
    from assist.ui.overlay import OverlayWindow
    from assist.ui.worker import AnalysisRequest

    app = QApplication(sys.argv[:1])
    paths = Paths.temporary()
    engine = CoreEngine(paths, Settings.load(paths))
    engine.load()

    def analyse(customer, draft):
        session = Session()
        session.add_customer_message(customer)
        session.draft = draft
        return engine.run(AnalysisRequest(1, session))

    typing = [analyse(MESSAGES[0], draft) for draft in DRAFTS]
    messages = [analyse(message, "") for message in MESSAGES]

    overlay = OverlayWindow(state_dir=paths.state)
    overlay.show()
    app.processEvents()
    peer = QLabel()
    peer.setWordWrap(True)
    peer.resize(352, 200)
    peer.show()

    typing_times, message_times, peer_times = [], [], []
    for i in range(args.updates):
        timed(typing_times, lambda: overlay.show_analysis(typing[i % 2], MESSAGES[0]), app)
    for i in range(args.updates):
        j = i % len(MESSAGES)
        timed(message_times, lambda: overlay.show_analysis(messages[j], MESSAGES[j]), app)
        timed(peer_times, lambda: (peer.setText(MESSAGES[j]), peer.repaint()), app)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Overlay updates on the GUI thread ({args.updates} each, offscreen, {os.cpu_count()} cores, "
          f"load {load:.1f}; budget 16 ms):")
    report("typing: same message, draft changes", typing_times)
    report("message: a new customer message each time", message_times)
    report("peer: one QLabel setText + repaint", peer_times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
