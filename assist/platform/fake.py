"""Fakes of every backend, for tests of the layers above (UI, app) without a desktop.

They behave like the real ones where it matters: the fake desktop has windows with text and a
cursor, a focus that can move, a clipboard with several formats; the fake inserter really goes
through AutoInserter, so focus checks and clipboard restore are the production code.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from assist.platform.base import (Clipboard, ClipboardSnapshot, FocusInfo, Hotkeys, WatchEvent, Watcher,
                                  WindowInfo)
from assist.platform.combos import Combo, parse_combo
from assist.platform.inserter import AutoInserter
from assist.platform.keys import KeySender
from assist.platform.profiles import ProfileBook


@dataclass
class FakeWindow:
    info: WindowInfo
    text: str = ""
    cursor: int = 0
    blocks_paste: bool = False
    sent: list = field(default_factory=list)  # what Enter "sent"


class FakeDesktop:
    """Windows, a focus and a clipboard; keys act on the focused window like a chat input."""

    def __init__(self):
        self.windows: dict = {}
        self.focused: FakeWindow | None = None
        self.clipboard = FakeClipboard()
        self.log: list[str] = []  # what the keys did, for assertions

    def open(self, window_id, app_name="chat", text="", title="", wm_class="") -> FakeWindow:
        window = FakeWindow(WindowInfo(window_id, app_name=app_name, wm_class=wm_class or app_name.title(),
                                       title=title or app_name, pid=1000 + len(self.windows)),
                            text=text, cursor=len(text))
        self.windows[window_id] = window
        self.focused = window
        return window

    def focus(self, window_id) -> None:
        self.focused = self.windows.get(window_id)

    def type_into_focus(self, text: str) -> None:
        window = self.focused
        if window is None:
            return
        window.text = window.text[:window.cursor] + text + window.text[window.cursor:]
        window.cursor += len(text)

    def press(self, combo: Combo) -> None:
        self.log.append(str(combo))
        window = self.focused
        if window is None:
            return
        if combo.key == "v" and combo.modifiers == {"ctrl"} and not window.blocks_paste:
            self.clipboard.taken.set()
            self.type_into_focus(self.clipboard.get_text())
        elif combo.key == "Return" and not combo.modifiers:
            window.sent.append(window.text)
            window.text, window.cursor = "", 0
        elif combo.key == "Return" and combo.modifiers == {"shift"}:
            self.type_into_focus("\n")


class FakeFocusInfo(FocusInfo):
    name = "fake"

    def __init__(self, desktop: FakeDesktop):
        self.desktop = desktop
        self.before_answer: Callable[[], None] | None = None  # to move the focus mid-insertion

    def active_window(self) -> WindowInfo | None:
        if self.before_answer is not None:
            self.before_answer()
        return self.desktop.focused.info if self.desktop.focused else None


class FakeClipboard(Clipboard):
    name = "fake"

    def __init__(self, formats: dict | None = None):
        self.formats: dict = dict(formats or {})
        self.taken = threading.Event()
        self.restores = 0

    def save(self) -> ClipboardSnapshot:
        return ClipboardSnapshot(dict(self.formats))

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self.restores += 1
        self.formats = dict(snapshot.formats)

    def set_text(self, text: str) -> None:
        self.taken.clear()
        self.formats = {"text/plain;charset=utf-8": text.encode("utf-8")}

    def get_text(self) -> str:
        return self.formats.get("text/plain;charset=utf-8", b"").decode("utf-8")

    def wait_taken(self, timeout: float) -> bool:
        return self.taken.wait(timeout)


class FakeKeySender(KeySender):
    name = "fake"

    def __init__(self, desktop: FakeDesktop):
        self.desktop = desktop

    def press(self, combo: Combo) -> None:
        self.desktop.press(combo)

    def type_text(self, text: str) -> None:
        assert "\n" not in text
        self.desktop.type_into_focus(text)


def fake_inserter(desktop: FakeDesktop, profiles: ProfileBook | None = None, **kwargs) -> AutoInserter:
    return AutoInserter(FakeFocusInfo(desktop), desktop.clipboard, FakeKeySender(desktop),
                        profiles=profiles, sleep=lambda s: None, **kwargs)


class FakeWatcher(Watcher):
    """Emits whatever a test tells it to, from its own thread like the real ones."""

    name = "fake"

    def __init__(self):
        self._emit: Callable[[WatchEvent], None] | None = None
        self.paused = False
        self.started = False

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        self._emit = emit
        self.started = True

    def stop(self) -> None:
        self.started = False

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    def push(self, event: WatchEvent) -> None:
        thread = threading.Thread(target=self._emit, args=(event,))
        thread.start()
        thread.join()


class FakeHotkeys(Hotkeys):
    name = "fake"

    def __init__(self, taken: tuple[str, ...] = ()):
        self.callbacks: dict[str, Callable[[], None]] = {}
        self.taken = {str(parse_combo(c)) for c in taken}

    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        key = str(parse_combo(combo))
        if key in self.taken:
            return f"{combo} is taken by another program"
        self.callbacks[key] = callback
        return None

    def unregister_all(self) -> None:
        self.callbacks.clear()

    def fire(self, combo: str) -> None:
        self.callbacks[str(parse_combo(combo))]()
