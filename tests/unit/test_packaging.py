"""What an agent installs: the wheel, an installed copy, the PyInstaller bundle, and the files around them."""

import importlib.util
import json
import os
import plistlib
import queue
import re
import shutil
import struct
import subprocess
import sys
import sysconfig
import textwrap
import threading
import tomllib
import zipfile
from pathlib import Path

import pytest

import assist
from assist import autostart
from assist.core.labels import EMOTIONS

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
LINE = json.dumps({"customer": "I have waited three weeks for my refund and nobody answers. This is ridiculous!"})
SHIPPED = ("resources", "phrasebank")
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", "artifacts")


def shipped_files():
    """Every file of resources/ and phrasebank/ in this checkout, relative to the checkout."""
    return sorted(
        path.relative_to(ROOT).as_posix()
        for name in SHIPPED for path in (ROOT / name).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
    )


def parse_analysis(stdout):
    (line,) = stdout.splitlines()  # one JSON line out per line in
    return json.loads(line)


# -- the wheel ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel `pip wheel` builds from a copy of this checkout (as pipx and pip do)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q",
         "-w", str(work / "out"), str(source)],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "out").glob("assist-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_ships_the_model_the_schemas_and_the_phrasebank(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"assist/_shipped/{name}" for name in shipped_files()}
    assert expected - names == set(), "shipped files missing from the wheel"
    assert any(name.startswith("assist/_shipped/resources/model/") for name in names)
    assert any(re.match(r"assist/_shipped/resources/schemas/.+\.json$", name) for name in names)
    assert any(re.match(r"assist/_shipped/phrasebank/.+\.ya?ml$", name) for name in names)
    assert "assist/_shipped/resources/icons/assist.svg" in names
    modules = {path.relative_to(ROOT).as_posix() for path in (ROOT / "assist").rglob("*.py")}
    assert modules - names == set(), "package modules missing from the wheel"
    assert not any(name.startswith(("tests/", "packaging/", "scripts/")) for name in names)
    (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[console_scripts]\nassist-cli = assist.cli:main" in text
    assert "[gui_scripts]\nassist = assist.cli:main" in text


@pytest.mark.slow
def test_an_installed_wheel_runs_from_anywhere(wheel, tmp_path):
    """`pipx install .` in miniature: a fresh venv with the wheel, its dependencies borrowed."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = bin_dir / ("python.exe" if sys.platform == "win32" else "python")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    # The dependencies (spaCy, numpy, ...) come from this test's environment, after the venv's own
    # site-packages; .pth files there (such as this checkout's editable install) are not run.
    new_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (new_site / "borrowed_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import assist.resources as r; print(r.model_dir())"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()) == new_site / "assist" / "_shipped" / "resources" / "model"

    cli = bin_dir / ("assist-cli.exe" if sys.platform == "win32" else "assist-cli")
    assert (bin_dir / ("assist.exe" if sys.platform == "win32" else "assist")).exists()
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, cwd=elsewhere,
                             env=env, timeout=120)
    assert version.stdout.strip() == f"assist {assist.__version__}", version.stderr
    analysed = subprocess.run([str(cli), "--temp-basedir", "analyze"], input=LINE + "\n", capture_output=True,
                              text=True, cwd=elsewhere, env=env, timeout=300)
    assert analysed.returncode == 0, analysed.stderr
    analysis = parse_analysis(analysed.stdout)
    assert analysis["emotion"] in EMOTIONS


# -- the PyInstaller bundle -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """packaging/build_bundle.sh builds the one-folder app and smoke-tests it (once for this module)."""
    work = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, BUNDLE_DIST=str(work / "dist"), BUNDLE_WORK=str(work / "work"),
               PYTHON=sys.executable)
    built = subprocess.run(["bash", str(ROOT / "packaging" / "build_bundle.sh")], capture_output=True,
                           text=True, env=env, timeout=1800)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-5000:]
    assert "build_bundle: smoke test passed" in built.stdout
    print(built.stdout)  # the build time, for the CI log
    return work / "dist" / "assist"


@pytest.mark.slow
def test_the_bundle_builds_and_runs(bundle, tmp_path):
    """The bundle the build script made and smoke-tested: checked again from elsewhere."""
    internal = bundle / "_internal"
    for name in shipped_files():
        assert (internal / name).is_file(), f"{name} missing from the bundle"
    exe = ".exe" if sys.platform == "win32" else ""
    assert (bundle / f"assist{exe}").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    analysed = subprocess.run([str(bundle / f"assist-cli{exe}"), "--temp-basedir", "analyze"], input=LINE + "\n",
                              capture_output=True, text=True, cwd=elsewhere, timeout=300)
    assert analysed.returncode == 0, analysed.stderr
    assert parse_analysis(analysed.stdout)["emotion"] in EMOTIONS
    # The training code and the test tools stay out of what agents install.
    assert not (internal / "sklearn").exists() and not (internal / "pytest").exists()
    if sys.platform.startswith("linux"):
        overlay_of_the_bundle_starts_once(bundle / "assist", tmp_path / "base")


def start_xvfb():
    if not shutil.which("Xvfb"):
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: scripts/test installs xvfb")
        pytest.skip("Xvfb is not installed (Debian: xvfb)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    return server, f":{number}"


def read_events(stream, events):
    for line in stream:
        try:
            events.put(json.loads(line))
        except ValueError:
            events.put({"event": "text", "line": line.rstrip()})
    events.put(None)


def overlay_of_the_bundle_starts_once(gui, basedir):
    """The bundled overlay shows on a real X display, and a second launch only shows it."""
    server, display = start_xvfb()
    env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = display
    overlay = subprocess.Popen([str(gui), "--basedir", str(basedir), "--json-logging"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    events = queue.Queue()
    threading.Thread(target=read_events, args=(overlay.stderr, events), daemon=True).start()
    seen = []
    try:
        while "window_shown" not in seen:
            event = events.get(timeout=180)
            assert event is not None, f"the bundled overlay stopped: {seen}"
            seen.append(event.get("event"))
        second = subprocess.run([str(gui), "--basedir", str(basedir)], env=env, capture_output=True,
                                text=True, timeout=120)
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stderr
        while "show_requested" not in seen:
            event = events.get(timeout=60)
            assert event is not None, f"the bundled overlay stopped: {seen}"
            seen.append(event.get("event"))
        overlay.terminate()
        assert overlay.wait(timeout=60) == 0
    finally:
        overlay.kill()
        server.terminate()
        server.wait(timeout=30)


def pygobject_for_this_python() -> bool:
    """The build can bundle gi (packaging/assist.spec): this Python has it, or Debian's fits it."""
    if importlib.util.find_spec("gi") is not None:
        return True
    return (Path("/usr/lib/python3/dist-packages/gi") / f"_gi{sysconfig.get_config_var('EXT_SUFFIX')}").is_file()


def load_e2e_desktop():
    """tests/e2e/desktop.py: the end-to-end tests' desktop (Xvfb, openbox, D-Bus, AT-SPI bus)."""
    spec = importlib.util.spec_from_file_location("e2e_desktop", ROOT / "tests" / "e2e" / "desktop.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def atspi_desktop(tmp_path_factory):
    """A desktop of its own with mousepad open on an empty file, focused, caret in the text."""
    e2e = load_e2e_desktop()
    # a short path: the app's single-instance socket lives in XDG_RUNTIME_DIR (AF_UNIX paths are short)
    tmp_path = tmp_path_factory.mktemp("desk")
    desk = e2e.Desktop(tmp_path)
    try:
        desk.start()
        if not shutil.which("mousepad"):
            raise e2e.DesktopUnavailable("mousepad is not installed")
    except e2e.DesktopUnavailable as exc:
        desk.stop()
        if os.environ.get("CI"):
            pytest.fail(f"{exc} (scripts/test installs the desktop)")
        pytest.skip(str(exc))
    reply = tmp_path / "reply.txt"
    reply.write_text("", encoding="utf-8")
    env = dict(desk.env, XDG_CONFIG_HOME=str(tmp_path / "mousepad"), GSETTINGS_BACKEND="memory")
    pad = desk.spawn(["mousepad", "--disable-server", str(reply)], env=env)
    desk.pad_window = e2e.wait_for(lambda: (desk.find_windows("--onlyvisible", "--pid", str(pad.pid)) or [None])[-1],
                                   timeout=20, what="mousepad's window")
    desk.activate(desk.pad_window)
    desk.xdotool("mousemove", "--window", desk.pad_window, 300, 250, "click", "1")
    desk.wait_for = e2e.wait_for
    yield desk
    desk.stop()


def children_of(pid: int) -> list[str]:
    """The command lines (first two words) of a Linux process's children."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            words = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid:
            found.append(" ".join(word.decode() for word in words[:2]))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="AT-SPI is Linux's accessibility bus")
def test_the_bundle_reads_the_draft_through_its_own_atspi_helper(bundle, atspi_desktop, monkeypatch):
    """The bundled helper (`assist --atspi-helper`, its own gi, typelibs and libatspi) sends the text
    typed in mousepad to the app's side of the pipe; the bundled overlay chooses it and analyses
    the draft it reads."""
    from assist.platform import atspi_process
    from assist.platform.base import DraftChanged

    internal = bundle / "_internal"
    if not (internal / "gi_typelibs" / "Atspi-2.0.typelib").is_file():
        assert not pygobject_for_this_python(), "PyGObject fits this Python, yet the bundle has no AT-SPI bindings"
        pytest.skip("no PyGObject for this Python to bundle (Debian: python3-gi of the same version)")
    assert (internal / "gi").is_dir() and (internal / "libatspi.so.0").is_file()

    desk = atspi_desktop
    for key in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR"):
        monkeypatch.setenv(key, desk.env[key])
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    # The app's side of the pipe, starting the helper as the frozen app does (sys.executable is the bundle).
    monkeypatch.setattr(atspi_process, "helper_command",
                        lambda python, allowed: [str(bundle / "assist"), "--atspi-helper", json.dumps(allowed)])
    events = queue.Queue()
    watcher = atspi_process.AtspiProcessWatcher(["mousepad"])
    watcher.start(events.put)  # raises unless the helper answered that AT-SPI is running
    try:
        text = "Thanks for waiting"
        desk.type(text)
        seen = []

        def typed():
            while not events.empty():
                seen.append(events.get())
            return next((e for e in seen if isinstance(e, DraftChanged) and e.text == text), None)
        draft = desk.wait_for(typed, timeout=20, what="the typed draft from the bundled helper")
        assert draft.source == "atspi" and draft.window.window_id == desk.pad_window
        assert watcher.text_around_caret() == (text, "")
        # with the bundle's own bindings, not the machine's python3-gi
        mapped = {line.split()[-1] for line in Path(f"/proc/{watcher._proc.pid}/maps").read_text().splitlines()
                  if "/_gi." in line or "libatspi" in line}
        assert mapped and all(path.startswith(str(internal)) for path in mapped), mapped
    finally:
        watcher.stop()
    assert not watcher.alive

    # The bundled overlay: AT-SPI is its draft source (no warning), and the draft reaches its analyser.
    app = subprocess.Popen([str(bundle / "assist"), "--temp-basedir", "--json-logging"], env=desk.env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    log_lines = queue.Queue()
    threading.Thread(target=read_events, args=(app.stderr, log_lines), daemon=True).start()
    seen_log = []

    def logged(name, timeout, predicate=lambda event: True):
        while True:
            event = log_lines.get(timeout=timeout)
            assert event is not None, f"the bundled overlay stopped: {[e.get('line') or e.get('event') for e in seen_log]}"
            seen_log.append(event)
            if event.get("event") == name and predicate(event):
                return event
    try:
        logged("ready", 180)
        # (the log shortens the watchers' names, so the helper is looked up among the app's children)
        helpers = [child for child in children_of(app.pid) if "--atspi-helper" in child]
        assert helpers == [f"{bundle / 'assist'} --atspi-helper"], helpers
        desk.activate(desk.pad_window)
        desk.type(" Bye")
        logged("analysis", 30, lambda event: event.get("reason") == "draft")
        warnings = [e for e in seen_log if e.get("event") == "backend_warning" and e.get("backend") == "atspi"]
        assert warnings == []
        app.terminate()
        assert app.wait(timeout=60) == 0
    finally:
        app.kill()


def test_a_bundle_without_pygobject_warns_and_reads_keystrokes_instead(tmp_path):
    """Built where no PyGObject fits its Python, a bundle has no gi: the overlay says so and falls
    back to the keystroke buffer (what assist/platform/factory.py does with the reason)."""
    script = textwrap.dedent("""
        import sys
        sys.frozen = True           # as in the bundle
        sys.modules["gi"] = None    # no gi in it
        from assist.platform import atspi, factory
        atspi.SYSTEM_PACKAGES = (sys.argv[1],)  # and none on the machine that fits
        warnings = []
        assert factory._atspi_watcher(["mousepad"], None, warnings, required=False) is None
        (warning,) = warnings
        print(warning.backend + ": " + warning.reason)
    """)
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("atspi: this assist was built without the AT-SPI bindings (PyGObject); "
                                     "reading the draft from keystrokes instead")


# -- the files around the packages -------------------------------------------------------------
def load_make_icons():
    # By path: the folder is not a package, and "packaging" is also a PyPI package's name.
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_icon_set_is_complete_and_sized_as_named():
    icons = load_make_icons()
    APP_SIZES, ICNS_TYPES, TRAY_SIZES, TRAY_STATES = (icons.APP_SIZES, icons.ICNS_TYPES, icons.TRAY_SIZES,
                                                      icons.TRAY_STATES)
    for size in APP_SIZES:
        assert png_size(ICONS / f"assist-{size}.png") == (size, size)
    for state in TRAY_STATES:
        assert (ICONS / f"tray-{state}.svg").is_file()
        for size in TRAY_SIZES:
            assert png_size(ICONS / f"tray-{state}-{size}.png") == (size, size)
    ico = (ICONS / "assist.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(APP_SIZES))
    sizes = sorted((ico[6 + 16 * i] or 256) for i in range(count))
    assert sizes == sorted(APP_SIZES)
    icns = (ICONS / "assist.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    offset, types = 8, []
    while offset < len(icns):
        types.append(icns[offset:offset + 4])
        offset += struct.unpack(">I", icns[offset + 4:offset + 8])[0]
    assert sorted(types) == sorted(ICNS_TYPES.values())


def test_the_icons_are_what_the_svgs_draw(tmp_path):
    """make_icons.py, run again, draws the same pictures: the PNGs were not edited by hand or left stale."""
    made = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(p.name for p in ICONS.glob("*.png"))
    compare = textwrap.dedent("""
        import sys
        from pathlib import Path
        from PySide6.QtGui import QGuiApplication, QImage
        app = QGuiApplication([])
        worst = 0
        for fresh in sorted(Path(sys.argv[1]).glob("*.png")):
            a, b = QImage(str(fresh)), QImage(str(Path(sys.argv[2]) / fresh.name))
            assert a.size() == b.size(), fresh.name
            for y in range(a.height()):
                for x in range(a.width()):
                    p, q = a.pixelColor(x, y), b.pixelColor(x, y)
                    worst = max(worst, abs(p.red() - q.red()), abs(p.green() - q.green()),
                                abs(p.blue() - q.blue()), abs(p.alpha() - q.alpha()))
        print(worst)
    """)
    result = subprocess.run([sys.executable, "-c", compare, str(tmp_path), str(ICONS)], capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) <= 16, "icons differ from their SVGs: run packaging/make_icons.py"


def test_the_desktop_file_starts_the_gui_entry_point_with_the_shipped_icon():
    desktop = ROOT / "packaging" / "linux" / "assist.desktop"
    entries = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert entries["Exec"] in project["gui-scripts"]
    assert (ICONS / f"{entries['Icon']}.svg").is_file()
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        if os.environ.get("CI") and sys.platform.startswith("linux"):
            pytest.fail("desktop-file-validate is missing: scripts/test installs desktop-file-utils")
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_every_version_number_is_the_package_version():
    version = assist.__version__
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == version
    resource = (ROOT / "packaging" / "windows" / "version_info.txt").read_text()
    numbers = tuple(int(part) for part in version.split(".")) + (0,)
    assert f"filevers={numbers}" in resource and f"prodvers={numbers}" in resource
    assert f"StringStruct('FileVersion', '{version}')" in resource
    assert f"StringStruct('ProductVersion', '{version}')" in resource


def test_the_mac_bundle_explains_its_permissions():
    info = plistlib.loads((ROOT / "packaging" / "macos" / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] == autostart.MAC_LABEL  # the launch agent is named after it
    for key in ("NSAccessibilityUsageDescription", "NSInputMonitoringUsageDescription"):
        assert len(info[key]) > 40, key
    assert "never" in info["NSAccessibilityUsageDescription"]  # it says what it does not do
    assert info["LSUIElement"] is True


def test_the_windows_installer_writes_the_same_run_value_as_the_app():
    script = (ROOT / "packaging" / "windows" / "assist.iss").read_text()
    assert f'Subkey: "{autostart.RUN_KEY}"' in script
    assert f'ValueName: "{autostart.APP_ID}"' in script
    assert "PrivilegesRequired=lowest" in script  # agents seldom have administrator rights
    assert (ICONS / "assist.ico").is_file()


def test_ci_runs_exactly_the_readme_test_command():
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == "bash scripts/test"
    assert all(command.startswith(("set ", "cd ")) for command in commands[:-1])


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for X11 and Wayland")
def test_scripts_run_without_a_display_says_so_and_shows_the_analyzer(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "run")], capture_output=True, text=True, env=env,
                            timeout=1200, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no graphical display" in result.stderr
    hint = next(line for line in result.stderr.splitlines() if "-m assist analyze" in line)
    command = hint.split("assist:", 1)[1].strip()
    # The suggested command works as printed.
    tried = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert tried.returncode == 0, tried.stderr
    assert parse_analysis(tried.stdout)["emotion"] in EMOTIONS


def test_the_workflow_runs_the_readme_command_on_linux_and_builds_on_windows_and_macos():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    linux_steps = [step.get("run", "") for step in workflow["jobs"]["linux"]["steps"]]
    assert "bash .ci/run" in linux_steps
    desktop = workflow["jobs"]["desktop"]
    systems = {entry["os"].split("-")[0] for entry in desktop["strategy"]["matrix"]["include"]}
    assert systems == {"windows", "macos"}
    runs = "\n".join(step.get("run", "") for step in desktop["steps"])
    assert "pytest tests/unit tests/gui" in runs and "packaging/build_bundle.sh" in runs
    assert "iscc packaging\\windows\\assist.iss" in runs
