"""Backends that do nothing, and say why: the fallback when a real one is missing."""

from __future__ import annotations

from typing import Callable

from assist.platform.base import (Clipboard, ClipboardSnapshot, FocusInfo, Hotkeys, WatchEvent, Watcher,
                                  WindowInfo)
from assist.platform.inserter import NullInserter  # noqa: F401  (re-exported)


class NullFocusInfo(FocusInfo):
    name = "null"

    def active_window(self) -> WindowInfo | None:
        return None


class NullClipboard(Clipboard):
    """Keeps text in memory only: the overlay's own copy and paste still work."""

    name = "null"

    def __init__(self):
        self._text = ""

    def save(self) -> ClipboardSnapshot:
        return ClipboardSnapshot({"text/plain": self._text.encode()} if self._text else {})

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self._text = snapshot.formats.get("text/plain", b"").decode("utf-8", "replace")

    def set_text(self, text: str) -> None:
        self._text = text

    def get_text(self) -> str:
        return self._text


class NullHotkeys(Hotkeys):
    name = "null"

    def __init__(self, reason: str = "global hotkeys are not available on this system"):
        self.reason = reason

    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        return self.reason

    def unregister_all(self) -> None:
        pass


class NullWatcher(Watcher):
    name = "null"

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        pass

    def stop(self) -> None:
        pass
