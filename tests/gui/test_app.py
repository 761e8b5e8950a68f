"""The real app as a subprocess: start-up log events, a clean quit, one instance, no display."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def launch(*args, env_changes=None):
    env = dict(os.environ)
    env.update({"QT_QPA_PLATFORM": "offscreen", **(env_changes or {})})
    return subprocess.Popen([sys.executable, "-m", "assist", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class EventReader:
    """Collects the JSON lines of a running app's stderr on a thread; waits for events."""

    def __init__(self, proc):
        self.proc = proc
        self.events, self.other = [], []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        for line in self.proc.stderr:
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.other.append(line)

    def wait(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("event") == name:
                    return event
            if self.proc.poll() is not None and not self._thread.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no {name!r} event; got {[e.get('event') for e in self.events]} {self.other[-5:]}")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def test_starts_logs_ready_and_quits_cleanly(tmp_path):
    proc = launch("--basedir", str(tmp_path), "--json-logging")
    reader = EventReader(proc)
    try:
        shown = reader.wait("window_shown")
        ready = reader.wait("ready", timeout=120)
        assert ready["ms"] >= shown["ms"]
        assert "analyzer" in ready
        assert all("event" in e for e in reader.events)
    finally:
        code = stop(proc)
    reader._thread.join(5)
    assert code == 0
    assert reader.wait("quit")["code"] == 0
    errors = [e for e in reader.events if e.get("levelname") in ("ERROR", "CRITICAL")]
    assert errors == [] or all(e.get("event") == "analyzer_failed" for e in errors), errors


def test_a_second_launch_hands_over_to_the_first(tmp_path):
    first = launch("--basedir", str(tmp_path), "--json-logging")
    reader = EventReader(first)
    try:
        reader.wait("window_shown")
        second = launch("--basedir", str(tmp_path))
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0
        assert "already running" in err
        reader.wait("show_requested", timeout=20)
    finally:
        stop(first)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland display detection is Linux's")
def test_without_a_display_it_says_so_and_exits_2(tmp_path):
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    proc = subprocess.run([sys.executable, "-m", "assist", "--basedir", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "no display" in proc.stderr and "python -m assist analyze" in proc.stderr
    assert "Aborted" not in proc.stderr and "qt.qpa" not in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 display detection is Linux's")
def test_an_unreachable_display_is_a_message_not_a_qt_abort(tmp_path):
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    env["DISPLAY"] = ":249"  # nothing listens there
    proc = subprocess.run([sys.executable, "-m", "assist", "--basedir", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "cannot open the display" in proc.stderr
