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
