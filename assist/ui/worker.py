"""Analysis off the GUI thread: debounced, latest-wins, never a stale result over a newer one.

The GUI thread submits requests; a timer debounces typing bursts; one background thread runs the
engine. Only the latest waiting request is kept (older ones are dropped unseen), and every result
carries its request's sequence number: a result older than what is shown is discarded.

The engine is anything with `load()` (slow: spaCy; run first on the worker thread) and
`run(request) -> Analysis`. The app gives it the real Analyzer and phrase library; tests give a fake.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnalysisRequest:
    seq: int
    session: object  # a snapshot of core.session.Session, owned by the worker from here on
    reason: str = ""  # "draft", "customer", "sent", "settings": for logs and tests
    submitted: float = field(default_factory=time.perf_counter)

    @property
    def customer(self) -> str:
        return self.session.customer

    @property
    def draft(self) -> str:
        return self.session.draft


class AnalysisWorker(QObject):
    ready = Signal(float)  # the engine loaded; seconds it took
    load_failed = Signal(str)
    result_ready = Signal(object, object)  # AnalysisRequest, Analysis (only ever newer than the last)
    failed = Signal(object, str)  # AnalysisRequest, message
    _finished = Signal(object, object, str)  # from the thread: request, analysis or None, error

    def __init__(self, engine, debounce_ms: int = 120, parent=None):
        super().__init__(parent)
        self.engine = engine
        self._seq = itertools.count(1)
        self._latest_submitted = 0
        self._latest_applied = 0
        self._waiting: AnalysisRequest | None = None  # debouncing on the GUI thread
        self._slot: AnalysisRequest | None = None  # handed to the thread, not started yet
        self._condition = threading.Condition()
        self._stopping = False
        self._loaded = False
        self._thread: threading.Thread | None = None
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self._dispatch)
        self._finished.connect(self._on_finished)  # auto: queued from the thread to the GUI thread
        self.stale_dropped = 0  # results that arrived after a newer one (counted for tests/logs)

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def set_debounce(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="assist-analysis", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def submit(self, session, reason: str = "", immediate: bool = False) -> int:
        """Queue an analysis of `session` (a snapshot); typing (immediate=False) waits for a pause."""
        request = AnalysisRequest(next(self._seq), session, reason)
        self._latest_submitted = request.seq
        self._waiting = request
        if immediate or self._timer.interval() == 0:
            self._timer.stop()
            self._dispatch()
        else:
            self._timer.start()  # restarts: a burst of keystrokes makes one analysis
        return request.seq

    def _dispatch(self) -> None:
        request, self._waiting = self._waiting, None
        if request is None:
            return
        with self._condition:
            self._slot = request  # replaces an older request that has not started: it is stale
            self._condition.notify()

    def _loop(self) -> None:
        started = time.perf_counter()
        try:
            self.engine.load()
        except Exception as exc:  # a broken model must show a reason, not kill the app
            log.exception("the analyzer could not load")
            self.load_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self._loaded = True
        self.ready.emit(time.perf_counter() - started)
        while True:
            with self._condition:
                while self._slot is None and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                request, self._slot = self._slot, None
            try:
                analysis = self.engine.run(request)
                self._finished.emit(request, analysis, "")
            except Exception as exc:
                log.exception("analysis failed")
                self._finished.emit(request, None, f"{type(exc).__name__}: {exc}")

    def _on_finished(self, request, analysis, error: str) -> None:
        if request.seq <= self._latest_applied:
            self.stale_dropped += 1
            return
        self._latest_applied = request.seq
        if analysis is None:
            self.failed.emit(request, error)
        else:
            self.result_ready.emit(request, analysis)
