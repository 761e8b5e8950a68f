"""One shared real desktop per test session (Xvfb + openbox + D-Bus + AT-SPI), and real target
applications: mousepad on a file, Chromium on tests/e2e/pages/chat.html."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from desktop import ChromiumPage, Desktop, DesktopUnavailable, wait_for  # noqa: E402

PAGES = Path(__file__).parent / "pages"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def desktop(tmp_path_factory):
    if sys.platform != "linux":
        pytest.skip("the end-to-end tests need an X server (Linux)")
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed and could not be installed (scripts/_setup.sh)")
    desk = Desktop(tmp_path_factory.mktemp("desktop"))
    saved = {k: os.environ.get(k) for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR",
                                             "AT_SPI_BUS_ADDRESS", "NO_AT_BRIDGE")}
    try:
        desk.start()
    except DesktopUnavailable as exc:
        desk.stop()
        pytest.skip(str(exc))
    # This process talks to the same display and bus (the backends under test run in it).
    for key in saved:
        os.environ.pop(key, None)
        if key in desk.env:
            os.environ[key] = desk.env[key]
    yield desk
    desk.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


class Mousepad:
    def __init__(self, desktop: Desktop, path: Path, text: str):
        path.write_text(text, encoding="utf-8")
        self.path = path
        self.desktop = desktop
        # its own settings and session: a killed editor must not offer to restore into the next one
        home = path.parent / f".mousepad-{path.stem}"
        env = dict(desktop.env, XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
                   XDG_STATE_HOME=str(home / "state"), GSETTINGS_BACKEND="memory")
        self.proc = desktop.spawn(["mousepad", "--disable-server", str(path)], env=env)
        self.window_id = wait_for(lambda: (desktop.find_windows("--onlyvisible", "--pid", str(self.proc.pid))
                                           or [None])[-1], timeout=20, what="mousepad's window")
        desktop.activate(self.window_id)
        # a click in the text area: the editor, not a toolbar button, has the keyboard focus
        desktop.xdotool("mousemove", "--window", self.window_id, 300, 250, "click", "1")
        desktop.key("ctrl+Home")

    def save_and_read(self, before: str) -> str:
        """Save with Ctrl+S (as the agent would) and read the file back."""
        self.desktop.activate(self.window_id)
        self.desktop.key("ctrl+s")
        return wait_for(lambda: (text := self.path.read_text(encoding="utf-8")) != before and text,
                        timeout=10, what="mousepad to save")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def mousepad(desktop, tmp_path):
    pads = []

    def open_file(text: str, name: str = "reply.txt") -> Mousepad:
        pad = Mousepad(desktop, tmp_path / name, text)
        pads.append(pad)
        return pad

    yield open_file
    for pad in pads:
        pad.close()


@pytest.fixture(scope="session")
def chromium_session(desktop, tmp_path_factory):
    try:
        page = ChromiumPage(desktop, (PAGES / "chat.html").as_uri(), tmp_path_factory.mktemp("chromium"))
    except DesktopUnavailable as exc:
        pytest.skip(str(exc))
    yield page
    page.close()


@pytest.fixture
def chat_page(chromium_session, desktop):
    chromium_session.eval("location.reload(); true")
    wait_for(lambda: chromium_session.eval("document.readyState") == "complete"
             and chromium_session.eval("!!document.getElementById('draft') && window.sent !== undefined"),
             what="the chat page to reload")
    desktop.activate(chromium_session.window_id)
    return chromium_session
