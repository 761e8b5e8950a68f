"""Watches global hooks and puts back one that died or stopped delivering.

Windows removes a low-level hook whose callback took too long, without telling anyone; an X
connection can drop. A hook is "stalled" when the system saw input (its idle timer was reset)
clearly after the hook's last event; then it is re-installed and a warning is emitted.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from assist.platform.base import BackendWarning

log = logging.getLogger(__name__)


class HookWatchdog:
    def __init__(self, watcher, last_input_at: Callable[[], float | None] | None = None, *,
                 interval: float = 2.0, slack: float = 3.0,
                 warn: Callable[[BackendWarning], None] | None = None):
        """`watcher` has `.hook` (with `alive` and `last_event_at`) and `restart_hook()`;
        `last_input_at()` is the monotonic time of the system's last input, or None if unknown."""
        self.watcher = watcher
        self.last_input_at = last_input_at
        self.interval = interval
        self.slack = slack
        self.warn = warn
        self.restarts = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """One check; True if the hook was re-installed."""
        hook = self.watcher.hook
        reason = None
        if not hook.alive:
            reason = "the keyboard hook stopped"
        elif self.last_input_at is not None:
            last_input = self.last_input_at()
            if last_input is not None and last_input - hook.last_event_at > self.slack:
                reason = "the keyboard hook stopped receiving keys"
        if reason is None:
            return False
        self.restarts += 1
        log.warning("%s; installing it again", reason)
        try:
            self.watcher.restart_hook()
        except Exception as exc:
            reason = f"{reason} and could not be installed again ({exc})"
        if self.warn is not None:
            self.warn(BackendWarning(backend=getattr(hook, "name", "hook"), reason=reason))
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="hook-watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:
                log.exception("hook watchdog check failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)


def x11_last_input_at(display_name: str | None = None) -> Callable[[], float | None] | None:
    """The X server's idle time (MIT-SCREEN-SAVER) as a monotonic timestamp of the last input."""
    try:
        from Xlib import display as xdisplay
        connection = xdisplay.Display(display_name)
        if not connection.has_extension("MIT-SCREEN-SAVER"):
            connection.close()
            return None
    except Exception:
        return None
    lock = threading.Lock()

    def last_input_at() -> float | None:
        with lock:
            try:
                idle_ms = connection.screen().root.screensaver_query_info().idle
            except Exception:
                return None
        return time.monotonic() - idle_ms / 1000
    return last_input_at
