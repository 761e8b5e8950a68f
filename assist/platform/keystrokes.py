"""The draft rebuilt from keystrokes, where accessibility cannot read the chat input.

Platform-neutral: a hook (XRecord on X11, `keyboard` on Windows, an event tap on macOS) turns
each key into a `Key` and only queues it (hook callbacks must stay trivial: Windows silently drops
a low-level hook that blocks); `KeystrokeWatcher` does the work on its own thread. The buffer resets
on focus change, on Enter (the message left), and on a mouse click (the cursor moved somewhere we
cannot see). Keys we injected ourselves are recognised through the InjectionGuard and dropped.

Limits, by nature: a paste by the agent, a selection, or Up/Down in a multi-line box make the
buffer uncertain; it then starts over. A password field cannot be recognised from keystrokes, so
this watcher runs only in allow-listed applications and only when accessibility is unavailable.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

from assist.platform.base import (DraftChanged, FocusChanged, FocusInfo, MessageSent, WatchEvent,
                                  Watcher, WindowInfo)
from assist.platform.keys import InjectionGuard

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Key:
    name: str  # the key's name without Shift (X11 keysym name): "a", "BackSpace", "Return"
    char: str = ""  # the character it types with the modifiers held, "" for none
    pressed: bool = True
    modifiers: frozenset = field(default_factory=frozenset)  # {"ctrl", "alt", "shift", "super"}


@dataclass(frozen=True, slots=True)
class Click:
    """A mouse button went down: the cursor may have moved anywhere."""


@dataclass(frozen=True, slots=True)
class _Inserted:
    text: str


ENTER = {"Return", "KP_Enter", "enter"}
UNCERTAIN = {"Up", "Down", "Prior", "Next", "Page_Up", "Page_Down"}
FOCUS_KEYS = {"Tab", "ISO_Left_Tab"}


class KeystrokeBuffer:
    """Text and cursor of the draft as the keys typed it."""

    def __init__(self, max_chars: int = 10_000):
        self.text = ""
        self.cursor = 0
        self.max_chars = max_chars

    def reset(self) -> None:
        self.text, self.cursor = "", 0

    def feed(self, key: Key) -> str | None:
        """Apply one key press. Returns "changed", "sent" (Enter), "reset", or None (no change)."""
        if not key.pressed:
            return None
        name, mods = key.name, key.modifiers
        before = (self.text, self.cursor)
        if name in ENTER and "shift" not in mods and not (mods & {"ctrl", "alt", "super"}):
            self.reset()
            return "sent"
        if name in ENTER and "shift" in mods:
            self._insert("\n")
        elif mods & {"ctrl", "super"} or ("alt" in mods and not key.char):
            return self._shortcut(key)
        elif name == "BackSpace":
            if self.cursor:
                self.text = self.text[:self.cursor - 1] + self.text[self.cursor:]
                self.cursor -= 1
        elif name in ("Delete", "KP_Delete"):
            self.text = self.text[:self.cursor] + self.text[self.cursor + 1:]
        elif name in ("Left", "KP_Left"):
            self.cursor = max(0, self.cursor - 1)
        elif name in ("Right", "KP_Right"):
            self.cursor = min(len(self.text), self.cursor + 1)
        elif name in ("Home", "KP_Home"):
            self.cursor = self.text.rfind("\n", 0, self.cursor) + 1
        elif name in ("End", "KP_End"):
            end = self.text.find("\n", self.cursor)
            self.cursor = len(self.text) if end < 0 else end
        elif name in UNCERTAIN or name in FOCUS_KEYS:
            self.reset()
            return "reset"
        elif key.char and key.char.isprintable():
            self._insert(key.char)
        return "changed" if (self.text, self.cursor) != before else None

    def _shortcut(self, key: Key) -> str | None:
        name = key.name.lower()
        if name == "backspace" and "ctrl" in key.modifiers:  # delete the word before the cursor
            start = self.cursor
            while start and self.text[start - 1].isspace():
                start -= 1
            while start and not self.text[start - 1].isspace():
                start -= 1
            changed = start != self.cursor
            self.text = self.text[:start] + self.text[self.cursor:]
            self.cursor = start
            return "changed" if changed else None
        if name in ("v", "x", "z", "y", "a", "insert"):  # paste, cut, undo, select all: unknowable
            self.reset()
            return "reset"
        return None

    def _insert(self, chars: str) -> None:
        if len(self.text) >= self.max_chars:
            return
        self.text = self.text[:self.cursor] + chars + self.text[self.cursor:]
        self.cursor += len(chars)


class KeyHook(Protocol):
    """A global keyboard (and mouse button) hook: calls `deliver(Key | Click)` from its own thread."""

    name: str
    last_event_at: float

    def start(self, deliver: Callable[[object], None]) -> None: ...

    def stop(self) -> None: ...

    @property
    def alive(self) -> bool: ...


def app_allowed(window: WindowInfo | None, allowed: list[str]) -> bool:
    if window is None:
        return False
    haystack = f"{window.app_name} {window.wm_class}".lower()
    return any(entry.strip().lower() in haystack for entry in allowed if entry.strip())


class KeystrokeWatcher(Watcher):
    """Turns a key hook into DraftChanged / MessageSent / FocusChanged events (source "keystrokes")."""

    name = "keystrokes"

    def __init__(self, hook: KeyHook, focus: FocusInfo, allowed_apps: list[str],
                 guard: InjectionGuard | None = None):
        self.hook = hook
        self.focus = focus
        self.allowed_apps = list(allowed_apps)
        self.guard = guard or InjectionGuard()
        self.buffer = KeystrokeBuffer()
        self._queue: queue.Queue = queue.Queue()
        self._emit: Callable[[WatchEvent], None] | None = None
        self._paused = False
        self._window: WindowInfo | None = None
        self._watched = False
        self._thread: threading.Thread | None = None

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        self._emit = emit
        self._thread = threading.Thread(target=self._work, name="keystroke-buffer", daemon=True)
        self._thread.start()
        self.hook.start(self._queue.put)  # the hook's callback: one queue put, nothing else

    def stop(self) -> None:
        self.hook.stop()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(2)
        self.buffer.reset()

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self._queue.put(Click())  # forget what was typed while paused

    def text_around_caret(self) -> tuple[str, str] | None:
        """For fitting a phrase: the buffer's text around its cursor (None when not watching).
        Read from another thread: a slightly stale answer only costs a missing space."""
        if not self._watched or self._paused:
            return None
        text, cursor = self.buffer.text, self.buffer.cursor
        return text[:cursor], text[cursor:]

    def note_inserted(self, text: str) -> None:
        """The inserter put `text` at the cursor: the draft now holds it (its keys were ours)."""
        self._queue.put(_Inserted(text))

    def restart_hook(self) -> None:
        """For the watchdog: the hook stopped delivering, install it again."""
        try:
            self.hook.stop()
        except Exception:
            log.debug("stopping a dead hook failed", exc_info=True)
        self.hook.start(self._queue.put)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                self._handle(item)
            except Exception:
                log.exception("keystroke buffer failed on an event")

    def _handle(self, item) -> None:
        if isinstance(item, Key) and self.guard.is_ours(item.name, item.pressed):
            return  # our own paste or typing, never the agent's
        if isinstance(item, _Inserted):
            if self._watched and not self._paused:
                self.buffer._insert(item.text)
                self._send(DraftChanged(text=self.buffer.text, window=self._window, source="keystrokes"))
            return
        if isinstance(item, Click):
            self.buffer.reset()
            self._check_focus()
            return
        if not item.pressed:
            return
        self._check_focus()
        if not self._watched or self._paused:
            return
        change = self.buffer.feed(item)
        if change == "sent":
            self._send(MessageSent(window=self._window))
        if change in ("changed", "reset", "sent"):
            self._send(DraftChanged(text=self.buffer.text, window=self._window, source="keystrokes"))

    def _check_focus(self) -> None:
        window = self.focus.active_window()
        if self._window is not None and window is not None and window.window_id == self._window.window_id:
            return
        self.buffer.reset()
        self._window = window
        self._watched = app_allowed(window, self.allowed_apps)
        self._send(FocusChanged(window=window, watched=self._watched))

    def _send(self, event: WatchEvent) -> None:
        if self._emit is not None:
            self._emit(event)
