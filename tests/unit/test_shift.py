"""The "my shift" store: counts and timings only, stored only when asked, resettable, one day at a time."""

from __future__ import annotations

import json
from datetime import date

from assist.audit.shift import FILE_NAME, ShiftRecorder
from assist.config.settings import Settings
from assist.core.types import Analysis
from assist.paths import Paths

UPSET = Analysis(emotion="frustration", intensity=0.8, needs_acknowledgment=True)
CALM = Analysis(emotion="neutral")


class Day:
    def __init__(self, value=date(2026, 11, 22)):
        self.value = value

    def __call__(self):
        return self.value


def test_counts_acknowledged_and_missed_upset_customers_with_time_to_acknowledge(tmp_path):
    shift = ShiftRecorder(tmp_path, today=Day())
    shift.customer_message(UPSET, at=100.0)
    shift.customer_message(UPSET, at=130.0)  # still the same wait: timed from the first upset message
    shift.message_sent(acknowledged=True, at=160.0)
    shift.customer_message(UPSET, at=200.0)
    shift.message_sent(acknowledged=False, at=220.0)
    shift.customer_message(CALM, at=300.0)
    shift.message_sent(acknowledged=False, at=310.0)  # nobody was upset: not counted
    shift.phrase_used("acknowledge")
    shift.phrase_used("apologize")
    shift.phrase_used("acknowledge")
    stats = shift.snapshot()
    assert (stats.upset_customers, stats.acknowledged, stats.missed) == (2, 1, 1)
    assert stats.ack_seconds == [60.0] and stats.median_ack_seconds == 60.0
    assert stats.acknowledged_rate == 0.5
    assert (stats.phrases_used, stats.phrases_by_intent) == (3, {"acknowledge": 2, "apologize": 1})


def test_nothing_is_written_unless_recording_is_on(tmp_path):
    shift = ShiftRecorder(tmp_path, today=Day())
    shift.customer_message(UPSET, at=1.0)
    shift.message_sent(True, at=2.0)
    assert not (tmp_path / FILE_NAME).exists()
    assert shift.snapshot().acknowledged == 1  # still shown for this session


def test_recording_survives_a_restart_and_holds_no_text(tmp_path):
    shift = ShiftRecorder(tmp_path, record=True, today=Day())
    shift.customer_message(Analysis(emotion="anger", intensity=0.9, needs_acknowledgment=True), at=10.0)
    shift.message_sent(True, at=25.0)
    shift.phrase_used("take_ownership")
    stored = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert set(stored) == {"format", "day", "upset_customers", "acknowledged", "missed", "ack_seconds",
                           "phrases_used", "phrases_by_intent"}
    again = ShiftRecorder(tmp_path, record=True, today=Day())
    assert (again.snapshot().acknowledged, again.snapshot().ack_seconds) == (1, [15.0])


def test_turning_recording_off_deletes_the_file_and_reset_clears_everything(tmp_path):
    shift = ShiftRecorder(tmp_path, record=True, today=Day())
    shift.phrase_used("acknowledge")
    assert (tmp_path / FILE_NAME).exists()
    shift.set_recording(False)
    assert not (tmp_path / FILE_NAME).exists() and shift.snapshot().phrases_used == 1
    shift.set_recording(True)
    notified = []
    shift.add_listener(lambda: notified.append(True))
    shift.reset()
    assert shift.snapshot().phrases_used == 0 and not (tmp_path / FILE_NAME).exists() and notified


def test_a_new_day_starts_a_new_shift(tmp_path):
    day = Day(date(2026, 11, 22))
    shift = ShiftRecorder(tmp_path, record=True, today=day)
    shift.phrase_used("acknowledge")
    day.value = date(2026, 11, 23)
    assert shift.snapshot().phrases_used == 0 and shift.snapshot().day == "2026-11-23"
    # Yesterday's file is not loaded as today's.
    ShiftRecorder(tmp_path, record=True, today=Day(date(2026, 11, 22))).phrase_used("apologize")
    assert ShiftRecorder(tmp_path, record=True, today=Day(date(2026, 11, 24))).snapshot().phrases_used == 0


def test_corrupt_file_starts_a_new_shift_instead_of_crashing(tmp_path):
    (tmp_path / FILE_NAME).write_text('{"day": "2026-11-22", "acknowledged": -3', encoding="utf-8")
    assert ShiftRecorder(tmp_path, record=True, today=Day()).snapshot().acknowledged == 0
    (tmp_path / FILE_NAME).write_text('{"day": "2026-11-22", "acknowledged": "many"}', encoding="utf-8")
    assert ShiftRecorder(tmp_path, record=True, today=Day()).snapshot().acknowledged == 0


def test_off_by_default_from_settings(tmp_path):
    paths = Paths.for_basedir(tmp_path)
    settings = Settings.load(paths)
    assert ShiftRecorder.from_settings(paths, settings).record is False
    settings.set("general.record_shift", True)
    shift = ShiftRecorder.from_settings(paths, settings, today=Day())
    shift.phrase_used("acknowledge")
    assert (paths.state / FILE_NAME).exists()
