"""Start assist with the agent's session (the setting `general.start_with_session`).

One small backend per mechanism, each with `enable(args)`, `disable()`, `is_enabled()`:

- `XdgAutostart` (Linux and other XDG desktops): `$XDG_CONFIG_HOME/autostart/assist.desktop`.
- `WindowsRunKey`: the value "assist" under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run
  (the Inno Setup installer's "start with Windows" task writes the same value, so both agree).
- `LaunchAgent` (macOS): `~/Library/LaunchAgents/<label>.plist` with RunAtLoad.

`for_this_platform()` picks the backend; `apply(settings, args)` makes the session match the
setting, and is what the settings dialog and the app's start call. `args` are the options to start
with (e.g. `["--basedir", DIR]`); the program itself comes from `launch_command`, which knows
whether this is a PyInstaller bundle or an installed package. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Protocol, Sequence

from .atomic import atomic_write

APP_ID = "assist"
MAC_LABEL = "org.assist.assist"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
SETTING = "general.start_with_session"


class Autostart(Protocol):
    def enable(self, args: Sequence[str] = ()) -> None: ...
    def disable(self) -> None: ...
    def is_enabled(self) -> bool: ...


def launch_command(args: Sequence[str] = ()) -> list[str]:
    """The command line that starts this same assist again, with `args`.

    A relative `--basedir` becomes absolute: the session starts it from another folder.
    """
    args = list(args)
    for index, arg in enumerate(args[:-1]):
        if arg == "--basedir":
            args[index + 1] = os.path.abspath(os.path.expanduser(args[index + 1]))
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its executable is the app
        return [sys.executable, *args]
    python = Path(sys.executable)
    if sys.platform == "win32":  # pythonw starts without a console window
        windowless = python.with_name("pythonw.exe")
        if windowless.exists():
            python = windowless
    return [str(python), "-m", "assist", *args]


def for_this_platform() -> Autostart:
    if sys.platform == "win32":
        import winreg

        return WindowsRunKey(winreg)
    if sys.platform == "darwin":
        return LaunchAgent(Path.home() / "Library" / "LaunchAgents")
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return XdgAutostart(Path(config_home) / "autostart")


def apply(settings, args: Sequence[str] = (), backend: Autostart | None = None) -> bool:
    """Enable or disable autostart as `settings` say; returns the resulting state."""
    backend = backend or for_this_platform()
    if settings.get(SETTING):
        backend.enable(args)
    else:
        backend.disable()
    return backend.is_enabled()


class XdgAutostart:
    """The XDG Autostart specification: a desktop entry in the user's autostart folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.file = self.folder / f"{APP_ID}.desktop"

    def enable(self, args: Sequence[str] = ()) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        entry = "\n".join([
            "[Desktop Entry]",
            "Type=Application",
            "Name=assist",
            "Comment=Empathy suggestions for live-chat support",
            f"Exec={desktop_exec(launch_command(args))}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "",
        ])
        atomic_write(self.file, entry, backup=False)

    def disable(self) -> None:
        self.file.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        if not self.file.is_file():
            return False
        lines = {line.strip() for line in self.file.read_text("utf-8", "replace").splitlines()}
        # A desktop can switch an entry off without removing it; honour that.
        return "Hidden=true" not in lines and "X-GNOME-Autostart-enabled=false" not in lines


class WindowsRunKey:
    """The per-user Run key; `registry` is `winreg` (a fake in tests on other systems)."""

    def __init__(self, registry):
        self.registry = registry

    def enable(self, args: Sequence[str] = ()) -> None:
        reg = self.registry
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.SetValueEx(key, APP_ID, 0, reg.REG_SZ, subprocess.list2cmdline(launch_command(args)))

    def disable(self) -> None:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.DeleteValue(key, APP_ID)
        except FileNotFoundError:
            pass

    def is_enabled(self) -> bool:
        reg = self.registry
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_QUERY_VALUE) as key:
                value, kind = reg.QueryValueEx(key, APP_ID)
        except FileNotFoundError:
            return False
        return kind in (reg.REG_SZ, reg.REG_EXPAND_SZ) and bool(value)


class LaunchAgent:
    """A per-user launchd agent that runs once at login."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.file = self.folder / f"{MAC_LABEL}.plist"

    def enable(self, args: Sequence[str] = ()) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        agent = {
            "Label": MAC_LABEL,
            "ProgramArguments": launch_command(args),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",  # the graphical login only, not ssh sessions
        }
        atomic_write(self.file, plistlib.dumps(agent), backup=False)

    def disable(self) -> None:
        self.file.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        if not self.file.is_file():
            return False
        try:
            agent = plistlib.loads(self.file.read_bytes())
        except Exception:  # a damaged file starts nothing
            return False
        return agent.get("RunAtLoad") is True and not agent.get("Disabled", False)


def desktop_exec(argv: Sequence[str]) -> str:
    """Quote a command line for a desktop entry's Exec key (Desktop Entry Specification)."""
    reserved = set(" \t\"'\\><~|&;$*?#()`")
    quoted = []
    for arg in argv:
        if "\n" in arg or "\r" in arg:
            raise ValueError("a desktop entry cannot hold a line break in a command")
        arg = arg.replace("%", "%%")  # field codes start with %
        if arg and not reserved & set(arg):
            quoted.append(arg)
            continue
        escaped = "".join("\\" + char if char in '"`$\\' else char for char in arg)
        quoted.append(f'"{escaped}"')
    # The string-level escape applies on top of the quoting: a backslash is written twice.
    return " ".join(quoted).replace("\\", "\\\\")

