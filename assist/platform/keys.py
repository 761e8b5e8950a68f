"""Sending keys into the focused window, and tagging what we sent so it is never read back as the
agent's typing."""

from __future__ import annotations

import abc
import threading
import time
from collections import deque
from contextlib import contextmanager

from assist.platform.combos import Combo


class InjectionGuard:
    """Remembers the key events we inject so a keystroke watcher can drop them.

    Two tags, because events come back later and out of our hands: each injected key the sender
    knows (keysym name, pressed) is queued and consumed when it comes back; typing through a helper
    program (xdotool) whose key codes we do not see marks a time window instead.
    """

    def __init__(self, expiry_s: float = 2.0, grace_s: float = 0.25):
        self._lock = threading.Lock()
        self._expected: deque = deque()  # (deadline, key, pressed)
        self._active = 0
        self._quiet_until = 0.0
        self._expiry_s = expiry_s
        self._grace_s = grace_s

    def expect(self, key: str, pressed: bool) -> None:
        with self._lock:
            self._expected.append((time.monotonic() + self._expiry_s, key, pressed))

    @contextmanager
    def injecting(self):
        """Everything seen while this is open (and a moment after) is ours."""
        with self._lock:
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._quiet_until = time.monotonic() + self._grace_s

    def is_ours(self, key: str, pressed: bool) -> bool:
        """True if this key event is one we injected (and forget it, so it is dropped once)."""
        now = time.monotonic()
        with self._lock:
            while self._expected and self._expected[0][0] < now:
                self._expected.popleft()
            for index, (_deadline, k, p) in enumerate(self._expected):
                if k == key and p == pressed:
                    del self._expected[index]
                    return True
            return self._active > 0 or now < self._quiet_until


class KeySender(abc.ABC):
    """Presses keys in whatever window has the keyboard focus."""

    name = "keys"

    @abc.abstractmethod
    def press(self, combo: Combo) -> None:
        """Press and release a combination, after letting go of modifiers the agent still holds."""

    @abc.abstractmethod
    def type_text(self, text: str) -> None:
        """Type text as keystrokes (one line: the caller handles line breaks)."""
