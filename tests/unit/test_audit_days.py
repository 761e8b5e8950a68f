"""Days in the team's time zone: --timezone decides which calendar day a conversation belongs to."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from assist.audit.aggregate import Summary
from assist.audit.days import Days, UnknownZone
from assist.audit.findings import analyse_conversation
from assist.audit.model import Conversation, Message
from assist.audit.turns import build_turns
from assist.core.types import Analysis

ROOT = Path(__file__).resolve().parents[2]
LATE = datetime(2026, 11, 9, 23, 30, tzinfo=timezone.utc)  # Monday 23:30 UTC is Tuesday 00:30 in Berlin


def zone_database():
    try:
        Days("Europe/Berlin")
    except UnknownZone:
        pytest.skip("no time zone database here (pip install tzdata)")


def test_a_moment_at_2330_utc_is_the_next_day_in_berlin_and_the_same_day_in_utc_and_new_york():
    zone_database()
    assert Days("Europe/Berlin").day(LATE) == "2026-11-10"
    assert Days("UTC").day(LATE) == "2026-11-09" and Days("utc").day(LATE) == "2026-11-09"
    assert Days("America/New_York").day(LATE) == "2026-11-09"
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc)  # CEST is UTC+2: already the 2nd in Berlin
    assert Days("Europe/Berlin").day(summer) == "2026-07-02"
    assert Days("Europe/Berlin").name == "Europe/Berlin" and Days("UTC").name == "UTC"


def test_by_day_follows_the_zone():
    zone_database()
    chat = Conversation("late", (Message("customer", "I'm furious", LATE), Message("agent", "Sorry!", LATE)))
    result = analyse_conversation(chat, build_turns(chat), [Analysis(emotion="anger", intensity=0.8,
                                                                      needs_acknowledgment=True, acknowledged=True)])
    for zone, day in (("Europe/Berlin", "2026-11-10"), ("UTC", "2026-11-09")):
        summary = Summary(Days(zone))
        summary.add(*result)
        assert [(row["day"], row["upset"]) for row in summary.to_dict()["by_day"]] == [(day, 1)]


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="the local zone can only be switched where tzset exists")
def test_the_default_is_this_computers_zone(monkeypatch):
    try:
        monkeypatch.setenv("TZ", "Europe/Berlin")
        time.tzset()
        local = Days()
        assert local.day(LATE) == "2026-11-10" and local.name.startswith("Europe/Berlin")
        assert Days("local").day(LATE) == "2026-11-10"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "Europe", "../../etc/passwd", "", "   "])
def test_bad_zone_names_raise_a_clear_error(name):
    with pytest.raises(UnknownZone, match="Europe/Berlin"):
        Days(name)


def test_the_command_rejects_a_bad_zone_with_exit_status_2_and_no_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "assist", "--temp-basedir", "audit",
                          str(ROOT / "tests" / "data" / "audit" / "chats.jsonl"), "--out", str(tmp_path / "r"),
                          "--timezone", "Mars/Olympus_Mons"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 2
    assert "--timezone: unknown time zone 'Mars/Olympus_Mons'" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "r").exists()
    help_text = subprocess.run([sys.executable, "-m", "assist", "audit", "--help"], capture_output=True, text=True,
                               cwd=ROOT, timeout=300).stdout
    assert "--timezone ZONE" in help_text and "Europe/Berlin" in help_text
