"""The small interfaces between assist and the desktop. Backends are named by mechanism
(x11.py, atspi.py, clipboard backends, win32.py, macos.py); a factory picks them at start.

Rules every backend keeps:
- Callbacks are called from the backend's own thread and must stay trivial; consumers marshal
  them (the UI bridge queues them onto the GUI thread).
- Text read from the desktop stays in memory: never logged, never written to disk.
- A password field is never read.
- Our own injected input is tagged so it is never mistaken for the agent's typing.
"""

from __future__ import annotations

import abc
import logging
import threading
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """The active application and window."""

    window_id: int | str
    app_name: str = ""  # "chromium", "mousepad", "slack"
    wm_class: str = ""
    title: str = ""
    pid: int | None = None
    # (x, y, width, height) of the window on the screen in physical pixels, where the backend knows it:
    # the overlay can dock beside the chat window. Not part of identity: the focus check uses window_id.
    geometry: tuple[int, int, int, int] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class DraftChanged:
    """The text of the focused chat input changed (typing, paste, deletion, cursor move)."""

    text: str
    window: WindowInfo | None
    source: str  # "atspi", "keystrokes", "fake", ...


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    """A customer's message: from the chat's message list, the selection, the clipboard, or typed in."""

    text: str
    window: WindowInfo | None
    source: str  # "atspi-log", "selection", "clipboard", "overlay"


@dataclass(frozen=True, slots=True)
class FocusChanged:
    window: WindowInfo | None
    watched: bool  # the application is on the allow-list and the focused field is not a password


@dataclass(frozen=True, slots=True)
class MessageSent:
    """The agent pressed Enter in the chat input: the draft left."""

    window: WindowInfo | None


@dataclass(frozen=True, slots=True)
class BackendWarning:
    """A backend is missing or failed: shown to the agent, with the reason, instead of a crash."""

    backend: str
    reason: str


WatchEvent = DraftChanged | CustomerMessage | FocusChanged | MessageSent | BackendWarning


@dataclass(frozen=True, slots=True)
class InsertResult:
    ok: bool
    method: str = ""  # "paste", "type", "atspi"
    reason: str = ""  # why it did not insert ("focus moved to Terminal"), shown in the overlay
    elapsed_ms: float = 0.0


class FocusInfo(abc.ABC):
    @abc.abstractmethod
    def active_window(self) -> WindowInfo | None: ...


class Watcher(abc.ABC):
    """Produces WatchEvents; never computes anything from them."""

    name = "watcher"

    @abc.abstractmethod
    def start(self, emit: Callable[[WatchEvent], None]) -> None: ...

    @abc.abstractmethod
    def stop(self) -> None: ...

    def set_paused(self, paused: bool) -> None:
        """Pause watching (the agent's choice); explicit actions still work."""


class ChatWatcher(Watcher):
    """What every accessibility watcher (AT-SPI, UI Automation, AX) does with what it read: hold
    events while paused (focus changes pass with always=True, so the overlay knows where the agent
    is) and pass a customer message only when it differs from the last one passed."""

    _emit: Callable[[WatchEvent], None] | None = None
    _paused = False
    _last_customer: str | None = None

    def set_paused(self, paused: bool) -> None:
        self._paused = paused

    def _send(self, event: WatchEvent, always: bool = False) -> None:
        if self._emit is not None and (always or not self._paused):
            self._emit(event)

    def _send_customer(self, text: str | None, window: WindowInfo | None, source: str) -> None:
        if not text or text == self._last_customer:
            return
        self._last_customer = text
        self._send(CustomerMessage(text=text, window=window, source=source))


class PollingChatWatcher(ChatWatcher):
    """A ChatWatcher that looks at the focused element every `interval` seconds on a thread of its
    own (UI Automation and AX: their event subscriptions need a per-thread apartment or run loop and
    die with the target application, while one element's value is cheap to read)."""

    interval = 0.03
    _thread: threading.Thread | None = None
    _stop: threading.Event | None = None

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        self._emit = emit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"{self.name}-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._thread is not None:
            self._thread.join(2)

    def _prepare(self) -> bool:
        """Runs on the polling thread before the first look; False ends the watcher."""
        return True

    def _run(self) -> None:
        if not self._prepare():
            return
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:
                logging.getLogger(__name__).debug("%s poll failed", self.name, exc_info=True)

    @abc.abstractmethod
    def poll(self) -> None:
        """One look at the focused element (public for tests)."""


@dataclass
class ClipboardSnapshot:
    """Every format that was on the clipboard, so a copied screenshot survives a paste."""

    formats: dict = field(default_factory=dict)  # mime type / target -> bytes
    types: dict = field(default_factory=dict)  # target -> data type, only where they differ (X11)


class Clipboard(abc.ABC):
    @abc.abstractmethod
    def save(self) -> ClipboardSnapshot: ...

    @abc.abstractmethod
    def restore(self, snapshot: ClipboardSnapshot) -> None: ...

    @abc.abstractmethod
    def set_text(self, text: str) -> None: ...

    @abc.abstractmethod
    def get_text(self) -> str: ...

    def wait_taken(self, timeout: float) -> bool:
        """True once an application has read what set_text put there, where the platform can
        tell (X11 can); False means "unknown", and the caller waits its profile's delay instead."""
        return False

    def get_selection(self) -> str:
        """The primary selection where the platform has one (X11), else the clipboard text."""
        return self.get_text()


class Inserter(abc.ABC):
    """Delivers a phrase at the cursor of the target window, or refuses with a reason."""

    name = "inserter"

    @abc.abstractmethod
    def insert(self, text: str, target: WindowInfo | None) -> InsertResult: ...


class Hotkeys(abc.ABC):
    """System-wide hotkeys such as "ctrl+alt+1"."""

    name = "hotkeys"

    @abc.abstractmethod
    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        """Returns None on success, else the reason (for example: taken by another program)."""

    @abc.abstractmethod
    def unregister_all(self) -> None: ...
