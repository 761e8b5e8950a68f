"""Inserting into real applications and seeing the draft, on a real Xvfb desktop.

    .venv/bin/python benchmarks/bench_insert.py [--rounds 30]

Measures (issue 4 targets):
- insert-to-full-phrase in the target for a 300-character phrase by paste: <= 150 ms
  (Chromium's textarea read through DevTools; mousepad seen through AT-SPI), with the peer
  `xdotool type` of the same text in the same run;
- keystroke-to-draft-event latency through AT-SPI: <= 50 ms, with the peer XRecord keystroke
  buffer in the same run.
Prints p50/p99 (p99 of 30 rounds is close to the maximum) and this process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import queue
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from desktop import ChromiumPage, Desktop, wait_for  # noqa: E402

PHRASE = ("I completely understand how frustrating it is to wait this long for your order, and I'm sorry "
          "we let you down. I've checked the tracking: the parcel left our warehouse yesterday and should "
          "reach you by Thursday. I'll keep an eye on it and update you myself — merci de votre patience! ")
PHRASE = (PHRASE * 2)[:300]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def show(name: str, values: list[float], target: str = "") -> None:
    print(f"  {name:<52} p50 {pct(values, .5):7.1f} ms   p99 {pct(values, .99):7.1f} ms   "
          f"(n={len(values)}) {target}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--app-rounds", type=int, default=20,
                        help="clicks on the real app's suggestion 1 (0: skip the app)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="assist-bench-"))
    desk = Desktop(tmp)
    desk.start()
    for key in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"):
        os.environ[key] = desk.env[key]
    try:
        return run(desk, tmp, args.rounds, args.app_rounds)
    finally:
        desk.stop()


def run(desk: Desktop, tmp: Path, rounds: int, app_rounds: int = 0) -> int:
    from assist.platform import atspi
    from assist.platform.base import DraftChanged
    from assist.platform.combos import parse_combo
    from assist.platform.inserter import AutoInserter
    from assist.platform.keys import InjectionGuard
    from assist.platform.keystrokes import KeystrokeWatcher
    from assist.platform.x11 import X11FocusInfo, X11KeySender
    from assist.platform.x11_clipboard import X11Clipboard
    from assist.platform.x11_record import XRecordHook

    display = desk.display
    guard = InjectionGuard()
    focus, clipboard, keys = X11FocusInfo(display), X11Clipboard(display), X11KeySender(display, guard)
    inserter = AutoInserter(focus, clipboard, keys)
    page = ChromiumPage(desk, (ROOT / "tests/e2e/pages/chat.html").as_uri(), tmp / "chromium")
    desk.activate(page.window_id)
    print(f"assist insertion benchmark: {rounds} rounds, {len(PHRASE)}-character phrase, display {display}")

    # 1. paste into Chromium, read back through DevTools
    paste_seen, paste_call = [], []
    for _ in range(rounds):
        page.reset("")
        seen = []
        poller = threading.Thread(target=lambda: seen.append(
            wait_for(lambda: page.draft() == PHRASE and time.perf_counter(), interval=0.0005)))
        start = time.perf_counter()
        poller.start()  # DevTools is read while insert() still runs (it restores the clipboard after)
        result = inserter.insert(PHRASE, None, fit=False)
        poller.join()
        paste_seen.append((seen[0] - start) * 1000)
        paste_call.append(result.elapsed_ms)
        assert result.ok, result.reason
    print("Chromium chat page (textarea):")
    show("paste: call -> full phrase in the textarea", paste_seen, "target <= 150 ms")
    show("paste: whole insert() incl. clipboard restore", paste_call)

    typed = []
    for _ in range(max(3, rounds // 6)):  # the peer is slow: fewer rounds
        page.reset("")
        start = time.perf_counter()
        subprocess.run(["xdotool", "type", "--delay", "0", "--", PHRASE.encode("ascii", "ignore").decode()],
                       env=desk.env, check=True)
        wait_for(lambda: len(page.draft()) >= len(PHRASE.encode("ascii", "ignore")), timeout=60, interval=0.001)
        typed.append((time.perf_counter() - start) * 1000)
    show("peer: xdotool type --delay 0 (ASCII part only)", typed)

    # 2. keystroke -> draft event: AT-SPI watcher, and the XRecord buffer as the peer
    if atspi.load() is None:
        events: queue.Queue = queue.Queue()
        watcher = atspi.AtspiWatcher(["chromium"], focus)
        watcher.start(lambda e: events.put((time.perf_counter(), e)))
        from assist.platform.atspi_process import AtspiProcessWatcher
        helper_events: queue.Queue = queue.Queue()
        helper = AtspiProcessWatcher(["chromium"])
        helper.start(lambda e: helper_events.put((time.perf_counter(), e)))
        record_events: queue.Queue = queue.Queue()
        record = KeystrokeWatcher(XRecordHook(display), focus, ["chromium"], InjectionGuard())
        record.start(lambda e: record_events.put((time.perf_counter(), e)))
        page.reset("")
        wait_for(lambda: watcher.text_around_caret() == ("", ""), what="AT-SPI on the draft")
        time.sleep(0.3)
        wait_for(lambda: helper.text_around_caret() == ("", ""), what="the helper on the draft")
        a_lat, r_lat, h_lat = [], [], []
        expected = ""
        for index in range(rounds):
            char = "abcdefghij"[index % 10]
            expected += char
            for q in (events, record_events, helper_events):
                while not q.empty():
                    q.get_nowait()
            start = time.perf_counter()
            keys.press(parse_combo(char))
            a_lat.append(_first(events, expected, start))
            r_lat.append(_first(record_events, None, start))
            h_lat.append(_first(helper_events, expected, start))
        watcher.stop()
        helper.stop()
        record.stop()
        print("Keystroke -> draft event (XTest key into Chromium):")
        show("AT-SPI DraftChanged (watcher thread)", a_lat, "target <= 50 ms")
        show("AT-SPI DraftChanged via the helper process (the app)", h_lat, "target <= 50 ms")
        show("peer: XRecord keystroke buffer DraftChanged", r_lat)

    # 3. mousepad, seen through AT-SPI
    path = tmp / "bench.txt"
    path.write_text("")
    env = dict(desk.env, XDG_CONFIG_HOME=str(tmp / "mp-config"), GSETTINGS_BACKEND="memory")
    pad = desk.spawn(["mousepad", "--disable-server", str(path)], env=env)
    window = wait_for(lambda: (desk.find_windows("--onlyvisible", "--pid", str(pad.pid)) or [None])[-1], timeout=20)
    desk.activate(window)
    desk.xdotool("mousemove", "--window", window, 300, 250, "click", "1")
    if atspi.load() is None:
        events = queue.Queue()
        watcher = atspi.AtspiWatcher(["mousepad"], focus)
        watcher.start(lambda e: events.put((time.perf_counter(), e)))
        wait_for(lambda: watcher.text_around_caret() is not None, what="AT-SPI on mousepad")
        seen_ms = []
        for _ in range(rounds):
            desk.key("ctrl+a", "Delete")
            try:
                wait_for(lambda: watcher.text_around_caret() == ("", ""), what="empty editor")
            except TimeoutError:
                print("editor not empty:", repr(watcher.text_around_caret())[:80])
                raise
            while not events.empty():
                events.get_nowait()
            start = time.perf_counter()
            assert inserter.insert(PHRASE, None, fit=False).ok
            seen_ms.append(_first(events, PHRASE, start))
        watcher.stop()
        print("mousepad (GTK):")
        show("paste: call -> full phrase seen through AT-SPI", seen_ms, "target <= 150 ms")
    clipboard.close(), keys.close(), focus.close()
    if app_rounds:
        bench_app_click(desk, page, app_rounds)
    page.close()
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


def bench_app_click(desk: Desktop, page: ChromiumPage, rounds: int) -> None:
    """The whole product path: a real mouse click on the overlay's suggestion 1 -> the phrase in
    Chromium's textarea (xdotool's own start-up, ~5 ms, is included)."""
    from test_journeys import AssistApp  # tests/e2e: the app as a subprocess, its JSON events

    page.reset("")
    desk.activate(page.window_id)
    app = AssistApp(desk)
    try:
        app.wait("ready", timeout=60)
        app.wait("customer_message", timeout=30)
        draft = "Let me check your order."
        clicks, peer = [], []
        for _ in range(rounds):
            mark = len(app.events)
            page.reset(draft)
            desk.activate(page.window_id)
            analysed = app.wait("analysis", lambda e: e.get("has_draft"), after=mark)
            time.sleep(0.2)  # let the overlay lay out this analysis's buttons
            buttons = [e for e in app.events[mark:] if e.get("event") == "suggestions" and e.get("buttons")]
            buttons = (buttons[-1] if buttons else app.wait("suggestions", lambda e: e.get("buttons")))["buttons"]
            button = next(b for b in buttons if b["name"] == "suggestion-1")
            x, y = int(button["x"] + button["w"] / 2), int(button["y"] + button["h"] / 2)
            desk.xdotool("mousemove", x, y)
            start = time.perf_counter()
            desk.xdotool("click", "1")
            try:
                wait_for(lambda: page.draft() != draft, interval=0.0005, what="the phrase")
            except TimeoutError:
                print("no phrase; the app said:", [e for e in app.events[mark:] if e.get("event") == "insert"])
                raise
            clicks.append((time.perf_counter() - start) * 1000)
            phrase = page.draft()[len(draft):]
            page.reset("")
            start = time.perf_counter()
            subprocess.run(["xdotool", "type", "--delay", "0", "--", phrase.encode("ascii", "ignore").decode()],
                           env=desk.env, check=True)
            wait_for(lambda: len(page.draft()) >= len(phrase.encode("ascii", "ignore")), interval=0.0005)
            peer.append((time.perf_counter() - start) * 1000)
        print(f"The app (python -m assist), suggestion phrases of {len(phrase)} characters:")
        show("real click on suggestion 1 -> phrase in the textarea", clicks, "target <= 150 ms")
        inserts = [e.get("elapsed_ms", 0.0) for e in app.events if e.get("event") == "insert" and e.get("ok")]
        show("of which the app's insert() (fit, paste, restore)", inserts)
        show("peer: xdotool type of the same phrase", peer)
    finally:
        app.stop()


def _first(events: queue.Queue, text: str | None, start: float) -> float:
    from assist.platform.base import DraftChanged
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            at, event = events.get(timeout=0.5)
        except queue.Empty:
            continue
        if isinstance(event, DraftChanged) and (text is None or event.text == text):
            return (at - start) * 1000
    return float("nan")


if __name__ == "__main__":
    sys.exit(main())
