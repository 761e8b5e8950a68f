"""Delivering a phrase at the agent's cursor: `Inserter.insert(text, target) -> InsertResult`.

Call it from a worker thread (it blocks for the few tens of milliseconds a paste takes):

    result = backends.inserter.insert("I'm sorry about the wait.", target_window)
    if not result.ok:
        show(result.reason)          # "focus moved to Terminal": nothing was inserted

`AutoInserter` pastes by default: it saves every clipboard format, puts the phrase there, checks
the target still has the focus, presses the application's paste key, waits until the application
took the text, and restores the clipboard exactly. Typing (for applications that block paste)
and AT-SPI insertion are the alternatives, chosen per application profile. A line break never
becomes a bare Enter: it is part of one pasted block or becomes Shift+Enter.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Protocol

from assist.platform.base import Clipboard, FocusInfo, Inserter, InsertResult, WindowInfo
from assist.platform.combos import parse_combo
from assist.platform.keys import KeySender
from assist.platform.profiles import AppProfile, ProfileBook
from assist.platform.textfit import fit_phrase

log = logging.getLogger(__name__)

SHIFT_ENTER = parse_combo("shift+Return")


class TextInsertion(Protocol):
    """Inserting through accessibility (AT-SPI EditableText): exact, no keys, no clipboard."""

    def can_insert(self, target: WindowInfo | None) -> bool: ...

    def insert_at_caret(self, text: str) -> bool: ...


class CursorContext(Protocol):
    def text_around_caret(self) -> tuple[str, str] | None: ...


def same_window(a: WindowInfo | None, b: WindowInfo | None) -> bool:
    return a is not None and b is not None and a.window_id == b.window_id


def describe(window: WindowInfo | None) -> str:
    if window is None:
        return "no window"
    return window.title or window.wm_class or window.app_name or f"window {window.window_id}"


class FocusMoved(Exception):
    pass


class AutoInserter(Inserter):
    name = "auto"

    def __init__(self, focus: FocusInfo, clipboard: Clipboard | None, keys: KeySender | None, *,
                 profiles: ProfileBook | None = None, accessible: TextInsertion | None = None,
                 context: CursorContext | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.focus = focus
        self.clipboard = clipboard
        self.keys = keys
        self.profiles = profiles or ProfileBook()
        self.accessible = accessible
        self.context = context
        self._sleep = sleep
        self.on_inserted: Callable[[str], None] | None = None  # the keystroke buffer learns the text
        self._lock = threading.Lock()  # one insertion at a time: they share the clipboard

    def insert(self, text: str, target: WindowInfo | None, *, fit: bool = True) -> InsertResult:
        started = time.perf_counter()
        result_text = [text]
        with self._lock:
            try:
                result = self._insert(text, target, fit, result_text)
            except Exception as exc:  # a broken backend must not take the overlay down
                log.exception("insertion failed")
                result = InsertResult(False, reason=f"insertion failed: {type(exc).__name__}: {exc}")
        elapsed = (time.perf_counter() - started) * 1000
        if result.ok and self.on_inserted is not None:
            self.on_inserted(result_text[0])
        log.info("insert: ok=%s method=%s %.0f ms%s", result.ok, result.method, elapsed,
                 f" ({result.reason})" if result.reason else "")  # never the text itself
        return InsertResult(result.ok, result.method, result.reason, elapsed)

    def _insert(self, text: str, target: WindowInfo | None, fit: bool, out: list) -> InsertResult:
        if not isinstance(text, str) or not text:
            return InsertResult(False, reason="nothing to insert")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        current = self.focus.active_window()
        if target is None:
            target = current  # an explicit action with no remembered window: the focused one
        if target is None:
            return InsertResult(False, reason="no window has the keyboard focus")
        if not same_window(current, target):
            return InsertResult(False, reason=f"focus moved to {describe(current)}; nothing inserted")
        profile = self.profiles.for_window(target)
        if fit and self.context is not None:
            around = self.context.text_around_caret()
            if around is not None:
                text = fit_phrase(text, around[0], around[1])
        out[0] = text
        try:
            for method in self._methods(profile, target):
                result = getattr(self, f"_by_{method}")(text, target, profile)
                if result is not None:
                    return result
        except FocusMoved as exc:
            return InsertResult(False, reason=str(exc))
        return InsertResult(False, reason="no way to insert here: no clipboard, keyboard or accessibility")

    def _methods(self, profile: AppProfile, target: WindowInfo) -> list[str]:
        method = profile.method
        if method != "auto":
            return [method]
        order = []
        if self.clipboard is not None and self.keys is not None:
            order.append("paste")
        if self.accessible is not None:
            order.append("atspi")
        if self.keys is not None:
            order.append("type")
        return order

    def _check_focus(self, target: WindowInfo, done_any: bool) -> None:
        current = self.focus.active_window()
        if not same_window(current, target):
            if done_any:
                raise FocusMoved(f"focus moved to {describe(current)} during insertion; "
                                 "only part of the phrase went in")
            raise FocusMoved(f"focus moved to {describe(current)}; nothing inserted")

    # Each method returns None when it cannot run here (so the next one is tried), else a result.
    def _by_paste(self, text: str, target: WindowInfo, profile: AppProfile) -> InsertResult | None:
        if self.clipboard is None or self.keys is None:
            return None
        paste_key = parse_combo(profile.paste_key)
        newline = profile.newline_for("paste")
        pieces = text.split("\n") if newline == "shift+enter" else [text]
        snapshot = self.clipboard.save()
        done_any = False
        try:
            for index, piece in enumerate(pieces):
                if index:
                    self._check_focus(target, done_any)
                    self.keys.press(SHIFT_ENTER)
                    done_any = True
                if not piece:
                    continue
                self.clipboard.set_text(piece)
                self._check_focus(target, done_any)  # the last moment before anything is delivered
                self.keys.press(paste_key)
                done_any = True
                if not self.clipboard.wait_taken(profile.paste_timeout_ms / 1000):
                    if _can_tell(self.clipboard):
                        return InsertResult(False, "paste", f"{describe(target)} did not take the paste "
                                            "(it may block pasting: set its method to 'type')")
                    self._sleep(0.05)  # the platform cannot tell: give the application a moment
        finally:
            if profile.paste_delay_ms:
                self._sleep(profile.paste_delay_ms / 1000)
            try:
                self.clipboard.restore(snapshot)
            except Exception:
                log.exception("the clipboard could not be restored")
        return InsertResult(True, "paste")

    def _by_type(self, text: str, target: WindowInfo, profile: AppProfile) -> InsertResult | None:
        if self.keys is None:
            return None
        done_any = False
        for index, line in enumerate(text.split("\n")):
            self._check_focus(target, done_any)
            if index:
                self.keys.press(SHIFT_ENTER)  # typing a line break is always Shift+Enter
                done_any = True
            if line:
                self.keys.type_text(line)
                done_any = True
        return InsertResult(True, "type")

    def _by_atspi(self, text: str, target: WindowInfo, profile: AppProfile) -> InsertResult | None:
        if self.accessible is None or not self.accessible.can_insert(target):
            return None
        self._check_focus(target, False)
        if not self.accessible.insert_at_caret(text):
            return None
        return InsertResult(True, "atspi")


def _can_tell(clipboard: Clipboard) -> bool:
    return type(clipboard).wait_taken is not Clipboard.wait_taken


class NullInserter(Inserter):
    """When nothing can insert on this system: say so instead of failing silently."""

    name = "null"

    def __init__(self, reason: str = "inserting is not available on this system"):
        self.reason = reason

    def insert(self, text: str, target: WindowInfo | None, **_kwargs) -> InsertResult:
        return InsertResult(False, reason=self.reason)
