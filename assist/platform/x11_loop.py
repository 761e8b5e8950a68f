"""A thread that owns one X connection and serves its events, with a way to run work on it.

python-xlib connections are not meant to be shared between threads, so every X11 backend that
listens (clipboard owner, hotkeys) gets its own connection and this loop; other threads hand it
work through `call()`, which wakes the loop with a pipe instead of polling.
"""

from __future__ import annotations

import logging
import os
import queue
import select
import threading
from concurrent.futures import Future
from typing import Any, Callable

from Xlib import display as xdisplay

log = logging.getLogger(__name__)


class XEventThread:
    name = "x11-loop"

    def __init__(self, display_name: str | None = None):
        self.display = xdisplay.Display(display_name)
        self._calls: queue.Queue = queue.Queue()
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self.last_event_at = 0.0  # for the hook watchdog
        self.poll_interval = 0.5  # longest sleep between on_idle() calls

    def start(self) -> None:
        self._thread.start()

    def call(self, func: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Run `func` on the loop's thread and return its result (or raise its exception)."""
        if threading.current_thread() is self._thread:
            return func()
        future: Future = Future()
        self._calls.put((func, future))
        os.write(self._wake_w, b"x")
        return future.result(timeout)

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        try:
            os.write(self._wake_w, b"q")
        except OSError:
            pass
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(2.0)
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.display.close()
        except Exception:  # the server may be gone already
            pass

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def handle_event(self, event) -> None:  # overridden
        pass

    def on_idle(self) -> None:  # overridden: called after each wake-up
        pass

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                while self.display.pending_events():
                    event = self.display.next_event()
                    try:
                        self.handle_event(event)
                    except Exception:
                        log.exception("%s: failed to handle an X event", self.name)
                self._run_calls()
                self.on_idle()
                self.display.flush()
                if self.display.pending_events():
                    continue
                ready, _, _ = select.select([self.display.fileno(), self._wake_r], [], [], self.poll_interval)
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
        except Exception:
            if not self._stopping.is_set():
                log.exception("%s: the X connection failed", self.name)
        finally:
            self._fail_pending_calls()

    def _run_calls(self) -> None:
        while True:
            try:
                func, future = self._calls.get_nowait()
            except queue.Empty:
                return
            try:
                future.set_result(func())
            except Exception as exc:
                future.set_exception(exc)

    def _fail_pending_calls(self) -> None:
        while True:
            try:
                _func, future = self._calls.get_nowait()
            except queue.Empty:
                return
            future.set_exception(RuntimeError(f"{self.name} stopped"))
