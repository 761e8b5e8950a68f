"""report.json, report.csv and report.html from findings: valid, streamed, escaped, offline."""

from __future__ import annotations

import csv
import json
import re

from assist.audit import html_report
from assist.audit.aggregate import Summary
from assist.audit.findings import analyse_conversation
from assist.audit.model import Conversation, Message
from assist.audit.turns import build_turns
from assist.audit.writers import SCRATCH, ReportWriter
from assist.core.types import Analysis, Cue

CLOSING = "Is there anything else I can help you with today?"
HOSTILE = '<script>alert("x")</script> & <img src=http://evil.example/x.png>'


def findings_for(cid, customer, reply, acknowledged, day):
    from datetime import datetime, timezone

    time = datetime.fromisoformat(f"{day}T10:00:00+00:00")
    conversation = Conversation(cid, (Message("customer", customer, time), Message("agent", reply, time)),
                                source=f"in.jsonl:{cid}")
    analysis = Analysis(emotion="anger", intensity=0.9, level="high", needs_acknowledgment=True,
                        cues=(Cue(0, 3, customer[:3], "anger", "lexicon"),), topics=("billing",),
                        acknowledged=acknowledged)
    return analyse_conversation(conversation, build_turns(conversation), [analysis])


def write_reports(tmp_path):
    summary = Summary()
    writer = ReportWriter(tmp_path / "out")
    rows = [("=HYPERLINK(1)", "I'm angry", "Sorry! " + CLOSING, True, "2026-11-01"),
            ("c2", "You charged me twice " + HOSTILE, "Email? " + CLOSING, False, "2026-11-02"),
            ("c3", "I'm angry", "I'm sorry. " + CLOSING, True, "2026-11-02")]
    for row in rows:
        findings, extras = findings_for(*row)
        summary.add(findings, extras)
        writer.add(findings, extras.sentences.keys())
    result = summary.to_dict()
    meta = {"files": ["in.jsonl"], "generated": "2026-11-22T10:00:00+00:00", "assist_version": "0.1.0",
            "period": {"first": "2026-11-01", "last": "2026-11-02"}}
    reports = writer.finish(result, meta)
    reports["html"] = html_report.write(tmp_path / "out" / "report.html", result, meta)
    return reports


def test_report_json_has_conversations_and_summary_with_rates(tmp_path):
    reports = write_reports(tmp_path)
    data = json.loads(reports["json"].read_text(encoding="utf-8"))
    assert [c["id"] for c in data["conversations"]] == ["=HYPERLINK(1)", "c2", "c3"]
    assert data["summary"]["acknowledgment_rate"]["overall"] == round(2 / 3, 4)
    assert data["summary"]["acknowledgment_rate"]["by_emotion"] == {"anger": round(2 / 3, 4)}
    assert data["summary"]["acknowledgment_rate"]["by_topic"] == {"billing": round(2 / 3, 4)}
    # The closing line is in all three conversations: canned, and named in each conversation's findings.
    assert all(c["canned_phrases"] == [CLOSING] for c in data["conversations"])
    assert "_sentences" not in data["conversations"][0]
    assert not (tmp_path / "out" / SCRATCH).exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.csv", "report.html", "report.json"]


def test_report_csv_one_row_per_conversation_safe_for_spreadsheets(tmp_path):
    reports = write_reports(tmp_path)
    with open(reports["csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["'=HYPERLINK(1)", "c2", "c3"]
    assert [(r["acknowledged"], r["missed"], r["canned_phrases"]) for r in rows] == [("1", "0", "1"), ("0", "1", "1"), ("1", "0", "1")]


def test_report_html_is_self_contained_and_escapes_chat_text(tmp_path):
    reports = write_reports(tmp_path)
    page = reports["html"].read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", page.replace("&lt;img src=", ""), re.I)
    assert "evil.example" in page  # the quote is shown, as text
    assert page.count("<svg") >= 3  # emotion mix, rate by emotion, rate by topic (+ trend)
    assert "You charged me twice" in page  # the worst missed moment, quoted for the lead
    assert "67%" in page
    assert "Key findings" in page and "of upset customers were acknowledged" in page


def test_an_empty_audit_still_writes_readable_reports(tmp_path):
    writer = ReportWriter(tmp_path)
    result = Summary().to_dict()
    reports = writer.finish(result, {"files": []})
    html_report.write(tmp_path / "report.html", result, {"files": []})
    assert json.loads(reports["json"].read_text(encoding="utf-8"))["conversations"] == []
    assert "no message times" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_long_period_is_charted_by_week():
    summary = Summary().to_dict()
    summary["by_day"] = [
        {"day": f"2026-{month:02d}-{day:02d}", "conversations": 2, "upset": 2, "answered": 2,
         "acknowledged": 1 if day % 2 else 2, "acknowledgment_rate": None}
        for month in range(1, 6) for day in range(1, 29)]
    page = html_report.render(summary, {"files": []})
    assert "upset moments per week" in page
    assert "2026-01-05: 14 upset moments" in page  # the week of Monday 5 January: seven days of two
