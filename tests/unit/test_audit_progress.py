"""Progress on stderr: a redrawn bar on a terminal, a plain line now and then in a pipe, nothing for short runs."""

from __future__ import annotations

import io

from assist.audit.progress import Progress


class Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_terminal_gets_a_redrawn_bar_and_it_is_cleared_at_the_end():
    stream, clock = Stream(tty=True), Clock()
    progress = Progress(1000, stream, clock=clock)
    progress.update(100, 50, 10)  # too early: a short run shows nothing
    assert stream.getvalue() == ""
    clock.now += 2
    progress.update(500, 4000, 700)
    out = stream.getvalue()
    assert out.startswith("\r\x1b[K[##############..............]  50% 700 conversations, 4,000 messages, 2,000 msg/s")
    assert "0:02 left" in out and "\n" not in out
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_pipe_gets_plain_lines_at_most_every_interval():
    stream, clock = Stream(tty=False), Clock()
    progress = Progress(1000, stream, clock=clock, line_every=15)
    for step in range(1, 61):  # one minute, an update every second
        clock.now += 1
        progress.update(step * 10, step * 100, step)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4 and all(line.startswith("audit: ") for line in lines)
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()
    progress.close()
    assert len(stream.getvalue().splitlines()) == 4
