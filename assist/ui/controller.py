"""What the agent's actions and the desktop's events do: the overlay's behaviour, minus the widgets.

Events from the platform watchers arrive (through the bridge) on the GUI thread; they update the
conversation (Session) and ask the analysis worker for a fresh Analysis; results go to the overlay.
A click or hotkey inserts through the platform inserter on a separate thread (it waits for the
target application), then marks the phrase used. Nothing here logs chat text: only labels, counts,
ids and sources.
"""

from __future__ import annotations

import copy
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.session import Session
from ..platform.base import (
    BackendWarning, CustomerMessage, DraftChanged, FocusChanged, InsertResult, MessageSent,
)
from . import ack

log = logging.getLogger("assist.app")


def log_event(event: str, **fields) -> None:
    """One structured line: with --json-logging, {"event": ..., **fields} on stderr."""
    log.info(event, extra={"event": event, "fields": fields})


@dataclass
class PlatformParts:
    """What the platform layer gives the app; any part may be missing (None) with a warning."""

    watchers: list = field(default_factory=list)
    inserter: object = None
    clipboard: object = None
    focus: object = None
    hotkeys: object = None
    warnings: list = field(default_factory=list)  # BackendWarning
    names: dict = field(default_factory=dict)  # part -> backend name, for the log
    backends: object = None  # the platform factory's Backends (start_watchers, set_paused, close)


class Controller(QObject):
    paused_changed = Signal(bool)
    problems_changed = Signal(list)  # reasons shown in the tray and the overlay

    def __init__(self, overlay, worker, bridge, settings, phrases=None, parent=None):
        super().__init__(parent)
        self.overlay = overlay
        self.worker = worker
        self.bridge = bridge
        self.settings = settings
        self.phrases = phrases  # ui.phrase_actions.PhraseActions, or None until the library loads
        self.session = Session()
        self.platform = PlatformParts()
        self.paused = False
        self.problems: dict[str, str] = {}  # backend -> reason
        self.analysis = None
        self.shift = None  # assist.audit.shift.ShiftRecorder: counts for "My shift", never text
        self.watched_here = True  # the active application is on the allow-list
        self._last_external_window = None  # the window the agent was in before touching the overlay
        self._inserting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assist-insert")
        self._own_pid = os.getpid()

        bridge.event_received.connect(self.on_event)
        worker.result_ready.connect(self.on_result)
        worker.failed.connect(self._on_analysis_failed)
        overlay.suggestion_chosen.connect(lambda index, s: self.insert_suggestion(index, "click"))
        overlay.phrase_chosen.connect(self._insert_from_search)
        overlay.customer_text_entered.connect(lambda text: self.customer_text(text, "overlay"))
        overlay.favourite_requested.connect(self._favourite)
        overlay.hide_phrase_requested.connect(self._hide_phrase)
        overlay.hide_requested.connect(self.toggle_overlay)
        overlay.taking_focus.connect(self._remember_chat_window)
        # Where the buttons are, logged once the overlay has stopped moving or resizing (the window
        # manager places it asynchronously), so a real click in the journeys finds them.
        self._shut_down = False
        self._geometry_timer = QTimer(self, singleShot=True, interval=100)
        self._geometry_timer.timeout.connect(self._log_geometry)
        overlay.geometry_changed.connect(self._geometry_timer.start)

    # -- platform ------------------------------------------------------------------------------
    def attach_platform(self, parts: PlatformParts) -> None:
        """Use these backends from now on (GUI thread); start_watchers() makes them report."""
        self.platform = parts
        self._show_problems()

    def start_watchers(self, parts: PlatformParts | None = None) -> None:
        """Start watching with `parts` (default: the attached ones); safe from any thread, and may
        block (a slow accessibility bus), so the app calls it off the GUI thread. Warnings and
        events arrive through the bridge."""
        parts = parts if parts is not None else self.platform
        emit = self.bridge.emit_event
        if parts.backends is not None and hasattr(parts.backends, "start_watchers"):
            parts.backends.start_watchers(emit)  # also emits the warnings and starts the watchdogs
            return
        for warning in parts.warnings:
            emit(warning)
        for watcher in parts.watchers:
            try:
                watcher.start(emit)
            except Exception as exc:  # one broken watcher must not stop the others
                emit(BackendWarning(getattr(watcher, "name", "watcher"), f"could not start: {exc}"))

    def shutdown(self) -> None:
        self._shut_down = True  # an insertion still under way must not touch closed widgets
        self._geometry_timer.stop()
        backends = self.platform.backends
        if backends is not None and hasattr(backends, "close"):
            try:
                backends.close()  # watchers, watchdogs, hotkeys, X connections
            except Exception:
                log.exception("closing the desktop backends failed")
        else:
            for watcher in self.platform.watchers:
                try:
                    watcher.stop()
                except Exception:
                    log.exception("stopping a watcher failed")
            if self.platform.hotkeys is not None:
                try:
                    self.platform.hotkeys.unregister_all()
                except Exception:
                    log.exception("releasing the hotkeys failed")
        self._inserting.shutdown(wait=False, cancel_futures=True)

    # -- events --------------------------------------------------------------------------------
    def on_event(self, event) -> None:
        if isinstance(event, DraftChanged):
            if self.paused:
                return
            self.session.draft = event.text
            self._analyse("draft")
        elif isinstance(event, CustomerMessage):
            if self.paused and event.source not in ("overlay", "hotkey", "selection-hotkey"):
                return
            self.customer_text(event.text, event.source)
        elif isinstance(event, FocusChanged):
            if event.window is not None and event.window.pid != self._own_pid:
                self._last_external_window = event.window
                self.overlay.follow_window(event.window.geometry)
            app = (event.window.app_name or event.window.wm_class) if event.window is not None else ""
            log_event("focus", app=app.lower().replace(" ", "_")[:40], watched=event.watched)
            if event.window is not None and event.window.pid != self._own_pid:
                self.watched_here = event.watched
                self._show_problems()
        elif isinstance(event, MessageSent):
            if self.shift is not None and self.analysis is not None:
                self.shift.message_sent(self.analysis.acknowledged)
            self.session.draft = ""
            self._analyse("sent", immediate=True)
        elif isinstance(event, BackendWarning):
            self.problems[event.backend] = event.reason
            log_event("backend_warning", backend=event.backend, reason=event.reason)
            self._show_problems()

    def customer_text(self, text: str, source: str) -> None:
        text = (text or "").strip()
        if not text:
            self.overlay.set_status("Nothing to analyse: select or paste the customer's message first.",
                                    error=True)
            log_event("customer_message", source=source, chars=0, ignored=True)
            return
        automatic = source not in ("overlay", "selection-hotkey")
        if automatic and text == self.session.customer:
            return  # the chat's message list re-read the same message: nothing new
        self.session.add_customer_message(text)
        log_event("customer_message", source=source, chars=len(text))
        self._analyse("customer", immediate=True)

    def new_chat(self) -> None:
        self.session.reset()
        self.analysis = None
        self.overlay.reset()
        log_event("new_chat")

    def _analyse(self, reason: str, immediate: bool = False) -> None:
        if not self.session.customer and not self.session.draft:
            return
        # The worker gets its own copy: the session keeps changing on this thread.
        self.worker.submit(copy.deepcopy(self.session), reason, immediate=immediate)

    def on_result(self, request, analysis) -> None:
        self.analysis = analysis
        if self.shift is not None and request.reason == "customer":
            self.shift.customer_message(analysis)
        self.overlay.show_analysis(analysis, request.customer)
        log_event("analysis", seq=request.seq, reason=request.reason, emotion=analysis.emotion,
                  level=analysis.level, intensity=round(analysis.intensity, 3),
                  needs_acknowledgment=analysis.needs_acknowledgment, acknowledged=analysis.acknowledged,
                  missing_acknowledgment=self.overlay.ack_banner.state == ack.MISSING,
                  topics=list(analysis.topics), suggestions=[s.id for s in analysis.suggestions],
                  has_draft=bool(request.draft))
        self._geometry_timer.start()

    def _log_geometry(self) -> None:
        if self.overlay.isVisible() and not self.overlay.is_collapsed():
            log_event("suggestions", buttons=self.overlay.suggestion_geometry())

    def _on_analysis_failed(self, request, message: str) -> None:
        self.overlay.set_status("Analysis failed; see the log.", error=True)
        log_event("analysis_failed", seq=request.seq, reason=message)

    # -- inserting -----------------------------------------------------------------------------
    def insert_suggestion(self, index: int, via: str) -> None:
        suggestions = self.analysis.suggestions if self.analysis is not None else ()
        if index >= len(suggestions):
            self.overlay.set_status(self._why_no_suggestion(index + 1), error=True)
            log_event("insert", via=via, index=index + 1, ok=False, reason="no such suggestion")
            return
        suggestion = suggestions[index]
        self.insert_text(suggestion.id, suggestion.text, via, index + 1, suggestion.intent)

    def _why_no_suggestion(self, number: int) -> str:
        # The suggester stays quiet once the reply acknowledges (it would only crowd the draft), so
        # the agent's shortcut is answered with that reason rather than a bare "nothing there".
        analysis = self.analysis
        if analysis is not None and analysis.acknowledged and not analysis.suggestions:
            return "Your reply already acknowledges the customer: no suggestion needed."
        return f"There is no suggestion {number} yet."

    def _insert_from_search(self, phrase_id: str, text: str) -> None:
        if self.phrases is not None:
            text = self.phrases.fill(text, self.session.placeholders)
        phrase = self.phrases.get(phrase_id) if self.phrases is not None else None
        self.insert_text(phrase_id, text, "search", 0, phrase.intent if phrase else "")

    def insert_text(self, phrase_id: str, text: str, via: str, number: int, intent: str = "") -> None:
        if self.platform.inserter is None:
            reason = self.problems.get("inserter", "no way to insert on this system")
            self.overlay.set_status(f"Not inserted: {reason}", error=True)
            log_event("insert", via=via, index=number, phrase_id=phrase_id, ok=False, reason=reason)
            return
        self._inserting.submit(self._insert_on_worker, phrase_id, text, via, number, intent)

    def _target_window(self):
        """The window the agent was typing in: the active one, unless that is the overlay itself."""
        focus = self.platform.focus
        window = None
        if focus is not None:
            try:
                window = focus.active_window()
            except Exception:
                log.exception("reading the active window failed")
        if window is None or window.pid == self._own_pid:
            window = self._last_external_window
        return window

    def _remember_chat_window(self) -> None:
        """The overlay is about to take the keyboard: the window active now is where a phrase
        chosen there must go (one quick query; the chat app is still active at this moment)."""
        focus = self.platform.focus
        if focus is None:
            return
        try:
            window = focus.active_window()
        except Exception:
            log.exception("reading the active window failed")
            return
        if window is not None and window.pid != self._own_pid:
            self._last_external_window = window

    def _wait_for_focus_back(self, timeout: float = 0.8) -> None:
        """After typing in the overlay's search field, the window manager needs a moment to give
        the keyboard back to the chat; inserting before that would be refused (focus moved)."""
        focus = self.platform.focus
        if focus is None or self._last_external_window is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                window = focus.active_window()
            except Exception:
                return
            if window is not None and window.pid != self._own_pid:
                return
            time.sleep(0.02)
        log.info("the chat window did not get the keyboard back in time")

    def _insert_on_worker(self, phrase_id: str, text: str, via: str, number: int, intent: str) -> None:
        if via == "search":
            self._wait_for_focus_back()
        try:
            result = self.platform.inserter.insert(text, self._target_window())
        except Exception as exc:
            log.exception("insertion failed")
            result = InsertResult(False, reason=f"{type(exc).__name__}: {exc}")
        if result.ok and self.phrases is not None:
            self.phrases.record_use(phrase_id)  # file I/O: here, not on the GUI thread
        if result.ok and self.shift is not None:
            self.shift.phrase_used(intent)
        self.bridge.post(self._inserted, phrase_id, via, number, result)

    def _inserted(self, phrase_id: str, via: str, number: int, result: InsertResult) -> None:
        if self._shut_down:
            return
        log_event("insert", via=via, index=number, phrase_id=phrase_id, ok=result.ok, method=result.method,
                  reason=result.reason, elapsed_ms=round(result.elapsed_ms, 1))
        if result.ok:
            self.session.mark_used(phrase_id)
            self.overlay.set_status("✓ Inserted")
            self._analyse("inserted", immediate=True)  # used phrases make room for others
        else:
            self.overlay.set_status(f"Not inserted: {result.reason or 'unknown reason'}", error=True)

    # -- explicit actions ----------------------------------------------------------------------
    def analyse_selection(self) -> None:
        clipboard = self.platform.clipboard
        if clipboard is None:
            self.overlay.set_status("Cannot read the selection here: paste the message into the box.",
                                    error=True)
            return

        def read():
            try:
                text = clipboard.get_selection()
            except Exception:
                log.exception("reading the selection failed")
                text = ""
            self.bridge.post(self.customer_text, text, "selection-hotkey")

        self._inserting.submit(read)

    def toggle_pause(self) -> None:
        self.set_paused(not self.paused)

    def set_paused(self, paused: bool) -> None:
        if paused == self.paused:
            return
        self.paused = paused
        self.apply_pause()
        self._show_problems()
        self.paused_changed.emit(paused)
        log_event("paused", paused=paused)

    def apply_pause(self) -> None:
        """Tell every watcher whether it is paused."""
        for watcher in self.platform.watchers:
            try:
                watcher.set_paused(self.paused)
            except Exception:
                log.exception("pausing a watcher failed")

    def toggle_overlay(self) -> None:
        self.overlay.toggle_visible()
        log_event("overlay", visible=self.overlay.isVisible(), collapsed=self.overlay.is_collapsed())

    def _show_problems(self) -> None:
        reasons = [f"{backend}: {reason}" for backend, reason in sorted(self.problems.items())]
        self.overlay.set_watch_state(self.paused, reasons, here=self.watched_here)
        self.problems_changed.emit(reasons)

    # -- phrase library from the overlay -------------------------------------------------------
    def _favourite(self, suggestion, favourite: bool) -> None:
        if self.phrases is None:
            return
        text = "Added to favourites" if favourite else "Removed from favourites"
        self._change_library(lambda: self.phrases.set_favourite(suggestion.id, favourite), text)

    def _hide_phrase(self, suggestion) -> None:
        if self.phrases is None:
            return
        self._change_library(lambda: self.phrases.set_hidden(suggestion.id, True),
                             "Hidden: it will not be suggested again (undo in the phrase editor)")

    def _change_library(self, change, done_text: str) -> None:
        """Save and reload the library off the GUI thread (file lock, YAML), then re-rank."""

        def run():
            try:
                changed, error = change(), ""
            except Exception as exc:  # a locked or newer file: say so, lose nothing
                log.exception("changing the phrase library failed")
                changed, error = False, f"{type(exc).__name__}: {exc}"
            self.bridge.post(self._library_changed_by_overlay, changed, done_text, error)

        self._inserting.submit(run)

    def _library_changed_by_overlay(self, changed: bool, done_text: str, error: str) -> None:
        if error:
            self.overlay.set_status(f"Not saved: {error}", error=True)
            return
        if changed:
            self.overlay.set_status(done_text)
            self.library_changed()

    def library_changed(self) -> None:
        """The phrase editor saved something: re-rank with the new library."""
        if self.phrases is not None:
            self.overlay.suggestions.set_favourites(self.phrases.favourite_ids())
        self._analyse("library", immediate=True)
