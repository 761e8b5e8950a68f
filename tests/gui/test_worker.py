"""Analysis off the GUI thread: typing bursts make one analysis, a stale result never wins."""

from __future__ import annotations

import threading

from assist.core.session import Session
from assist.ui.worker import AnalysisRequest, AnalysisWorker

from fake_engine import FakeEngine


def session(customer="I'm furious!!!", draft=""):
    s = Session()
    s.add_customer_message(customer)
    s.draft = draft
    return s


def started(qtbot, engine, debounce_ms=60):
    worker = AnalysisWorker(engine, debounce_ms)
    with qtbot.waitSignal(worker.ready, timeout=5000):
        worker.start()
    return worker


def test_a_typing_burst_is_analysed_once(qtbot):
    engine = FakeEngine()
    worker = started(qtbot, engine)
    results = []
    worker.result_ready.connect(lambda request, analysis: results.append((request, analysis)))
    for i, text in enumerate(["I", "I'm", "I'm so", "I'm so sorry"]):
        worker.submit(session(draft=text), "draft")
    qtbot.waitUntil(lambda: bool(results), timeout=3000)
    qtbot.wait(150)  # nothing else comes
    worker.stop()
    assert len(engine.seen) == 1 and len(results) == 1
    request, analysis = results[0]
    assert request.draft == "I'm so sorry" and analysis.acknowledged is True


def test_requests_waiting_behind_a_slow_one_are_replaced_by_the_newest(qtbot):
    gate = threading.Event()
    engine = FakeEngine(gate=gate)
    worker = started(qtbot, engine)
    applied = []
    worker.result_ready.connect(lambda request, analysis: applied.append(request.seq))
    first = worker.submit(session(draft="a"), "draft", immediate=True)
    qtbot.waitUntil(lambda: engine.seen == [first], timeout=3000)
    worker.submit(session(draft="ab"), "draft", immediate=True)
    last = worker.submit(session(draft="abc sorry"), "draft", immediate=True)
    gate.set()
    qtbot.waitUntil(lambda: applied == [first, last], timeout=3000)
    worker.stop()
    assert engine.seen == [first, last]  # the middle one was never run: it was stale


def test_a_result_older_than_the_one_shown_is_dropped(qtbot):
    worker = AnalysisWorker(FakeEngine(), 0)
    applied = []
    worker.result_ready.connect(lambda request, analysis: applied.append(request.seq))
    newer = AnalysisRequest(5, session())
    older = AnalysisRequest(4, session())
    worker._on_finished(newer, object(), "")
    worker._on_finished(older, object(), "")
    assert applied == [5] and worker.stale_dropped == 1


def test_a_failing_analyzer_load_is_reported_not_raised(qtbot):
    worker = AnalysisWorker(FakeEngine(load_error=OSError("model missing")), 0)
    with qtbot.waitSignal(worker.load_failed, timeout=5000) as blocker:
        worker.start()
    assert "model missing" in blocker.args[0]
    assert not worker.is_loaded


def test_analysis_errors_become_a_failed_signal(qtbot):
    class Broken(FakeEngine):
        def run(self, request):
            raise ValueError("bad text")

    worker = started(qtbot, Broken())
    with qtbot.waitSignal(worker.failed, timeout=3000) as blocker:
        worker.submit(session(), "customer", immediate=True)
    worker.stop()
    assert "bad text" in blocker.args[1]


def test_the_gui_thread_is_not_blocked_while_analysing(qtbot):
    gate = threading.Event()
    worker = started(qtbot, FakeEngine(gate=gate))
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer(interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    worker.submit(session(), "customer", immediate=True)
    qtbot.wait(100)  # the engine is stuck on the gate; the event loop keeps turning
    gate.set()
    timer.stop()
    worker.stop()
    assert len(ticks) >= 5
