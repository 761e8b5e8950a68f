"""Backend selection: every slot filled, missing pieces reported with their reason."""

from __future__ import annotations

import pytest

from assist.platform.factory import create_backends
from assist.platform.null import NullClipboard, NullFocusInfo, NullHotkeys


def test_no_display_gives_null_backends_and_a_reason():
    backends = create_backends(None, platform="linux", environ={})
    assert isinstance(backends.focus, NullFocusInfo) and isinstance(backends.clipboard, NullClipboard)
    assert isinstance(backends.hotkeys, NullHotkeys)
    assert backends.warnings[0].reason == "there is no graphical display (DISPLAY is not set)"
    result = backends.inserter.insert("hello", None)
    assert not result.ok and "DISPLAY is not set" in result.reason
    assert "DISPLAY is not set" in backends.hotkeys.register("ctrl+alt+1", lambda: None)
    assert backends.chosen["inserter"] == "null"
    backends.close()


def test_wayland_without_x_says_so():
    backends = create_backends(None, platform="linux", environ={"WAYLAND_DISPLAY": "wayland-0"})
    assert "Wayland" in backends.warnings[0].reason


def test_unreachable_display_is_reported_not_raised():
    pytest.importorskip("Xlib")  # Linux only (the Windows and macOS runners have no python-xlib)
    backends = create_backends(None, platform="linux", environ={"DISPLAY": ":987"})
    assert any(w.backend == "focus" for w in backends.warnings)
    assert not backends.inserter.insert("x", None).ok


def test_unsupported_platform():
    backends = create_backends(None, platform="sunos5", environ={})
    assert "not supported" in backends.warnings[0].reason


def test_events_reach_emit_including_warnings():
    backends = create_backends(None, platform="linux", environ={})
    seen = []
    backends.start_watchers(seen.append)
    assert seen == backends.warnings
    backends.close()


def test_helper_process_events_round_trip_through_json():
    import json

    from assist.platform.atspi_process import decode_event, encode_event
    from assist.platform.base import CustomerMessage, DraftChanged, FocusChanged, MessageSent, WindowInfo

    window = WindowInfo(7, app_name="chromium", wm_class="Chromium", title="Chat — ü", pid=42)
    for event in (DraftChanged("héllo 😊\nx", window, "atspi"), CustomerMessage("¿dónde?", None, "atspi-log"),
                  FocusChanged(window, False), MessageSent(window)):
        assert decode_event(json.loads(encode_event(event))) == event
    assert decode_event({"event": "Nonsense"}) is None


def test_helper_command_in_a_checkout_and_in_a_frozen_bundle(monkeypatch):
    import sys

    from assist.platform.atspi_process import helper_command

    assert helper_command("/venv/python", ["slack"]) == ["/venv/python", "-m", "assist.platform.atspi_process",
                                                         '["slack"]']
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/assist/assist")
    assert helper_command("/venv/python", ["slack"]) == ["/opt/assist/assist", "--atspi-helper", '["slack"]']


def test_wayland_with_xwayland_warns_about_native_windows():
    pytest.importorskip("Xlib")
    backends = create_backends(None, platform="linux", environ={"DISPLAY": ":987", "WAYLAND_DISPLAY": "wayland-0"})
    assert any("native Wayland windows" in w.reason for w in backends.warnings)
    backends.close()


# -- AT-SPI that fails when it starts: the keystroke buffer takes over (draft_source = auto) --

class _Closing:
    def close(self):
        pass


class _StubHook:
    """Stands in for XRecord (no X server here); keys are delivered in order by the test."""

    name = "stubhook"

    def __init__(self):
        self.deliver, self.alive, self.last_event_at, self.starts = None, False, 0.0, 0

    def start(self, deliver):
        self.deliver, self.alive = deliver, True
        self.starts += 1

    def stop(self):
        self.alive = False


def _no_accessibility_bus(monkeypatch, tmp_path):
    """The helper's environment (it inherits ours) has no accessibility bus and no display."""
    for key in ("DISPLAY", "AT_SPI_BUS_ADDRESS", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))


def _x11_on_a_fake_desktop(monkeypatch, desktop, hook):
    """create_backends' X11 path with the X pieces faked: the real factory wiring, the real AT-SPI
    helper process, the real keystroke buffer and watchdog (on a stub hook)."""
    pytest.importorskip("Xlib")
    from assist.platform import factory, x11, x11_clipboard
    from assist.platform.atspi_process import AtspiProcessWatcher
    from assist.platform.fake import FakeFocusInfo, FakeHotkeys, FakeKeySender
    from assist.platform.keystrokes import KeystrokeWatcher
    from assist.platform.watchdog import HookWatchdog

    class Helper(AtspiProcessWatcher):
        """The app's helper watcher, noting what the inserter asks it."""

        def __init__(self, allowed):
            super().__init__(allowed)
            self.asked = []

        def text_around_caret(self):
            self.asked.append("text_around_caret")
            return super().text_around_caret()

        def can_insert(self, target):
            self.asked.append("can_insert")
            return super().can_insert(target)

        def insert_at_caret(self, text):
            self.asked.append("insert_at_caret")
            return super().insert_at_caret(text)

    class Focus(FakeFocusInfo, _Closing):
        pass

    class Keys(FakeKeySender, _Closing):
        pass

    class Hotkeys(FakeHotkeys, _Closing):
        pass

    desktop.clipboard.close = lambda: None
    made = {}
    monkeypatch.setattr(x11, "X11FocusInfo", lambda display: Focus(desktop))
    monkeypatch.setattr(x11_clipboard, "X11Clipboard", lambda display: desktop.clipboard)
    monkeypatch.setattr(x11, "X11KeySender", lambda display, guard: Keys(desktop))
    monkeypatch.setattr(x11, "X11Hotkeys", lambda display: Hotkeys())

    def atspi_watcher(allowed, focus, warnings, required):
        made["helper"] = Helper(allowed)
        return made["helper"]

    def xrecord_watching(display, focus, allowed, guard):
        made["keystrokes"] = KeystrokeWatcher(hook, focus, allowed, guard)
        made["watchdog"] = HookWatchdog(made["keystrokes"], None, interval=0.05)
        return made["keystrokes"], made["watchdog"]
    monkeypatch.setattr(factory, "_atspi_watcher", atspi_watcher)
    monkeypatch.setattr(factory, "_xrecord_watching", xrecord_watching)
    return made


def _settings(**values):
    from assist.config.settings import Settings
    return Settings(values={"watching.selection_is_customer": False, "watching.watch_clipboard": False,
                            "watching.allowed_apps": ["mousepad"], **values})


def _events_until(seen, predicate, timeout=5.0):
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [e for e in list(seen) if predicate(e)]
        if found:
            return found[0]
        time.sleep(0.02)
    raise AssertionError(f"not seen; saw {[type(e).__name__ for e in seen]}")


def test_atspi_helper_that_cannot_start_gives_way_to_the_keystroke_buffer(monkeypatch, tmp_path):
    import re
    import time

    from assist.platform.base import BackendWarning, DraftChanged
    from assist.platform.fake import FakeDesktop
    from assist.platform.keystrokes import Key

    _no_accessibility_bus(monkeypatch, tmp_path)
    desktop = FakeDesktop()
    chat = desktop.open(1, app_name="mousepad")
    hook = _StubHook()
    made = _x11_on_a_fake_desktop(monkeypatch, desktop, hook)
    backends = create_backends(_settings(**{"watching.draft_source": "auto"}), platform="linux",
                               environ={"DISPLAY": ":0"})
    helper = made["helper"]
    assert backends.chosen["watchers"] == "atspi" and "keystrokes" not in made  # built only when needed
    assert backends.inserter.accessible is helper and backends.inserter.context is helper
    seen: list = []
    started = time.monotonic()
    backends.start_watchers(seen.append)
    try:
        assert time.monotonic() - started < 10, "a helper that dies at start is seen at once, not after 15 s"
        assert not helper.alive
        keystrokes, watchdog = made["keystrokes"], made["watchdog"]
        assert backends.watchers == [keystrokes] and backends.chosen["watchers"] == "keystrokes"
        assert hook.starts == 1 and watchdog in backends.watchdogs and watchdog.warn is not None
        # the inserter: no more AT-SPI; the keystroke buffer gives the text before the cursor
        assert backends.inserter.accessible is None and backends.inserter.context is keystrokes
        assert backends.inserter.on_inserted == keystrokes.note_inserted
        for char in "thanks for waiting":
            hook.deliver(Key("space" if char == " " else char, char))
        desktop.type_into_focus("thanks for waiting")  # what the editor shows
        _events_until(seen, lambda e: isinstance(e, DraftChanged) and e.text == "thanks for waiting")
        result = backends.inserter.insert("I understand how frustrating this is.", None)
        assert result.ok and result.method == "paste", result.reason
        assert chat.text == "thanks for waiting I understand how frustrating this is."  # fitted: a space
        draft = _events_until(seen, lambda e: isinstance(e, DraftChanged) and "frustrating" in e.text)
        assert draft.text == chat.text and draft.source == "keystrokes"  # the buffer learned our paste
        assert helper.asked == []  # the dead helper was never asked for the caret or to insert
        # the app pauses the watchers it was given before the start: the replacement pauses too
        helper.set_paused(True)
        assert keystrokes.text_around_caret() is None
        helper.set_paused(False)
        time.sleep(0.3)  # a restarting helper would have reported by now
        warnings = [e for e in seen if isinstance(e, BackendWarning)]
        assert len(warnings) == 1, [w.reason for w in warnings]
        assert warnings[0].backend == "atspi"
        assert re.fullmatch(r"AT-SPI could not start \(.+\); reading the draft from keystrokes instead",
                            warnings[0].reason), warnings[0].reason
    finally:
        backends.close()
    assert not hook.alive


def test_required_atspi_that_cannot_start_is_reported_and_nothing_replaces_it(monkeypatch, tmp_path):
    from assist.platform.base import BackendWarning
    from assist.platform.fake import FakeDesktop

    desktop = FakeDesktop()
    desktop.open(1, app_name="mousepad")
    made = _x11_on_a_fake_desktop(monkeypatch, desktop, _StubHook())
    backends = create_backends(_settings(**{"watching.draft_source": "atspi"}), platform="linux",
                               environ={"DISPLAY": ":0"})
    made["helper"].python = str(tmp_path / "no-python")  # a python that cannot run the helper
    assert backends.fallbacks == {}
    seen: list = []
    backends.start_watchers(seen.append)
    try:
        assert "keystrokes" not in made and backends.watchers == [made["helper"]]
        [warning] = [e for e in seen if isinstance(e, BackendWarning)]
        assert warning.backend == "atspi" and warning.reason.startswith("could not start: "), warning.reason
        # the draft is not read; asking the helper that never started answers at once, with nothing
        assert made["helper"].text_around_caret() is None and not made["helper"].can_insert(None)
    finally:
        backends.close()


def test_a_fallback_that_cannot_start_either_is_one_warning_not_a_crash(monkeypatch, tmp_path):
    from assist.platform.atspi_process import AtspiProcessWatcher
    from assist.platform.base import BackendWarning
    from assist.platform.factory import Backends
    from assist.platform.fake import FakeDesktop, fake_inserter

    helper = AtspiProcessWatcher(["mousepad"], python=str(tmp_path / "no-python"))
    desktop = FakeDesktop()
    inserter = fake_inserter(desktop, accessible=helper, context=helper)

    def keystrokes():
        raise RuntimeError("the X server has no RECORD extension")
    backends = Backends(inserter.focus, desktop.clipboard, inserter, NullHotkeys(), [helper], [],
                        fallbacks={"atspi": keystrokes})
    seen: list = []
    backends.start_watchers(seen.append)
    assert backends.watchers == [] and backends.chosen["watchers"] == "none"
    assert inserter.accessible is None and inserter.context is None
    [warning] = [e for e in seen if isinstance(e, BackendWarning)]
    assert warning.reason.startswith("AT-SPI could not start (") and warning.reason.endswith(
        "nor could the fallback (RuntimeError: the X server has no RECORD extension); the draft is not read")
    backends.close()


def _helper_that_dies_after_ping(tmp_path) -> str:
    """An executable that speaks the helper's protocol: answers the first ping, then exits 3."""
    import stat
    import sys

    script = tmp_path / "dying_helper.py"
    script.write_text(
        "import json, sys\n"
        "call = json.loads(sys.stdin.readline())\n"
        "print(json.dumps({'reply': call['call'], 'value': 'pong'}), flush=True)\n"
        "sys.exit(3)\n")
    launcher = tmp_path / "python"
    launcher.write_text(f"#!/bin/sh\nexec {sys.executable} {script}\n")  # ignores the helper's -m arguments
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    return str(launcher)


def test_an_atspi_helper_that_stops_for_good_later_gives_way_to_the_keystroke_buffer(monkeypatch, tmp_path):
    from assist.platform.base import BackendWarning, DraftChanged
    from assist.platform.fake import FakeDesktop
    from assist.platform.keystrokes import Key

    desktop = FakeDesktop()
    desktop.open(1, app_name="mousepad")
    hook = _StubHook()
    made = _x11_on_a_fake_desktop(monkeypatch, desktop, hook)
    backends = create_backends(_settings(**{"watching.draft_source": "auto"}), platform="linux",
                               environ={"DISPLAY": ":0"})
    helper = made["helper"]
    helper.python = _helper_that_dies_after_ping(tmp_path)
    helper.max_restarts = 0  # the first death is the last
    seen: list = []
    backends.start_watchers(seen.append)
    try:
        warning = _events_until(seen, lambda e: isinstance(e, BackendWarning))
        assert warning.reason == ("AT-SPI stopped (the accessibility helper stopped (exit code 3)); "
                                  "reading the draft from keystrokes instead"), warning.reason
        keystrokes, watchdog = made["keystrokes"], made["watchdog"]
        assert backends.watchers == [keystrokes] and hook.starts == 1
        assert watchdog in backends.watchdogs and watchdog.warn is not None  # started now, not at start-up
        assert backends.inserter.accessible is None and backends.inserter.context is keystrokes
        for char in "hello":
            hook.deliver(Key(char, char))
        desktop.type_into_focus("hello")
        _events_until(seen, lambda e: isinstance(e, DraftChanged) and e.text == "hello")
        assert len([e for e in seen if isinstance(e, BackendWarning)]) == 1
    finally:
        backends.close()
    assert not hook.alive


def test_without_a_fallback_a_helper_that_stops_for_good_says_the_draft_is_no_longer_read(tmp_path):
    from assist.platform.atspi_process import AtspiProcessWatcher
    from assist.platform.base import BackendWarning

    helper = AtspiProcessWatcher(["mousepad"], python=_helper_that_dies_after_ping(tmp_path))
    helper.max_restarts = 0
    seen: list = []
    helper.start(seen.append)
    try:
        warning = _events_until(seen, lambda e: isinstance(e, BackendWarning))
        assert warning.reason == "the accessibility helper stopped (exit code 3); the draft is no longer read"
    finally:
        helper.stop()
