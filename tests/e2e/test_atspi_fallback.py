"""A desktop whose accessibility bus cannot be reached: the AT-SPI helper fails when it starts,
and with `watching.draft_source = auto` the draft is read from keystrokes (XRecord) instead, with
one warning; with `atspi` (required) the warning says so and nothing replaces it."""

from __future__ import annotations

import queue

import pytest

from assist.config.settings import Settings
from assist.platform.base import BackendWarning, DraftChanged
from assist.platform.factory import create_backends

from desktop import wait_for


@pytest.fixture
def no_accessibility_bus(desktop, monkeypatch, tmp_path):
    """The helper inherits this process's environment: point it at an AT-SPI bus that is not there
    (the X display, the session bus and the applications stay as they are)."""
    from assist.platform import atspi

    if atspi.load() is not None:
        pytest.skip("the AT-SPI bindings are missing: the factory picks keystrokes up front")
    monkeypatch.setenv("AT_SPI_BUS_ADDRESS", f"unix:path={tmp_path / 'no-accessibility-bus'}")


def settings(source: str) -> Settings:
    return Settings(values={"watching.draft_source": source})


def collect(events: queue.Queue, seen: list, predicate):
    def check():
        while not events.empty():
            seen.append(events.get_nowait())
        return next((e for e in seen if predicate(e)), None)
    return check


def test_typing_in_mousepad_is_read_from_keystrokes_when_atspi_cannot_start(desktop, mousepad,
                                                                            no_accessibility_bus):
    pad = mousepad("")
    backends = create_backends(settings("auto"))
    events: queue.Queue = queue.Queue()
    seen: list = []
    try:
        assert backends.chosen["watchers"].startswith("atspi") and "atspi" in backends.fallbacks
        backends.start_watchers(events.put)
        assert [w.name for w in backends.watchers] == ["keystrokes", "x11-selection"]
        assert backends.inserter.accessible is None
        assert backends.inserter.context is backends.watchers[0]
        desktop.type("thanks for waiting")
        draft = wait_for(collect(events, seen, lambda e: isinstance(e, DraftChanged)
                                 and e.text == "thanks for waiting"), what="the draft from keystrokes")
        assert draft.source == "keystrokes" and draft.window.window_id == pad.window_id
        # the inserter fits the phrase to the keystroke buffer's text and the buffer learns it
        result = backends.inserter.insert("I understand how frustrating this is.", None)
        assert result.ok and result.method == "paste", result.reason
        full = "thanks for waiting I understand how frustrating this is."
        wait_for(collect(events, seen, lambda e: isinstance(e, DraftChanged) and e.text == full),
                 what="the inserted phrase in the keystroke buffer")
        assert pad.save_and_read("") == full
        collect(events, seen, lambda e: False)()
        warnings = [e.reason for e in seen if isinstance(e, BackendWarning)]
        assert len(warnings) == 1, warnings
        assert warnings[0].startswith("AT-SPI could not start (")
        assert warnings[0].endswith("); reading the draft from keystrokes instead")
    finally:
        backends.close()


def test_required_atspi_that_cannot_start_says_the_draft_is_not_read(desktop, no_accessibility_bus):
    backends = create_backends(settings("atspi"))
    seen: list = []
    try:
        assert backends.fallbacks == {}
        backends.start_watchers(seen.append)
        assert [w.name for w in backends.watchers] == ["atspi", "x11-selection"]
        assert [(e.backend, e.reason.split(":")[0]) for e in seen if isinstance(e, BackendWarning)] == [
            ("atspi", "could not start")]
    finally:
        backends.close()
