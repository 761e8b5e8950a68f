"""On X11, selecting the customer's message is enough: the PRIMARY selection's owner changes
(XFixes tells us), and after a short settle the selected text becomes a CustomerMessage. Copied
text (CLIPBOARD) can be watched the same way when the agent turns it on.

Only in allow-listed applications, never our own windows or our own clipboard changes, and never
the agent's own draft (selecting a word of the reply to fix it is not a customer message).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Callable

from Xlib import X
from Xlib.ext import xfixes

from assist.platform.base import CustomerMessage, FocusInfo, WatchEvent, Watcher
from assist.platform.keystrokes import app_allowed
from assist.platform.x11_loop import XEventThread

log = logging.getLogger(__name__)


class X11SelectionWatcher(Watcher, XEventThread):
    name = "x11-selection"

    def __init__(self, display_name: str | None, clipboard, focus: FocusInfo, allowed_apps: list[str], *,
                 primary: bool = True, clipboard_too: bool = False, settle: float = 0.35,
                 is_draft: Callable[[str], bool] | None = None):
        XEventThread.__init__(self, display_name)
        if not self.display.has_extension("XFIXES"):
            raise RuntimeError("the X server has no XFIXES extension")
        self.display.xfixes_query_version()
        self.poll_interval = 0.05  # on_idle reads a settled selection soon after it is due
        self.clipboard = clipboard
        self.focus = focus
        self.allowed_apps = list(allowed_apps)
        self.settle = settle
        self.is_draft = is_draft or (lambda text: False)
        atom = self.display.intern_atom
        self.selections = {}
        if primary:
            self.selections[atom("PRIMARY")] = "selection"
        if clipboard_too:
            self.selections[atom("CLIPBOARD")] = "clipboard"
        self._due: dict[int, tuple] = {}  # selection -> (when to read it, the window it was made in)
        self._last_text: str | None = None
        self._emit: Callable[[WatchEvent], None] | None = None
        self._paused = False
        self._own_pid = os.getpid()

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        self._emit = emit
        root = self.display.screen().root
        for selection in self.selections:
            self.display.xfixes_select_selection_input(root, selection, xfixes.XFixesSetSelectionOwnerNotifyMask)
        self.display.flush()
        XEventThread.start(self)

    def stop(self) -> None:
        XEventThread.stop(self)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused

    def handle_event(self, event) -> None:
        # by name: python-xlib builds extension event classes per connection, isinstance() fails
        if type(event).__name__ != "SetSelectionOwnerNotify" or event.selection not in self.selections:
            return
        own = getattr(self.clipboard, "owner_window_id", None)
        owner = getattr(event.owner, "id", event.owner)
        if owner in (X.NONE, own):
            return  # cleared, or our own paste and restore
        # selecting by dragging changes the owner once, then the text grows: read it when it settles
        self._due[event.selection] = (time.monotonic() + self.settle, self.focus.active_window())

    def on_idle(self) -> None:
        now = time.monotonic()
        for selection, (due, window) in list(self._due.items()):
            if now >= due:
                del self._due[selection]
                self._read(selection, window)
        if self._due:  # wake up again when the next one is due
            self.display.flush()

    def _read(self, selection: int, selected_in) -> None:
        if self._paused or self._emit is None:
            return
        window = self.focus.active_window()
        if window is None or window.pid == self._own_pid or not app_allowed(window, self.allowed_apps):
            return
        if selected_in is None or selected_in.window_id != window.window_id:
            return  # the agent moved on before the selection settled: whose text it is is unclear
        source = self.selections[selection]
        try:
            text = self.clipboard.get_selection() if source == "selection" else self.clipboard.get_text()
        except Exception:
            log.debug("reading the %s failed", source, exc_info=True)
            return
        text = (text or "").strip()
        if len(text) < 2 or text == self._last_text or self.is_draft(text):
            return
        self._last_text = text
        self._emit(CustomerMessage(text=text, window=window, source=source))
