"""A real X desktop for the end-to-end tests: Xvfb, openbox, a session D-Bus, the AT-SPI bus, and
helpers to drive real applications (xdotool) and read them back (files, DevTools, xclip)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path


class DesktopUnavailable(Exception):
    pass


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class Desktop:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}
        self.display = ""

    # -- start and stop --
    def start(self) -> None:
        for tool in ("Xvfb", "openbox", "xdotool", "dbus-launch"):
            if not shutil.which(tool):
                raise DesktopUnavailable(f"{tool} is not installed (scripts/_setup.sh installs it)")
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24",
                                 "-nolisten", "tcp", "-noreset"], pass_fds=(write_fd,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        self.procs.append(xvfb)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise DesktopUnavailable("Xvfb did not start")
        self.display = f":{number}"
        runtime = self.tmp / "runtime"
        runtime.mkdir(mode=0o700)
        env = dict(os.environ)
        # QT_QPA_PLATFORM: tests/gui's conftest sets "offscreen" for the whole pytest process when the
        # suite runs together; the real app on this desktop must show real X11 windows.
        for key in ("WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "NO_AT_BRIDGE",
                    "QT_QPA_PLATFORM", "QT_SCALE_FACTOR"):
            env.pop(key, None)
        env.update(DISPLAY=self.display, XDG_RUNTIME_DIR=str(runtime), HOME=str(self.tmp / "home"),
                   XDG_CONFIG_HOME=str(self.tmp / "config"), XDG_DATA_HOME=str(self.tmp / "data"),
                   XDG_CACHE_HOME=str(self.tmp / "cache"), GTK_A11Y="atspi", ACCESSIBILITY_ENABLED="1",
                   GDK_BACKEND="x11", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        (self.tmp / "home").mkdir()
        out = subprocess.run(["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True,
                             check=True, timeout=20).stdout
        for line in out.splitlines():
            if "=" in line and line.split("=", 1)[0] in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
                key, value = line.rstrip(";").split("=", 1)
                env[key] = value.strip("'")
        self.dbus_pid = int(env.pop("DBUS_SESSION_BUS_PID", "0") or 0)
        self.env = env
        self.spawn(["openbox", "--sm-disable"])
        wait_for(lambda: "_NET_SUPPORTING_WM_CHECK" in self.run(["xprop", "-root"], check=False).stdout
                 if shutil.which("xprop") else time.sleep(1) or True, what="openbox")
        launcher = "/usr/libexec/at-spi-bus-launcher"
        if os.path.exists(launcher):
            self.spawn([launcher, "--launch-immediately"])
            time.sleep(0.3)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.procs):
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.dbus_pid:
            try:
                os.kill(self.dbus_pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def spawn(self, argv, **kwargs) -> subprocess.Popen:
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        proc = subprocess.Popen(argv, env=kwargs.pop("env", self.env), **kwargs)
        self.procs.append(proc)
        return proc

    def run(self, argv, check=True, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(argv, env=self.env, capture_output=True, text=kwargs.pop("text", True),
                              check=check, timeout=kwargs.pop("timeout", 30), **kwargs)

    # -- windows and keys --
    def xdotool(self, *args) -> str:
        return self.run(["xdotool", *map(str, args)]).stdout.strip()

    def active_window(self) -> int:
        out = self.run(["xdotool", "getactivewindow"], check=False).stdout.strip()
        return int(out) if out.isdigit() else 0

    def activate(self, window_id: int) -> None:
        self.run(["xdotool", "windowactivate", "--sync", str(window_id)], check=False)
        wait_for(lambda: self.active_window() == window_id, what=f"window {window_id} to get focus")

    def find_windows(self, *args) -> list[int]:
        out = self.run(["xdotool", "search", *args], check=False).stdout.split()
        return [int(w) for w in out]

    def key(self, *combos: str) -> None:
        self.xdotool("key", "--clearmodifiers", *combos)

    def type(self, text: str, delay_ms: int = 12) -> None:
        self.xdotool("type", "--delay", delay_ms, "--", text)

    # -- the clipboard, read and written by xclip (a program that is not ours) --
    def clipboard_targets(self) -> list[str]:
        out = self.run(["xclip", "-o", "-selection", "clipboard", "-t", "TARGETS"], check=False)
        return out.stdout.split()

    def clipboard_get(self, target: str = "UTF8_STRING") -> bytes:
        return self.run(["xclip", "-o", "-selection", "clipboard", "-t", target], text=False).stdout

    def clipboard_own(self, data: bytes, target: str) -> subprocess.Popen:
        """xclip keeps serving the data from the background until another program takes the
        clipboard."""
        proc = self.spawn(["xclip", "-i", "-selection", "clipboard", "-t", target, "-quiet"],
                          stdin=subprocess.PIPE)
        proc.stdin.write(data)
        proc.stdin.close()
        wait_for(lambda: target in self.clipboard_targets(), what="xclip to own the clipboard")
        return proc


class ChromiumPage:
    """Chromium on a local page, read and driven through the DevTools protocol."""

    def __init__(self, desktop: Desktop, url: str, profile_dir: Path):
        import websocket  # test extra

        self.desktop = desktop
        binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not binary:
            raise DesktopUnavailable("chromium is not installed")
        self.proc = desktop.spawn([
            binary, "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--force-renderer-accessibility",
            "--no-default-browser-check", "--password-store=basic", "--disable-features=Translate",
            f"--user-data-dir={profile_dir}", "--remote-debugging-port=0", "--remote-allow-origins=*",
            "--window-position=0,0", "--window-size=1000,700", url])
        port_file = profile_dir / "DevToolsActivePort"
        wait_for(port_file.exists, timeout=30, what="chromium's DevTools port")
        port = int(wait_for(lambda: port_file.read_text().split("\n")[0].strip(), what="port"))
        targets = wait_for(lambda: [t for t in self._targets(port) if t.get("type") == "page"],
                           timeout=30, what="the page target")
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], suppress_origin=True,
                                              timeout=20)
        self._id = 0
        wait_for(lambda: self.eval("document.readyState") == "complete"
                 and self.eval("!!document.getElementById('draft')"), timeout=30, what="the chat page")
        self.window_id = wait_for(lambda: self._window(), timeout=30, what="chromium's window")

    @staticmethod
    def _targets(port: int) -> list:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                return json.load(response)
        except OSError:
            return []

    def _window(self) -> int | None:
        found = self.desktop.find_windows("--onlyvisible", "--name", "Support chat")
        return found[-1] if found else None

    def eval(self, expression: str, attempts: int = 40):
        """Runtime.evaluate; retried while a reload has no JavaScript context yet."""
        for _ in range(attempts):
            self._id += 1
            self.ws.send(json.dumps({"id": self._id, "method": "Runtime.evaluate",
                                     "params": {"expression": expression, "returnByValue": True}}))
            while True:
                message = json.loads(self.ws.recv())
                if message.get("id") == self._id:
                    break
            if "error" in message:  # "Execution context was destroyed", "Cannot find context"
                time.sleep(0.05)
                continue
            result = message["result"]
            if "exceptionDetails" in result:
                raise RuntimeError(result["exceptionDetails"])
            return result["result"].get("value")
        raise RuntimeError(f"DevTools kept failing: {message.get('error')}")

    def reset(self, text: str = "", caret: int | None = None) -> None:
        """A fresh conversation: the draft holds `text`, the caret at `caret`, nothing sent."""
        caret = len(text) if caret is None else caret
        self.eval(f"(() => {{ window.sent = []; const d = document.getElementById('draft');"
                  f"d.value = {json.dumps(text)}; d.focus(); d.setSelectionRange({caret}, {caret}); return true }})()")

    def draft(self) -> str:
        return self.eval("document.getElementById('draft').value")

    def sent(self) -> list:
        return self.eval("window.sent")

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
