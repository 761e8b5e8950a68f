"""Progress for long audits on stderr: a redrawn bar on a terminal, a plain line now and then otherwise."""

from __future__ import annotations

import sys
import time


class Progress:
    BAR_WIDTH = 28

    def __init__(self, total_bytes: int, stream=None, *, delay: float = 0.5, line_every: float = 15.0,
                 clock=time.monotonic):
        self.total = max(1, total_bytes)
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.clock = clock
        self.started = clock()
        self.delay = delay  # short runs show nothing
        self.interval = 0.1 if self.tty else line_every
        self._last = self.started
        self._drawn = False

    def update(self, done_bytes: int, messages: int, conversations: int) -> None:
        now = self.clock()
        if now - self.started < self.delay or now - self._last < self.interval:
            return
        self._last = now
        self._write(self.line(done_bytes, messages, conversations, now))

    def line(self, done_bytes: int, messages: int, conversations: int, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        fraction = min(1.0, done_bytes / self.total)
        elapsed = max(1e-6, now - self.started)
        rate = messages / elapsed
        eta = (elapsed / fraction - elapsed) if fraction > 0.01 else None
        eta_text = f", {int(eta // 60)}:{int(eta % 60):02d} left" if eta is not None else ""
        text = f"{fraction:4.0%} {conversations:,} conversations, {messages:,} messages, {rate:,.0f} msg/s{eta_text}"
        if not self.tty:
            return "audit: " + text
        filled = int(fraction * self.BAR_WIDTH)
        return f"[{'#' * filled}{'.' * (self.BAR_WIDTH - filled)}] {text}"

    def _write(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K" + text)
            self._drawn = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
