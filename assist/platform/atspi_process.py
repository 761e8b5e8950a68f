"""The AT-SPI watcher in a helper process of its own.

libatspi attaches its D-Bus connection to GLib's default main context when it starts; in the app,
Qt's main thread also runs that context (Qt's GLib event dispatcher), and then AT-SPI events are
lost or handled on the wrong thread. A helper process has its own GLib, so the app stays free of
it. The helper and the app talk over pipes, one JSON object per line (chat text crosses the pipe
in memory only: never a file, never a log):

    helper -> app   {"event": "DraftChanged", "text": ..., "window": {...}, "source": "atspi"}
                    {"reply": 3, "value": ...}
    app -> helper   {"call": 3, "op": "text_around_caret" | "can_insert" | "insert_at_caret", ...}

    python -m assist.platform.atspi_process '<allowed apps as a JSON list>'
    <bundle executable> --atspi-helper '<allowed apps as a JSON list>'      (frozen bundle)
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from typing import Callable

from assist.platform.base import (BackendWarning, CustomerMessage, DraftChanged, FocusChanged, MessageSent,
                                  WatchEvent, Watcher, WindowInfo)

log = logging.getLogger(__name__)

EVENT_TYPES = {cls.__name__: cls for cls in (DraftChanged, CustomerMessage, FocusChanged, MessageSent,
                                             BackendWarning)}


def encode_event(event: WatchEvent) -> str:
    data = {"event": type(event).__name__}
    for key, value in asdict(event).items():
        data[key] = value
    return json.dumps(data, ensure_ascii=False)


def decode_event(data: dict) -> WatchEvent | None:
    cls = EVENT_TYPES.get(data.pop("event", None))
    if cls is None:
        return None
    window = data.get("window")
    if isinstance(window, dict):
        data["window"] = WindowInfo(**window)
    return cls(**data)


def helper_command(python: str, allowed_apps: list[str]) -> list[str]:
    """How to start the helper: `python -m` from a checkout or wheel; in a frozen bundle (no `-m`)
    the bundle's own executable with --atspi-helper (packaging/entry.py routes it to main())."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--atspi-helper", json.dumps(allowed_apps)]
    return [python, "-m", "assist.platform.atspi_process", json.dumps(allowed_apps)]


class AtspiProcessWatcher(Watcher):
    """Same interface as AtspiWatcher (events, caret context, insertion), run in a helper."""

    name = "atspi"

    def __init__(self, allowed_apps: list[str], *, python: str = sys.executable, timeout: float = 2.0):
        self.allowed_apps = list(allowed_apps)
        self.python = python
        self.timeout = timeout
        self._proc: subprocess.Popen | None = None
        self._emit: Callable[[WatchEvent], None] | None = None
        self._pending: dict[int, Future] = {}
        self._ids = itertools.count(1)
        self._write_lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._paused = False
        self.last_event_at = 0.0
        self.restarts = 0
        self.max_restarts = 3
        self.start_timeout = 15.0  # a slow accessibility bus; a crash is seen at once
        self._ready: subprocess.Popen | None = None  # the helper that answered its first ping
        # Called with the reason once the helper is gone for good (restarts used up, or a restart
        # failed); whoever set it says what replaces the watcher. Unset: a warning says so.
        self.on_gave_up: Callable[[str], None] | None = None

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        """Start the helper and wait until it answers; raises with the reason when it cannot watch
        (bindings missing, no accessibility bus, a crash at start). A helper that failed to start
        is ended here and never started again: the caller decides what replaces it."""
        self._emit = emit
        self._ready = None
        env = dict(os.environ)
        env.pop("QT_QPA_PLATFORM", None)
        proc = subprocess.Popen(
            helper_command(self.python, self.allowed_apps),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, env=env,
            text=True, encoding="utf-8", bufsize=1)
        self._proc = proc
        self._reader = threading.Thread(target=self._read, args=(proc,), name="atspi-helper-reader", daemon=True)
        self._reader.start()
        ready = self._request("ping", timeout=self.start_timeout)
        if ready != "pong":
            if isinstance(ready, str):
                reason = ready
            elif proc.poll() is not None:
                code = proc.returncode
                reason = "the AT-SPI helper stopped at start, " + (
                    f"killed by signal {-code}" if code < 0 else f"exit code {code}")
            else:
                reason = f"the AT-SPI helper did not answer within {self.start_timeout:.0f} s"
            if self._proc is proc:
                self._proc = None
            _end(proc)
            raise RuntimeError(reason)
        self._ready = proc

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        _end(proc)
        for future in list(self._pending.values()):
            future.cancel()

    def set_paused(self, paused: bool) -> None:
        self._paused = paused

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- for the inserter --
    def text_around_caret(self) -> tuple[str, str] | None:
        value = self._request("text_around_caret")
        return tuple(value) if isinstance(value, list) else None

    def can_insert(self, target: WindowInfo | None) -> bool:
        return bool(self._request("can_insert", target=asdict(target) if target else None))

    def insert_at_caret(self, text: str) -> bool:
        return bool(self._request("insert_at_caret", text=text))

    # -- plumbing --
    def _request(self, op: str, timeout: float | None = None, **args):
        proc, reader = self._proc, self._reader
        if proc is None or proc.poll() is not None:
            return None
        call = next(self._ids)
        future: Future = Future()
        self._pending[call] = future
        try:
            with self._write_lock:
                proc.stdin.write(json.dumps({"call": call, "op": op, **args}, ensure_ascii=False) + "\n")
                proc.stdin.flush()
            deadline = time.monotonic() + (timeout or self.timeout)
            while True:
                try:
                    return future.result(0.05)
                except FutureTimeout:
                    if proc.poll() is not None:  # it died: no answer will come (once its last lines are read)
                        if reader is not None and reader is not threading.current_thread():
                            reader.join(1)
                        return future.result(0) if future.done() else None
                    if time.monotonic() >= deadline:
                        return None
        except Exception:
            log.debug("AT-SPI helper call %s failed", op, exc_info=True)
            return None
        finally:
            self._pending.pop(call, None)

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if "reply" in data:
                future = self._pending.get(data["reply"])
                if future is not None and not future.done():
                    future.set_result(data.get("value"))
                continue
            event = decode_event(data)
            self.last_event_at = time.monotonic()
            if event is None or self._emit is None:
                continue
            if self._paused and not isinstance(event, (FocusChanged, BackendWarning)):
                continue
            self._emit(event)
        # died while we still wanted it (one that never answered is the starter's to report)
        if self._proc is proc and self._ready is proc and self._emit is not None:
            try:
                code = proc.wait(2)
            except subprocess.TimeoutExpired:
                code = None
            if self.restarts >= self.max_restarts:
                self._give_up(f"the accessibility helper stopped (exit code {code})")
                return
            self.restarts += 1
            self._emit(BackendWarning("atspi", f"the accessibility helper stopped (exit code {code}); "
                                               "started it again"))
            threading.Thread(target=self._restart, args=(proc,), name="atspi-helper-restart", daemon=True).start()

    def _restart(self, dead) -> None:
        if self._proc is not dead or self._emit is None:
            return  # stopped meanwhile
        try:
            self.start(self._emit)
        except Exception as exc:
            self._give_up(f"the accessibility helper could not be started again ({exc})")

    def _give_up(self, reason: str) -> None:
        if self.on_gave_up is not None:
            self.on_gave_up(reason)
        elif self._emit is not None:
            self._emit(BackendWarning("atspi", f"{reason}; the draft is no longer read"))


def _end(proc: subprocess.Popen) -> None:
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(3)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            pass


def _serve(allowed: list[str]) -> int:
    """The helper: an AtspiWatcher whose events go to stdout, calls come from stdin."""
    from assist.platform import atspi

    out_lock = threading.Lock()

    def send(obj_line: str) -> None:
        with out_lock:
            sys.stdout.write(obj_line + "\n")
            sys.stdout.flush()
    reason = atspi.load()
    focus = None
    try:
        from assist.platform.x11 import X11FocusInfo
        focus = X11FocusInfo(os.environ.get("DISPLAY"))
    except Exception:
        pass
    watcher = None
    if reason is None:
        try:
            watcher = atspi.AtspiWatcher(allowed, focus)
            watcher.start(lambda event: send(encode_event(event)))
        except Exception as exc:
            reason = str(exc)
    for line in sys.stdin:
        try:
            call = json.loads(line)
        except ValueError:
            continue
        op, value = call.get("op"), None
        if op == "ping":
            value = "pong" if watcher is not None else (reason or "AT-SPI is not available")
        elif watcher is not None and op == "text_around_caret":
            around = watcher.text_around_caret()
            value = list(around) if around is not None else None
        elif watcher is not None and op == "can_insert":
            target = call.get("target")
            value = watcher.can_insert(WindowInfo(**target) if target else None)
        elif watcher is not None and op == "insert_at_caret":
            value = watcher.insert_at_caret(call.get("text", ""))
        send(json.dumps({"reply": call.get("call"), "value": value}, ensure_ascii=False))
    if watcher is not None:
        watcher.stop()
    return 0


def main(argv: list[str]) -> int:
    """The helper's entry: argv[0] is the allow-list as a JSON list."""
    # ASSIST_ATSPI_DEBUG=1: what the helper decides (roles, booleans; never text) on stderr
    logging.basicConfig(level=logging.DEBUG if os.environ.get("ASSIST_ATSPI_DEBUG") else logging.WARNING,
                        stream=sys.stderr, format="atspi-helper %(levelname)s %(message)s")
    return _serve(json.loads(argv[0]) if argv else [])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
