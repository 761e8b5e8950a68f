"""Picks the desktop backends at start, by platform and settings, in priority order.

    backends = create_backends(settings)
    for warning in backends.warnings: overlay.show_warning(warning)   # missing pieces, with reasons
    backends.start_watchers(emit)        # emit(event) is called from the watchers' own threads
    result = backends.inserter.insert(text, target)                   # from a worker thread
    backends.close()

Every slot is always filled: a missing backend becomes its Null version plus a BackendWarning
saying why, and the choice of each slot is logged.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Callable

from assist.config.options import BY_KEY
from assist.platform.base import (BackendWarning, Clipboard, DraftChanged, FocusInfo, Hotkeys, Inserter,
                                  WatchEvent, Watcher)
from assist.platform.inserter import AutoInserter, NullInserter
from assist.platform.keys import InjectionGuard
from assist.platform.null import NullClipboard, NullFocusInfo, NullHotkeys
from assist.platform.profiles import ProfileBook

log = logging.getLogger(__name__)


@dataclass
class Backends:
    focus: FocusInfo
    clipboard: Clipboard
    inserter: Inserter
    hotkeys: Hotkeys
    watchers: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # BackendWarning, to show in the overlay
    chosen: dict = field(default_factory=dict)  # slot -> backend name, for the log and "About"
    guard: InjectionGuard = field(default_factory=InjectionGuard)
    watchdogs: list = field(default_factory=list)
    _closers: list = field(default_factory=list)
    recent_drafts: list = field(default_factory=list)  # in memory only, for is_draft_text

    def is_draft_text(self, text: str) -> bool:
        return bool(text) and any(text in draft for draft in self.recent_drafts)

    def start_watchers(self, emit: Callable[[WatchEvent], None]) -> None:
        inner = emit

        def emit(event, _inner=inner):  # remember the draft: a selection inside it is not the customer's
            if isinstance(event, DraftChanged):
                self.recent_drafts = (self.recent_drafts + [event.text])[-8:]
            _inner(event)
        for warning in self.warnings:
            emit(warning)
        for watcher in self.watchers:
            try:
                watcher.start(emit)
            except Exception as exc:
                log.warning("watcher %s failed to start: %s", watcher.name, exc)
                emit(BackendWarning(watcher.name, f"could not start: {exc}"))
        for watchdog in self.watchdogs:
            watchdog.warn = emit
            watchdog.start()

    def set_paused(self, paused: bool) -> None:
        for watcher in self.watchers:
            watcher.set_paused(paused)

    def close(self) -> None:
        for watchdog in self.watchdogs:
            watchdog.stop()
        for watcher in self.watchers:
            try:
                watcher.stop()
            except Exception:
                log.debug("stopping %s", watcher.name, exc_info=True)
        try:
            self.hotkeys.unregister_all()
        except Exception:
            log.debug("releasing hotkeys", exc_info=True)
        for close in reversed(self._closers):
            try:
                close()
            except Exception:
                log.debug("closing a backend", exc_info=True)


class _Defaults:
    def get(self, key):
        return BY_KEY[key].default


def _get(settings, key):
    try:
        return settings.get(key)
    except KeyError:
        return BY_KEY[key].default if key in BY_KEY else None


def create_backends(settings=None, *, platform: str | None = None, environ=None) -> Backends:
    settings = settings if settings is not None else _Defaults()
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    warnings: list[BackendWarning] = []
    guard = InjectionGuard()
    if platform.startswith("linux") or platform.startswith("freebsd"):
        backends = _x11(settings, environ, guard, warnings)
    elif platform == "win32":
        backends = _native("win32", settings, guard, warnings)
    elif platform == "darwin":
        backends = _native("macos", settings, guard, warnings)
    else:
        warnings.append(BackendWarning("platform", f"{platform} is not supported: watching, inserting "
                                                   "and hotkeys are off"))
        backends = _null(guard, warnings, "platform not supported")
    profiles = ProfileBook.from_settings(settings, paste_key="cmd+v" if platform == "darwin" else "ctrl+v")
    for problem in profiles.problems:
        backends.warnings.append(BackendWarning("profiles", problem))
    if isinstance(backends.inserter, AutoInserter):
        backends.inserter.profiles = profiles
    for slot in ("focus", "clipboard", "inserter", "hotkeys"):
        backends.chosen[slot] = getattr(getattr(backends, slot), "name", type(getattr(backends, slot)).__name__)
    backends.chosen["watchers"] = ", ".join(w.name for w in backends.watchers) or "none"
    log.info("desktop backends: %s", ", ".join(f"{k}={v}" for k, v in backends.chosen.items()))
    for warning in backends.warnings:
        log.warning("backend %s unavailable: %s", warning.backend, warning.reason)
    return backends


def _null(guard, warnings, reason) -> Backends:
    return Backends(NullFocusInfo(), NullClipboard(), NullInserter(f"inserting is off: {reason}"),
                    NullHotkeys(f"hotkeys are off: {reason}"), [], warnings, guard=guard)


def _try(warnings, slot: str, build: Callable, fallback):
    try:
        return build()
    except Exception as exc:
        warnings.append(BackendWarning(slot, f"{type(exc).__name__}: {exc}"))
        return fallback


def _x11(settings, environ, guard, warnings) -> Backends:
    display = environ.get("DISPLAY")
    if not display:
        if environ.get("WAYLAND_DISPLAY"):
            reason = "this is a Wayland session without X11 access (DISPLAY is not set); log in to an X11 session"
        else:
            reason = "there is no graphical display (DISPLAY is not set)"
        warnings.append(BackendWarning("x11", reason))
        return _null(guard, warnings, reason)
    if environ.get("WAYLAND_DISPLAY") or environ.get("XDG_SESSION_TYPE") == "wayland":
        warnings.append(BackendWarning("x11", "this is a Wayland session: only X11 (XWayland) applications can be "
                                              "watched and inserted into; native Wayland windows are not visible"))
    try:
        from assist.platform import x11, x11_clipboard
    except ImportError as exc:
        reason = f"python-xlib is missing ({exc})"
        warnings.append(BackendWarning("x11", reason))
        return _null(guard, warnings, reason)
    closers = []
    focus = _try(warnings, "focus", lambda: x11.X11FocusInfo(display), None)
    if focus is None:
        return _null(guard, warnings, f"cannot talk to the X display {display}")
    closers.append(focus.close)
    clipboard = _try(warnings, "clipboard", lambda: x11_clipboard.X11Clipboard(display), None)
    if clipboard is not None:
        closers.append(clipboard.close)
    keys = _try(warnings, "keys", lambda: x11.X11KeySender(display, guard), None)
    if keys is not None:
        closers.append(keys.close)
    hotkeys = _try(warnings, "hotkeys", lambda: x11.X11Hotkeys(display), None)
    if hotkeys is not None:
        closers.append(hotkeys.close)
    watchers, watchdogs, accessible = [], [], None
    if _get(settings, "watching.enabled"):
        allowed = _get(settings, "watching.allowed_apps")
        source = _get(settings, "watching.draft_source")
        if source in ("auto", "atspi"):
            accessible = _atspi_watcher(allowed, focus, warnings, required=source == "atspi")
            if accessible is not None:
                watchers.append(accessible)
        if source == "keystrokes" or (source == "auto" and accessible is None):
            watcher = _try(warnings, "keystrokes", lambda: _xrecord_watcher(display, focus, allowed, guard), None)
            if watcher is not None:
                from assist.platform.watchdog import HookWatchdog, x11_last_input_at
                watchers.append(watcher)
                watchdogs.append(HookWatchdog(watcher, x11_last_input_at(display)))
    inserter = AutoInserter(focus, clipboard, keys, accessible=accessible, context=accessible) \
        if (clipboard and keys) or accessible else NullInserter("inserting needs the X clipboard and XTest")
    for watcher in watchers:
        if hasattr(watcher, "note_inserted") and isinstance(inserter, AutoInserter):
            inserter.on_inserted = watcher.note_inserted
            if inserter.context is None:
                inserter.context = watcher  # the keystroke buffer knows the text before the cursor
    selection = None
    primary, copied = _get(settings, "watching.selection_is_customer"), _get(settings, "watching.watch_clipboard")
    if _get(settings, "watching.enabled") and clipboard is not None and (primary or copied):
        from assist.platform.x11_selection import X11SelectionWatcher
        selection = _try(warnings, "selection", lambda: X11SelectionWatcher(
            display, clipboard, focus, _get(settings, "watching.allowed_apps"), primary=bool(primary),
            clipboard_too=bool(copied)), None)
        if selection is not None:
            watchers.append(selection)
    backends = Backends(focus, clipboard or NullClipboard(), inserter, hotkeys or NullHotkeys(),
                        watchers, warnings, guard=guard, watchdogs=watchdogs)
    if selection is not None:
        selection.is_draft = backends.is_draft_text
    backends._closers = closers
    return backends


def _atspi_watcher(allowed, focus, warnings, required: bool):
    # The watcher runs in a helper process: libatspi and Qt's GLib dispatcher cannot share one
    # process's default GLib context (see atspi_process.py). The bindings are checked here so a
    # missing package is reported at once, with the reason.
    from assist.platform import atspi
    from assist.platform.atspi_process import AtspiProcessWatcher
    reason = atspi.load()
    if reason is None:
        try:
            return AtspiProcessWatcher(allowed)
        except Exception as exc:
            reason = str(exc)
    warnings.append(BackendWarning("atspi", f"{reason}; "
                                   + ("the draft is not read" if required else "reading the draft from keystrokes instead")))
    return None


def _xrecord_watcher(display, focus, allowed, guard):
    from assist.platform.keystrokes import KeystrokeWatcher
    from assist.platform.x11_record import XRecordHook
    return KeystrokeWatcher(XRecordHook(display), focus, allowed, guard)


def _native(module_name: str, settings, guard, warnings) -> Backends:
    import importlib
    try:
        module = importlib.import_module(f"assist.platform.{module_name}")
        return module.create_backends(settings, guard, warnings)
    except Exception as exc:
        reason = f"{module_name} backends failed: {type(exc).__name__}: {exc}"
        warnings.append(BackendWarning(module_name, reason))
        return _null(guard, warnings, reason)
