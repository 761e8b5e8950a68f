"""Callbacks from other threads (platform watchers, hotkey hooks, insert and analysis workers) onto
the GUI thread, through queued signals.

Backend callbacks must stay trivial (a blocked hook dies on Windows): `emit_event` and `post` only
queue and return at once; the slot runs later on the GUI thread's event loop.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


class Bridge(QObject):
    event_received = Signal(object)  # a platform WatchEvent
    _call = Signal(object)  # a zero-argument callable to run on the GUI thread

    def __init__(self, parent=None):
        super().__init__(parent)
        # Queued even when emitted on the GUI thread: the caller never runs GUI code re-entrantly.
        self._call.connect(self._run, Qt.QueuedConnection)

    def emit_event(self, event) -> None:
        """A watcher's `emit` callback: safe from any thread."""
        self.event_received.emit(event)

    def post(self, function, *args) -> None:
        """Run `function(*args)` on the GUI thread, soon. Safe from any thread."""
        self._call.emit(lambda: function(*args))

    @Slot(object)
    def _run(self, call) -> None:
        try:
            call()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("error in a queued callback")
