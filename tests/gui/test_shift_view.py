"""The My shift view over a real recorder: numbers, updates from another thread, reset."""

from __future__ import annotations

import os
import threading
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from assist.audit.shift import FILE_NAME, ShiftRecorder  # noqa: E402
from assist.core.types import Analysis  # noqa: E402
from assist.ui.shift_view import ShiftDialog, ShiftView, open_shift_dialog  # noqa: E402

UPSET = Analysis(emotion="anger", intensity=0.9, needs_acknowledgment=True)


def recorder(tmp_path, record=False):
    return ShiftRecorder(tmp_path, record=record, today=lambda: date(2026, 11, 22))


def test_shows_todays_numbers(qtbot, tmp_path):
    shift = recorder(tmp_path)
    shift.customer_message(UPSET, at=0.0)
    shift.message_sent(True, at=45.0)
    shift.customer_message(UPSET, at=100.0)
    shift.message_sent(False, at=120.0)
    shift.phrase_used("acknowledge")
    shift.phrase_used("apologize")
    shift.phrase_used("acknowledge")
    view = ShiftView(shift)
    qtbot.addWidget(view)
    assert view.title.text() == "My shift · 2026-11-22"
    assert view.acknowledged.text() == "1 of 2"
    assert view.rate_bar.value() == 50 and view.rate_bar.format() == "50%"
    assert view.time_to_ack.text() == "45 s"
    assert view.phrases.text() == "3"
    assert view.phrase_detail.text() == "acknowledge 2 · apologise 1"
    assert "Not saved" in view.storage.text()


def test_updates_when_fed_from_another_thread(qtbot, tmp_path):
    shift = recorder(tmp_path)
    view = ShiftView(shift)
    qtbot.addWidget(view)
    assert view.acknowledged.text() == "0 of 0" and view.rate_bar.format() == "no upset customers yet"

    def agent_replies():
        shift.customer_message(UPSET, at=10.0)
        shift.message_sent(True, at=130.0)

    worker = threading.Thread(target=agent_replies)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: view.acknowledged.text() == "1 of 1")
    assert view.time_to_ack.text() == "2.0 min"


def test_reset_button_clears_numbers_and_the_stored_file(qtbot, tmp_path):
    shift = recorder(tmp_path, record=True)
    shift.phrase_used("take_ownership")
    assert (tmp_path / FILE_NAME).exists()
    view = ShiftView(shift)
    qtbot.addWidget(view)
    assert view.phrases.text() == "1" and "Kept on this computer" in view.storage.text()
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert view.phrases.text() == "0" and not view.phrase_detail.isVisibleTo(view)
    assert not (tmp_path / FILE_NAME).exists()


def test_dialog_opens_non_modal_and_stops_listening_when_closed(qtbot, tmp_path):
    shift = recorder(tmp_path)
    dialog = open_shift_dialog(shift)
    qtbot.waitExposed(dialog)
    assert isinstance(dialog, ShiftDialog) and not dialog.isModal()
    assert len(shift._listeners) == 1
    dialog.close()
    assert shift._listeners == []
    shift.phrase_used("acknowledge")  # no view left to notify: nothing breaks
