"""Picks the desktop backends at start, by platform and settings, in priority order.

    backends = create_backends(settings)
    for warning in backends.warnings: overlay.show_warning(warning)   # missing pieces, with reasons
    backends.start_watchers(emit)        # emit(event) is called from the watchers' own threads
    result = backends.inserter.insert(text, target)                   # from a worker thread
    backends.close()

Every slot is always filled: a missing backend becomes its Null version plus a BackendWarning
saying why, and the choice of each slot is logged. A watcher that can only be tried by starting it
(the AT-SPI helper: no accessibility bus, a crash at start) may come with a fallback, which
`start_watchers` puts in its place when it fails (on X11 in `draft_source = auto`: the XRecord
keystroke buffer with its watchdog, as if the AT-SPI bindings had been missing).
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
    # watcher name -> build() -> (watcher, watchdog or None): what replaces it if it fails to start
    fallbacks: dict = field(default_factory=dict)
    _closed: bool = False

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
        for watcher in list(self.watchers):
            try:
                watcher.start(emit)
            except Exception as exc:
                log.warning("watcher %s failed to start: %s", watcher.name, exc)
                fallback = self.fallbacks.get(watcher.name)
                if fallback is None or self._closed:
                    emit(BackendWarning(watcher.name, f"could not start: {exc}"))
                else:
                    self._fall_back(watcher, exc, fallback, emit)
                continue
            if watcher.name in self.fallbacks and hasattr(watcher, "on_gave_up"):
                # It may still stop for good later (its restarts used up): the same fallback then.
                watcher.on_gave_up = lambda reason, w=watcher: self._gave_up(w, reason, emit)
        for watchdog in self.watchdogs:
            watchdog.warn = emit
            watchdog.start()

    def _gave_up(self, watcher: Watcher, reason: str, emit) -> None:
        """`watcher` ran, then stopped for good (on its own thread): its fallback takes over."""
        if self._closed or watcher not in self.watchers:
            return
        self._fall_back(watcher, reason, self.fallbacks[watcher.name], emit, what="stopped", started=True)

    def _fall_back(self, failed: Watcher, exc, build: Callable, emit, what: str = "could not start",
                   started: bool = False) -> None:
        """`failed` did not start (or, `started`, stopped for good later): put what `build()` makes in
        its place, and let the inserter stop asking the dead watcher (insertion, caret context). One
        warning says what happened."""
        try:
            failed.stop()
        except Exception:
            log.debug("stopping %s", failed.name, exc_info=True)
        label = LABELS.get(failed.name, failed.name)
        replacement = watchdog = None
        try:
            replacement, watchdog = build()
            replacement.start(emit)
        except Exception as fallback_exc:
            log.warning("fallback for %s failed to start: %s", failed.name, fallback_exc)
            if replacement is not None:
                try:
                    replacement.stop()
                except Exception:
                    log.debug("stopping %s", replacement.name, exc_info=True)
            replacement = None
            emit(BackendWarning(failed.name, f"{label} {what} ({exc}), nor could the fallback "
                                             f"({type(fallback_exc).__name__}: {fallback_exc}); the draft is not read"))
        index = self.watchers.index(failed)
        self.watchers[index:index + 1] = [replacement] if replacement is not None else []
        if isinstance(self.inserter, AutoInserter):
            if self.inserter.accessible is failed:
                self.inserter.accessible = None
            if self.inserter.context is failed:
                self.inserter.context = None
            if replacement is not None:
                wire_inserter(self.inserter, replacement)
        self.chosen["watchers"] = ", ".join(w.name for w in self.watchers) or "none"
        if replacement is None:
            return
        # The app may hold the list of watchers from before the start (PlatformParts copies it)
        # and pauses them from there: the failed watcher passes pausing on to its replacement.
        failed.set_paused = replacement.set_paused
        if watchdog is not None:
            self.watchdogs.append(watchdog)  # at start: started with the others, right after the watchers
            if started:
                watchdog.warn = emit
                watchdog.start()
        log.info("desktop backends: watchers=%s (%s %s)", self.chosen["watchers"], failed.name, what)
        emit(BackendWarning(failed.name, f"{label} {what} ({exc}); "
                                         f"reading the draft from {replacement.name} instead"))

    def set_paused(self, paused: bool) -> None:
        for watcher in self.watchers:
            watcher.set_paused(paused)

    def close(self) -> None:
        self._closed = True  # a watcher failing while we close gets no replacement
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


LABELS = {"atspi": "AT-SPI"}  # watcher names as the agent reads them in a warning


def wire_inserter(inserter: Inserter, watcher: Watcher) -> None:
    """A keystroke buffer learns what the inserter put in, and gives it the text before the cursor
    when nothing better (accessibility) does."""
    if hasattr(watcher, "note_inserted") and isinstance(inserter, AutoInserter):
        inserter.on_inserted = watcher.note_inserted
        if inserter.context is None:
            inserter.context = watcher


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
    watchers, watchdogs, accessible, fallbacks = [], [], None, {}
    if _get(settings, "watching.enabled"):
        allowed = _get(settings, "watching.allowed_apps")
        source = _get(settings, "watching.draft_source")

        def keystrokes():
            return _xrecord_watching(display, focus, allowed, guard)
        if source in ("auto", "atspi"):
            accessible = _atspi_watcher(allowed, focus, warnings, required=source == "atspi")
            if accessible is not None:
                watchers.append(accessible)
                if source == "auto":  # it can only fail when it starts: keystrokes then take over
                    fallbacks[accessible.name] = keystrokes
        if source == "keystrokes" or (source == "auto" and accessible is None):
            built = _try(warnings, "keystrokes", keystrokes, None)
            if built is not None:
                watchers.append(built[0])
                watchdogs.append(built[1])
    inserter = AutoInserter(focus, clipboard, keys, accessible=accessible, context=accessible) \
        if (clipboard and keys) or accessible else NullInserter("inserting needs the X clipboard and XTest")
    for watcher in watchers:
        wire_inserter(inserter, watcher)
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
                        watchers, warnings, guard=guard, watchdogs=watchdogs, fallbacks=fallbacks)
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


def _xrecord_watching(display, focus, allowed, guard):
    """The XRecord keystroke buffer and the watchdog that puts its hook back when it dies."""
    from assist.platform.keystrokes import KeystrokeWatcher
    from assist.platform.watchdog import HookWatchdog, x11_last_input_at
    from assist.platform.x11_record import XRecordHook
    watcher = KeystrokeWatcher(XRecordHook(display), focus, allowed, guard)
    return watcher, HookWatchdog(watcher, x11_last_input_at(display))


def _native(module_name: str, settings, guard, warnings) -> Backends:
    import importlib
    try:
        module = importlib.import_module(f"assist.platform.{module_name}")
        return module.create_backends(settings, guard, warnings)
    except Exception as exc:
        reason = f"{module_name} backends failed: {type(exc).__name__}: {exc}"
        warnings.append(BackendWarning(module_name, reason))
        return _null(guard, warnings, reason)
