"""The composition root: `run_overlay(args, paths)` wires settings, logging, the analyzer, the phrase
library, the platform backends, the hotkeys and the overlay together. Nothing else wires things.

Start-up order keeps the window quick: Qt and the overlay first (visible in a fraction of a
second), then, off the GUI thread, the analyzer (spaCy) with the phrase library and the platform
backends. "ready" is logged once both are in place.

JSON log events (`--json-logging`: one JSON object per line on stderr, always with "event" and
"t", the seconds since start). Chat text never appears in them: only labels, counts, ids, sources.

    {"event": "start", "version", "platform", "pid", "basedir"}
    {"event": "window_shown", "ms"}                      the overlay is on screen (first paint)
    {"event": "backends", "watchers", "inserter", "clipboard", "focus", "hotkeys"}  names chosen
    {"event": "watching", "watchers": n}                 the watchers are started
    {"event": "backend_warning", "backend", "reason"}    a backend missing or failing (also shown)
    {"event": "hotkey", "action", "combo", "ok", "reason"}
    {"event": "analyzer_ready", "ms"} / {"event": "analyzer_failed", "reason"}
    {"event": "ready", "ms", "analyzer": bool}            analyzer and backends are in place
    {"event": "focus", "app", "watched"}                 the active application changed (its name only)
    {"event": "customer_message", "source", "chars"}     a customer message arrived (length only)
    {"event": "analysis", "seq", "reason", "emotion", "level", "intensity", "needs_acknowledgment",
     "acknowledged", "missing_acknowledgment", "topics", "suggestions": [ids], "has_draft"}
    {"event": "suggestions", "buttons": [{"name": "suggestion-1", "id", "x", "y", "w", "h"}]}
                                                          on-screen rectangles (physical pixels)
    {"event": "insert", "via": "click"|"hotkey"|"search", "index", "phrase_id", "ok", "method",
     "reason", "elapsed_ms"}
    {"event": "paused", "paused"}    {"event": "overlay", "visible", "collapsed"}
    {"event": "new_chat"}    {"event": "settings_changed", "keys"}    {"event": "show_requested"}
    {"event": "log", "levelname", "name", "message"}    any other log record (warnings, errors)
Every line also has assist.logs' keys ("levelname", "message", "fields": the same fields nested);
fields that could be text (anything but numbers, booleans and short tokens) are withheld there.
    {"event": "quit", "code"}

Exit codes: 0 normal quit (or another assist already runs: it was asked to show itself);
2 no display to show the overlay on (the message suggests `python -m assist analyze`).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time

_START = time.perf_counter()
log = logging.getLogger("assist.app")

HOTKEY_SETTINGS = (
    ("hotkeys.insert_1", "insert_1"), ("hotkeys.insert_2", "insert_2"), ("hotkeys.insert_3", "insert_3"),
    ("hotkeys.insert_4", "insert_4"), ("hotkeys.insert_5", "insert_5"),
    ("hotkeys.analyse_selection", "analyse_selection"), ("hotkeys.toggle_overlay", "toggle_overlay"),
    ("hotkeys.pause", "pause"), ("hotkeys.search", "search"),
)
# Settings the desktop backends are built from: a change rebuilds them (no restart needed).
BACKEND_SETTINGS = ("watching.", "inserting.")


def _elapsed_ms() -> float:
    return round((time.perf_counter() - _START) * 1000, 1)


# -- logging -----------------------------------------------------------------------------------
def configure_logging(args, paths) -> None:
    """assist.logs' handlers (rotating file, privacy formatter); in JSON, each event's fields are
    also lifted to the top level ({"event": "analysis", "emotion": ...}) so tests read them simply."""
    from . import logs

    logs.setup(paths, json_logging=bool(getattr(args, "json_logging", False)),
               debug=bool(getattr(args, "debug", False)))
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, logs.JsonFormatter):
            handler.setFormatter(FlatJsonFormatter())


def _flat_json_formatter_class():
    from . import logs

    class _Flat(logs.JsonFormatter):
        def format(self, record: logging.LogRecord) -> str:
            entry = json.loads(super().format(record))
            for key, value in (entry.get("fields") or {}).items():
                entry.setdefault(key, value)  # already judged harmless by assist.logs
            entry.setdefault("event", "log")
            entry["t"] = round(time.perf_counter() - _START, 3)
            return json.dumps(entry, ensure_ascii=False)

    return _Flat


def FlatJsonFormatter():  # noqa: N802 - reads like the class it makes
    return _flat_json_formatter_class()()


def _install_qt_message_handler() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("assist.qt")
    # Harmless notes from the offscreen test platform; not worth a warning line.
    # Qt's accessibility bridge also notes events about widgets it has not wrapped yet.
    quiet = ("This plugin does not support", "AtSpiAdaptor::", "Received text event for invalid interface")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}

    from .logs import Safe

    def handler(kind, context, message):
        level = logging.DEBUG if message.startswith(quiet) else levels.get(kind, logging.WARNING)
        # Qt's own diagnostics (plugins, X errors), not chat text: worth keeping readable.
        qt_log.log(level, "Qt: %s", Safe(message))

    qInstallMessageHandler(handler)


# -- the display -------------------------------------------------------------------------------
def display_problem() -> str | None:
    """Why the overlay cannot be shown here, or None. Checked before Qt, which would abort."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "windows", "cocoa"):
        return None
    if not sys.platform.startswith("linux") and not sys.platform.startswith("freebsd"):
        return None  # Windows and macOS always have their display
    wayland = os.environ.get("WAYLAND_DISPLAY")
    display = os.environ.get("DISPLAY")
    if platform.startswith("wayland"):
        return None if wayland else "QT_QPA_PLATFORM asks for Wayland, but WAYLAND_DISPLAY is not set"
    if not display:
        return None if wayland else "there is no display (DISPLAY is not set)"
    try:
        from Xlib import display as xdisplay
        from Xlib.error import DisplayError

        try:
            xdisplay.Display(display).close()
        except (DisplayError, OSError) as exc:
            return f"cannot open the display {display!r} ({exc})"
    except ImportError:
        pass  # no python-xlib: let Qt try
    return None


# -- the engine the worker runs ----------------------------------------------------------------
class CoreEngine:
    """The real analyzer plus the phrase library, loaded on the worker thread."""

    def __init__(self, paths, settings):
        self.paths = paths
        self.limit = settings.get("overlay.suggestions")
        self.analyzer = None
        self.phrases = None
        self.on_phrases_loaded = None  # called (on the worker thread) once the library is in

    def load(self) -> None:
        from .ui.phrase_actions import PhraseActions

        self.phrases = PhraseActions(self.paths)
        if self.on_phrases_loaded is not None:
            self.on_phrases_loaded(self.phrases)
        from . import Analyzer

        self.analyzer = Analyzer().load()

    def run(self, request):
        from .core.suggest import suggest

        session = request.session  # the worker's own snapshot
        analysis = self.analyzer.analyze(session.customer, draft=session.draft, history=tuple(session.history))
        library = self.phrases.library  # read once: an edit may swap it meanwhile
        return analysis.with_suggestions(suggest(analysis, session, library, limit=self.limit))


# -- platform ----------------------------------------------------------------------------------
def _platform_parts(settings):
    """The platform factory's backends as PlatformParts; a failure is a visible warning, not a crash."""
    from .platform.base import BackendWarning
    from .platform.factory import create_backends
    from .ui.controller import PlatformParts

    try:
        made = create_backends(settings)
    except Exception as exc:
        log.exception("creating the platform backends failed")
        return PlatformParts(warnings=[BackendWarning("platform", f"{type(exc).__name__}: {exc}")])
    return PlatformParts(watchers=list(made.watchers), inserter=made.inserter, clipboard=made.clipboard,
                         focus=made.focus, hotkeys=made.hotkeys, warnings=list(made.warnings),
                         names=dict(made.chosen), backends=made)


# -- the application ---------------------------------------------------------------------------
class OverlayApp:
    """Owns the windows and the wiring; one per process."""

    def __init__(self, args, paths, settings, qt_app):
        from .ui import theme
        from .ui.bridge import Bridge
        from .ui.controller import Controller, log_event
        from .ui.overlay import OverlayWindow
        from .ui.tray import AppMenu, Tray
        from .ui.worker import AnalysisWorker

        self.args, self.paths, self.settings, self.qt_app = args, paths, settings, qt_app
        self.log_event = log_event
        self.theme = theme
        self.bridge = Bridge()
        self.engine = CoreEngine(paths, settings)
        self.worker = AnalysisWorker(self.engine, settings.get("overlay.debounce_ms"))
        self.overlay = OverlayWindow(state_dir=paths.state, dock=settings.get("overlay.dock"))
        self.controller = Controller(self.overlay, self.worker, self.bridge, settings)
        self.menu = AppMenu()
        self.overlay.menu_button.setMenu(self.menu)
        self.tray = Tray(self.menu)
        self._platform_ready = False
        self._ready_logged = False
        self._worker_started = False
        self._analyzer_state = None  # True loaded, False failed
        self._windows = {}
        self._wire()
        self.apply_theme()

    def _wire(self) -> None:
        c, m = self.controller, self.menu
        m.pause_toggled.connect(c.set_paused)
        m.show_overlay.connect(c.toggle_overlay)
        m.new_chat.connect(c.new_chat)
        m.search.connect(self.overlay.focus_search)
        m.open_phrase_editor.connect(lambda: self.open_phrase_editor())
        m.open_settings.connect(self.open_settings)
        m.open_shift.connect(self.open_shift)
        m.open_about.connect(self.open_about)
        m.quit_requested.connect(self.qt_app.quit)
        self.tray.activated.connect(c.toggle_overlay)
        c.paused_changed.connect(lambda paused: self._show_state())
        c.problems_changed.connect(lambda problems: self._show_state())
        self.overlay.edit_phrase_requested.connect(lambda s: self.open_phrase_editor(s.id))
        self.worker.ready.connect(self._analyzer_ready)
        self.worker.load_failed.connect(self._analyzer_failed)
        self.engine.on_phrases_loaded = lambda phrases: self.bridge.post(self._phrases_loaded, phrases)
        hints = self.qt_app.styleHints()
        hints.colorSchemeChanged.connect(lambda scheme: self.apply_theme())

    def _show_state(self) -> None:
        problems = [f"{b}: {r}" for b, r in sorted(self.controller.problems.items())]
        self.menu.set_state(self.controller.paused, problems)
        self.tray.set_state(self.controller.paused, problems)

    def apply_theme(self) -> None:
        palette = self.theme.palette_for(self.settings.get("overlay.theme"))
        self.overlay.set_palette(palette)
        self.controller._show_problems()

    # -- start-up ----------------------------------------------------------------------------------
    def start(self) -> None:
        from PySide6.QtCore import QTimer

        # The analyzer (spaCy) loads on its own thread once the window is painted: started earlier
        # it competes with the window for the interpreter and the window comes later.
        self.overlay.first_painted.connect(self._window_painted)
        # Whatever happens to the first paint (a window manager that maps late), load anyway.
        QTimer.singleShot(400, self._start_worker)
        self.overlay.set_status("Getting the analyzer ready…", transient=False)
        self.overlay.show()
        from .audit.shift import ShiftRecorder  # after the window: the audit package is not needed for it

        self.controller.shift = ShiftRecorder.from_settings(self.paths, self.settings)
        import threading

        threading.Thread(target=self._make_platform, name="assist-platform-setup", daemon=True).start()
        for problem in self.settings.problems:
            log.warning("settings: %s", problem)
        self._refresh_autostart()

    def _window_painted(self) -> None:
        from PySide6.QtCore import QTimer

        self.log_event("window_shown", ms=_elapsed_ms())
        # Not from inside the paint event: the next turn of the event loop.
        QTimer.singleShot(0, self._start_worker)

    def _start_worker(self) -> None:
        if not self._worker_started:
            self._worker_started = True
            self.worker.start()

    def _refresh_autostart(self) -> None:
        """Keep the session's start entry pointing at this assist when the agent asked for one.
        Never with --temp-basedir, and never removes an entry at start (only the setting does)."""
        if self.args.temp_basedir or not self.settings.get("general.start_with_session"):
            return
        try:
            from . import autostart

            autostart.apply(self.settings, _basedir_args(self.args))
        except Exception:
            log.exception("could not update the start-with-session entry")

    def _make_platform(self) -> None:
        """On a thread of its own: connecting to X and the accessibility bus can take seconds."""
        parts = _platform_parts(self.settings)
        self.bridge.post(self._platform_made, parts)
        # These parts, not controller.platform: the GUI thread may not have attached them yet.
        self.controller.start_watchers(parts)  # may block (a slow D-Bus): never on the GUI thread
        self.bridge.post(self._watchers_started)

    def rebuild_platform(self) -> None:
        """New desktop backends for changed settings: close the old ones, make new ones (off the GUI thread)."""
        import threading

        old = self.controller.platform

        def rebuild():
            backends = old.backends
            try:
                if backends is not None and hasattr(backends, "close"):
                    backends.close()
            except Exception:
                log.exception("closing the desktop backends failed")
            self._make_platform()

        self.controller.problems.clear()
        threading.Thread(target=rebuild, name="assist-platform-rebuild", daemon=True).start()

    def _platform_made(self, parts) -> None:
        self.log_event("backends", **parts.names)
        self.controller.attach_platform(parts)
        self.register_hotkeys()

    def _watchers_started(self) -> None:
        self.log_event("watching", watchers=len(self.controller.platform.watchers))
        if self.settings.get("watching.enabled") is False:
            self.controller.set_paused(True)
        self.controller.apply_pause()  # new watchers (after a rebuild) follow the current state
        self._platform_ready = True
        self._maybe_ready()

    def _phrases_loaded(self, phrases) -> None:
        self.controller.phrases = phrases
        self.overlay.search.set_provider(phrases.search)
        self.overlay.suggestions.set_favourites(phrases.favourite_ids())
        for problem in phrases.problems[:20]:
            log.warning("phrases: %s", problem)

    def _analyzer_ready(self, seconds: float) -> None:
        self._analyzer_state = True
        self.overlay.set_status("Ready")  # transient: the watching state line comes back after it
        self.log_event("analyzer_ready", ms=_elapsed_ms(), load_ms=round(seconds * 1000, 1))
        self._maybe_ready()

    def _analyzer_failed(self, reason: str) -> None:
        self._analyzer_state = False
        self.log_event("analyzer_failed", reason=reason)
        self.controller.problems["analyzer"] = reason
        self.controller._show_problems()
        self.overlay.set_status(f"Analysis unavailable: {reason}", error=True, transient=False)
        self._maybe_ready()

    def _maybe_ready(self) -> None:
        if self._platform_ready and self._analyzer_state is not None and not self._ready_logged:
            self._ready_logged = True
            self.log_event("ready", ms=_elapsed_ms(), analyzer=self._analyzer_state)

    def register_hotkeys(self) -> None:
        hotkeys = self.controller.platform.hotkeys
        actions = {
            **{f"insert_{n}": (lambda n=n: self.controller.insert_suggestion(n - 1, "hotkey")) for n in range(1, 6)},
            "analyse_selection": self.controller.analyse_selection,
            "toggle_overlay": self.controller.toggle_overlay,
            "pause": self.controller.toggle_pause,
            "search": self.overlay.focus_search,
        }
        if hotkeys is None:
            return
        try:
            hotkeys.unregister_all()
        except Exception:
            log.exception("releasing the hotkeys failed")
        failed = []
        for key, name in HOTKEY_SETTINGS:
            try:
                combo = self.settings.get(key)
            except KeyError:  # an option this build does not declare
                continue
            if not combo:
                continue
            action = actions[name]
            # The hook thread only queues; the action runs on the GUI thread.
            try:
                reason = hotkeys.register(combo, lambda a=action: self.bridge.post(a))
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
            self.log_event("hotkey", action=name, combo=combo, ok=reason is None, reason=reason or "")
            if reason:
                failed.append(f"{combo} ({reason})")
        if failed:
            self.controller.problems["hotkeys"] = "not available: " + ", ".join(failed)
        else:
            self.controller.problems.pop("hotkeys", None)
        self.controller._show_problems()

    # -- windows -----------------------------------------------------------------------------------
    def _keep(self, name, window) -> None:
        self._windows[name] = window
        window.show()
        window.raise_()
        window.activateWindow()

    def open_settings(self) -> None:
        from .ui.settings_dialog import SettingsDialog

        dialog = self._windows.get("settings")
        if dialog is None:
            dialog = SettingsDialog(self.settings)
            dialog.applied.connect(self.settings_applied)
        self._keep("settings", dialog)

    def settings_applied(self, keys) -> None:
        keys = set(keys)
        self.log_event("settings_changed", keys=sorted(keys))
        if "overlay.theme" in keys:
            self.apply_theme()
        if "overlay.dock" in keys:
            self.overlay.forget_position()
            self.overlay.set_dock(self.settings.get("overlay.dock"))
        if "overlay.debounce_ms" in keys:
            self.worker.set_debounce(self.settings.get("overlay.debounce_ms"))
        if "overlay.suggestions" in keys:
            self.engine.limit = self.settings.get("overlay.suggestions")
            self.controller._analyse("settings", immediate=True)
        if any(k.startswith("hotkeys.") for k in keys):
            self.register_hotkeys()
        if "general.record_shift" in keys:
            self.controller.shift.set_recording(bool(self.settings.get("general.record_shift")))
        if any(k.startswith(BACKEND_SETTINGS) for k in keys - {"watching.enabled"}):
            self.rebuild_platform()
        if "watching.enabled" in keys:
            self.controller.set_paused(not self.settings.get("watching.enabled"))
        if "general.start_with_session" in keys and not self.args.temp_basedir:
            try:
                from . import autostart

                autostart.apply(self.settings, _basedir_args(self.args))
            except Exception as exc:
                self.overlay.set_status(f"Could not change start-up: {exc}", error=True)
        if any(k.startswith("phrases.") for k in keys) and self.controller.phrases is not None:
            self.controller.phrases.reload()
            self.controller.library_changed()

    def open_phrase_editor(self, phrase_id: str | None = None) -> None:
        phrases = self.controller.phrases
        if phrases is None:
            self.overlay.set_status("The phrase library is still loading…")
            return
        from .ui.phrase_editor import PhraseEditor

        editor = self._windows.get("phrases")
        if editor is None:
            editor = PhraseEditor(phrases)
            editor.library_changed.connect(self.controller.library_changed)
        self._keep("phrases", editor)
        if phrase_id:
            editor.select(phrase_id)

    def open_shift(self) -> None:
        from .ui.shift_view import open_shift_dialog

        dialog = self._windows.get("shift")
        if dialog is not None:
            try:
                if dialog.isVisible():
                    dialog.raise_()
                    return
            except RuntimeError:  # closed and deleted (it deletes itself on close)
                pass
        self._windows["shift"] = open_shift_dialog(self.controller.shift)

    def open_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from . import __version__

        box = QMessageBox()
        box.setWindowTitle("About assist")
        box.setIconPixmap(self.overlay.windowIcon().pixmap(64, 64))
        box.setText(f"<b>assist {__version__}</b>")
        box.setInformativeText(
            "A companion for live-chat support: how the customer feels and why, whether your reply "
            "acknowledges it, and phrases that land in the chat box with one click.<br><br>"
            "Everything runs on this computer. No text leaves it, and chat text is never written to "
            "disk or logs.")
        box.setAccessibleName("About assist")
        self._keep("about", box)

    # -- single instance ---------------------------------------------------------------------------
    def show_requested(self, command: str) -> None:
        self.log_event("show_requested", command=command)
        self.overlay.show()
        self.overlay.raise_()

    def shutdown(self) -> None:
        self.controller.shutdown()
        self.worker.stop(timeout=1.0)


def _basedir_args(args) -> list[str]:
    return ["--basedir", args.basedir] if getattr(args, "basedir", None) else []


def run_overlay(args, paths) -> int:
    configure_logging(args, paths)
    from . import __version__
    from .ui.controller import log_event

    problem = display_problem()
    if problem:
        print(f"assist: cannot show the overlay: {problem}.\n"
              "Start it inside a desktop session, or analyse text without a display:\n"
              "    echo '{\"customer\": \"Still no refund!!\"}' | python -m assist analyze", file=sys.stderr)
        log_event("no_display", reason=problem)
        return 2

    from . import single_instance

    instance = single_instance.acquire(paths)
    if instance is None:
        answered = single_instance.show_running(paths)
        print("assist is already running" + ("; it was asked to show itself." if answered else "."),
              file=sys.stderr)
        return 0

    log_event("start", version=__version__, platform=sys.platform, pid=os.getpid(), basedir=str(paths.data.parent))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from .config import Settings

    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    _install_qt_message_handler()
    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    qt_app.setApplicationName("assist")
    qt_app.setApplicationDisplayName("assist")
    qt_app.setDesktopFileName("assist")
    qt_app.setQuitOnLastWindowClosed(False)  # the overlay hides; the tray or a hotkey brings it back

    settings = Settings.load(paths)
    app = OverlayApp(args, paths, settings, qt_app)
    app.start()
    instance.serve(lambda command: app.bridge.post(app.show_requested, command))

    # Ctrl+C and SIGTERM quit cleanly: Python only sees signals between Qt events, so tick.
    signal.signal(signal.SIGINT, lambda *_: qt_app.quit())
    signal.signal(signal.SIGTERM, lambda *_: qt_app.quit())
    ticker = QTimer(interval=250)
    ticker.timeout.connect(lambda: None)
    ticker.start()
    try:
        code = qt_app.exec()
    finally:
        app.shutdown()
        instance.close()
    log_event("quit", code=code)
    return code
