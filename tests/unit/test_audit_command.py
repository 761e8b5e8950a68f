"""`python -m assist audit` end to end: the real analyzer over the sample exports, real files on disk."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "audit"
SAMPLES = sorted(str(p) for p in DATA.iterdir() if p.suffix in (".jsonl", ".csv"))


def audit(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "assist", "--temp-basedir", "audit", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def test_bad_arguments_get_clear_messages(tmp_path):
    out = audit(str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "r"))
    assert out.returncode == 2 and "missing.jsonl: no such file" in out.stderr
    out = audit(SAMPLES[0], "--out", str(tmp_path / "r"), "--workers", "0")
    assert out.returncode == 2 and "--workers must be at least 1" in out.stderr
    (tmp_path / "file").write_text("x")
    out = audit(SAMPLES[0], "--out", str(tmp_path / "file"))
    assert out.returncode == 2 and "is a file, not a folder" in out.stderr
    (tmp_path / "nothing.jsonl").write_text("not json\n", encoding="utf-8")
    out = audit(str(tmp_path / "nothing.jsonl"), "--out", str(tmp_path / "r"), "--workers", "1")
    assert out.returncode == 1 and "nothing.jsonl:1: not valid JSON" in out.stderr
    assert "no conversations found" in out.stderr and (tmp_path / "r" / "report.html").exists()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    folder = tmp_path_factory.mktemp("audit")
    out = audit(*SAMPLES, "--out", str(folder / "two"), "--workers", "2")
    assert out.returncode == 0, out.stderr
    return folder, out


def load(folder):
    return json.loads((folder / "report.json").read_text(encoding="utf-8"))


def test_every_conversation_of_every_sample_is_reported(report):
    folder, out = report
    data = load(folder / "two")
    ids = [c["id"] for c in data["conversations"]]
    assert ids[:2] == ["x-2", "x-1"]  # broken.csv comes first (files in the order given)
    for expected in ["c-1001", "c-1008", "k-2", "b-4", "broken.jsonl:7", "e-1"]:
        assert expected in ids
    summary = data["summary"]
    assert summary["conversations"] == len(ids)
    assert 0 < summary["acknowledgment_rate"]["overall"] < 1
    assert set(summary["acknowledgment_rate"]["by_emotion"]) <= {
        "anger", "frustration", "disappointment", "confusion", "anxiety", "sadness", "urgency"}
    assert summary["acknowledgment_rate"]["by_topic"]
    with open(folder / "two" / "report.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ids
    assert "<svg" in (folder / "two" / "report.html").read_text(encoding="utf-8")


def test_clear_acknowledgments_and_clear_misses_are_told_apart(report):
    folder, _ = report
    by_id = {c["id"]: c for c in load(folder / "two")["conversations"]}
    first = by_id["c-1001"]["moments"][0]  # "third time ... really frustrated" -> "I'm so sorry, I understand"
    assert first["needs_acknowledgment"] and first["acknowledged"] is True
    assert first["time_to_ack_s"] == 50.0
    missed = by_id["c-1002"]["moments"][0]  # "charged me TWICE!!!" -> "Please provide your account email"
    assert missed["needs_acknowledgment"] and missed["acknowledged"] is False
    assert by_id["c-1005"]["notes"] == ["no agent messages"] and by_id["c-1005"]["unanswered"] >= 1
    assert by_id["c-1006"]["notes"] == ["no customer messages"]
    assert by_id["b-5"]["notes"] == ["no messages"]
    closing = "Is there anything else I can help you with today?"
    assert closing in by_id["c-1008"]["canned_phrases"]
    worst = load(folder / "two")["summary"]["worst_missed"]
    assert any(w["conversation"] == "c-1002" for w in worst)


def test_input_problems_are_reported_with_positions_and_encodings(report):
    folder, out = report
    problems = load(folder / "two")["summary"]["problems"]["listed"]
    places = {(Path(p["file"]).name, p["line"]) for p in problems}
    assert {("broken.jsonl", 2), ("broken.jsonl", 3), ("broken.csv", 4), ("broken.csv", 5)} <= places
    messages = " ".join(p["message"] for p in problems)
    assert "read as cp1252" in messages and "utf-16-le" in messages
    assert "broken.jsonl:2: not valid JSON" in out.stderr


def test_terminal_output_and_log_hold_no_chat_text(report):
    _, out = report
    for text in ("third time", "charged me", "Northwind", "account email"):
        assert text not in out.stdout and text not in out.stderr


def test_one_worker_gives_the_same_findings_as_two(report, tmp_path):
    folder, _ = report
    out = audit(*SAMPLES, "--out", str(tmp_path / "one"), "--workers", "1", "--quiet")
    assert out.returncode == 0 and out.stdout == ""
    assert load(tmp_path / "one")["conversations"] == load(folder / "two")["conversations"]


def test_without_the_emotion_model_the_audit_still_runs_and_says_so(tmp_path):
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    from functools import partial

    from assist import Analyzer
    from assist.audit import run_audit

    result = run_audit([DATA / "chats.jsonl"], tmp_path, workers=1, show_progress=False,
                       analyzer_factory=partial(Analyzer, model_dir=tmp_path / "no-model-here"))
    assert any("emotion model not found" in w for w in result.warnings)
    assert result.summary["conversations"] == 8 and result.summary["upset_moments"] > 0
    assert "emotion model not found" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_spawned_workers_as_on_windows_and_macos_give_the_same_findings():
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    from assist.audit import engine
    from assist.audit.readers import read_conversations

    def findings(**options):
        conversations = read_conversations(DATA / "chats.jsonl", lambda problem: None)
        return [f for f, _ in engine.run(conversations, chunk_messages=8, **options)]

    spawned = findings(workers=2, start_method="spawn")
    assert [f["id"] for f in spawned] == [f"c-100{i}" for i in range(1, 9)]
    assert spawned == findings(workers=1)


def test_a_conversation_the_analyzer_fails_on_is_noted_and_the_rest_analysed(monkeypatch):
    pytest.importorskip("assist.core.analyzer", reason="the analyzer is not in this checkout yet")
    from assist import Analyzer
    from assist.audit.engine import analyse_chunk
    from assist.audit.readers import read_conversations

    analyzer = Analyzer()
    real = analyzer.analyze_many

    def analyze_many(items, **options):
        items = list(items)
        if any("third time" in item["customer"] for item in items):  # c-1001 trips the analyzer
            raise RuntimeError("simulated failure")
        return real(items, **options)

    monkeypatch.setattr(analyzer, "analyze_many", analyze_many)
    conversations = list(read_conversations(DATA / "chats.jsonl", lambda problem: None))[:3]
    results = analyse_chunk(conversations, analyzer)
    assert [f["id"] for f, _ in results] == ["c-1001", "c-1002", "c-1003"]
    assert "analysis failed" in results[0][0]["notes"][0] and results[0][0]["customer_turns"] == 0
    assert results[1][0]["upset_moments"] >= 1 and results[1][0]["notes"] == []
