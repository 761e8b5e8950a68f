"""Start with the session: real desktop entries and launch agents on disk, a fake registry for Windows."""

import os
import plistlib
import shutil
import subprocess
import sys

import pytest

from assist import __version__, autostart
from assist.config import Settings
from assist.paths import Paths


def exec_line(desktop_file):
    for line in desktop_file.read_text().splitlines():
        if line.startswith("Exec="):
            return line[len("Exec="):]
    raise AssertionError("no Exec line")


def parse_exec(value):
    """Reads an Exec value back the way the Desktop Entry Specification says a launcher does."""
    text = value.replace("\\\\", "\\")  # the string-level escape comes first
    args, current, quoted, index = [], None, False, 0
    while index < len(text):
        char = text[index]
        if quoted and char == "\\" and text[index + 1] in '"`$\\':
            current += text[index + 1]
            index += 1
        elif char == '"':
            quoted = not quoted
            current = current or ""
        elif char == " " and not quoted:
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + char
        index += 1
    assert not quoted, "unbalanced quotes"
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


@pytest.mark.skipif(sys.platform == "win32", reason="XDG desktops; pythonw.exe has no stdout to read")
def test_xdg_entry_starts_this_assist(tmp_path):
    backend = autostart.XdgAutostart(tmp_path / "autostart")
    assert not backend.is_enabled()
    backend.enable(["--version"])
    assert backend.is_enabled()
    argv = parse_exec(exec_line(backend.file))
    assert argv == autostart.launch_command(["--version"])
    started = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"assist {__version__}"
    backend.disable()
    assert not backend.is_enabled()
    backend.disable()  # twice is fine


def test_xdg_exec_quotes_spaces_quotes_dollars_and_percent_signs(tmp_path):
    awkward = ["/opt/my apps/py$thon", "--basedir", 'C:\\Users\\Ann "A" 100%']
    value = autostart.desktop_exec(awkward)
    assert value == ('"/opt/my apps/py\\\\$thon" --basedir '
                     '"C:\\\\\\\\Users\\\\\\\\Ann \\\\"A\\\\" 100%%"')
    assert parse_exec(value) == awkward
    with pytest.raises(ValueError):
        autostart.desktop_exec(["two\nlines"])


def test_xdg_entry_passes_the_desktop_file_validator(tmp_path):
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        if os.environ.get("CI") and sys.platform.startswith("linux"):
            pytest.fail("desktop-file-validate is missing: scripts/test installs desktop-file-utils")
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    backend = autostart.XdgAutostart(tmp_path)
    backend.enable(["--basedir", str(tmp_path / "a folder")])
    result = subprocess.run([validator, str(backend.file)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout.lower(), result.stdout + result.stderr


def test_an_entry_the_desktop_switched_off_counts_as_off(tmp_path):
    backend = autostart.XdgAutostart(tmp_path)
    backend.enable()
    backend.file.write_text(backend.file.read_text() + "Hidden=true\n")
    assert not backend.is_enabled()


def test_launch_agent_runs_at_login(tmp_path):
    backend = autostart.LaunchAgent(tmp_path / "LaunchAgents")
    backend.enable(["--basedir", "/Users/ann/assist files"])
    agent = plistlib.loads(backend.file.read_bytes())
    assert agent["Label"] == autostart.MAC_LABEL
    assert agent["ProgramArguments"] == autostart.launch_command(["--basedir", "/Users/ann/assist files"])
    assert agent["RunAtLoad"] is True
    assert backend.is_enabled()
    backend.file.write_bytes(b"not a plist")
    assert not backend.is_enabled()
    backend.disable()
    assert not backend.file.exists() and not backend.is_enabled()


class FakeWinreg:
    """Just enough of `winreg` for the Run key: a dict per key path, errors as on Windows."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE, KEY_QUERY_VALUE = 2, 1
    REG_SZ, REG_EXPAND_SZ, REG_DWORD = 1, 2, 4

    def __init__(self):
        self.keys = {}

    class _Key:
        def __init__(self, values):
            self.values = values

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def CreateKeyEx(self, root, path, reserved, access):
        return self._Key(self.keys.setdefault((root, path), {}))

    def OpenKey(self, root, path, reserved, access):
        if (root, path) not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._Key(self.keys[(root, path)])

    def SetValueEx(self, key, name, reserved, kind, value):
        key.values[name] = (value, kind)

    def QueryValueEx(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key.values[name]

    def DeleteValue(self, key, name):
        if name not in key.values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del key.values[name]


def test_windows_run_key(monkeypatch, tmp_path):
    registry = FakeWinreg()
    backend = autostart.WindowsRunKey(registry)
    assert not backend.is_enabled()
    backend.disable()  # no key yet: nothing to do, no error
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", r"C:\Users\Ann Lee\AppData\Local\Programs\assist\assist.exe")
    basedir = str(tmp_path / "agent files")  # absolute here, as D:\agent files is on Windows
    backend.enable(["--basedir", basedir])
    value, kind = registry.keys[("HKCU", autostart.RUN_KEY)]["assist"]
    assert kind == FakeWinreg.REG_SZ
    assert value == rf'"C:\Users\Ann Lee\AppData\Local\Programs\assist\assist.exe" --basedir "{basedir}"'
    assert backend.is_enabled()
    backend.disable()
    assert not backend.is_enabled()


def test_a_bundle_starts_itself_and_a_package_starts_python(monkeypatch):
    assert autostart.launch_command(["--debug"])[1:] == ["-m", "assist", "--debug"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert autostart.launch_command(["--debug"]) == [sys.executable, "--debug"]


def test_a_relative_basedir_becomes_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert autostart.launch_command(["--basedir", "agent"])[-2:] == ["--basedir", str(tmp_path / "agent")]


def test_apply_follows_the_setting(tmp_path):
    settings = Settings.load(Paths.for_basedir(tmp_path / "base"))
    backend = autostart.XdgAutostart(tmp_path / "autostart")
    assert autostart.apply(settings, backend=backend) is False
    settings.set(autostart.SETTING, True)
    assert autostart.apply(settings, ["--basedir", str(tmp_path / "base")], backend=backend) is True
    assert "--basedir" in parse_exec(exec_line(backend.file))
    settings.set(autostart.SETTING, False)
    assert autostart.apply(settings, backend=backend) is False
    assert not backend.file.exists()


def test_for_this_platform_uses_xdg_config_home(tmp_path, monkeypatch):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("XDG desktops only")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    backend = autostart.for_this_platform()
    assert backend.file == tmp_path / "autostart" / "assist.desktop"
