"""Reading chat exports: JSON lines and CSV, broken lines, encodings, streaming."""

from __future__ import annotations

import codecs
import json
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assist.audit.readers import parse_time, read_conversations

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"


def read(path):
    problems = []
    conversations = list(read_conversations(path, problems.append))
    return conversations, problems


def test_jsonl_reads_every_conversation_in_order_with_aware_times():
    conversations, problems = read(DATA / "chats.jsonl")
    assert [c.id for c in conversations] == [f"c-100{i}" for i in range(1, 9)]
    assert problems == []
    first = conversations[0]
    assert [m.role for m in first.messages] == ["agent", "customer", "agent", "customer", "agent", "customer"]
    assert first.messages[1].time.tzinfo is not None
    assert first.source.endswith("chats.jsonl:1")
    assert conversations[6].messages[0].time is None  # c-1007 has no times


def test_csv_groups_rows_and_keeps_multiline_text():
    conversations, problems = read(DATA / "chats.csv")
    assert [c.id for c in conversations] == ["k-1", "k-2", "k-3"]
    assert problems == []
    last_reply = conversations[1].messages[-1]
    assert last_reply.role == "agent"
    assert "\n" in last_reply.text and last_reply.text.endswith("today?")
    assert conversations[2].source.endswith("chats.csv:10")  # the row where k-3 starts


def test_broken_jsonl_lines_are_reported_with_line_numbers_and_skipped():
    conversations, problems = read(DATA / "broken.jsonl")
    lines = sorted({p.line for p in problems})
    assert lines == [2, 3, 4, 6, 7, 8]
    assert all(p.file.endswith("broken.jsonl") for p in problems)
    by_id = {c.id: c for c in conversations}
    assert list(by_id) == ["b-1", "b-4", "broken.jsonl:7", "b-1#2", "b-5"]
    # b-4 keeps the two valid messages; the bad time is dropped, the epoch time read.
    assert [(m.role, m.time is None) for m in by_id["b-4"].messages] == [("customer", True), ("agent", False)]
    assert by_id["b-5"].messages == ()
    messages = " | ".join(p.message for p in problems)
    assert "not valid JSON" in messages and "role 'bot'" in messages and "seen before" in messages


def test_broken_csv_rows_are_reported_and_skipped():
    conversations, problems = read(DATA / "broken.csv")
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (4, "row has 2 column(s), expected at least 3"),
        (5, "role 'robot' is not customer or agent"),
        (6, "no conversation id"),
        (7, "time 'not-a-time' is not an ISO 8601 time"),
    ]
    # x-1 comes back on line 9, soon after: the same conversation (exports sorted by time interleave).
    assert [(c.id, len(c.messages)) for c in conversations] == [("x-2", 2), ("x-1", 3)]


def test_interleaved_csv_sorted_by_time_is_regrouped_in_bounded_memory(tmp_path, monkeypatch):
    from assist.audit import readers

    monkeypatch.setattr(readers, "IDLE_ROWS", 50)
    path = tmp_path / "by_time.csv"
    lines = ["conversation_id,role,text"]
    for step in range(300):  # three chats at a time, round robin, each 6 rows long
        chat = step // 18 * 3 + step % 3
        lines.append(f"t-{chat},{'customer' if step % 2 else 'agent'},message {step}")
    lines.append("t-0,customer,back after a long time")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conversations, problems = read(path)
    sizes = {c.id: len(c.messages) for c in conversations}
    assert all(sizes[f"t-{n}"] == 6 for n in range(1, 48))
    assert sizes["t-0"] == 6 and sizes["t-0#2"] == 1  # 300 rows later: a new part, reported
    assert [p.line for p in problems] == [302]


@pytest.mark.parametrize("name, note", [
    ("cp1252.csv", "read as cp1252"),
    ("utf8-bom.csv", "utf-8 with byte-order mark"),
    ("utf16.csv", "utf-16-le (byte-order mark)"),
    ("utf16.jsonl", "utf-16-le (byte-order mark)"),
    ("mixed.jsonl", "1 line(s) are not UTF-8 and were read as cp1252 (lines 2)"),
])
def test_encodings_are_detected_and_reported(name, note):
    conversations, problems = read(DATA / name)
    expected, _ = read(DATA / "utf8-bom.csv")
    assert [(c.id, [m.text for m in c.messages]) for c in conversations] == \
        [(c.id, [m.text for m in c.messages]) for c in expected]
    assert "€50" in conversations[1].messages[0].text and "déçu" in conversations[0].messages[0].text
    assert any(note in p.message for p in problems), problems


def test_utf16_without_bom_is_guessed(tmp_path):
    path = tmp_path / "export.jsonl"
    record = {"id": "n-1", "messages": [{"role": "customer", "text": "Ça ne marche pas, I'm upset"}]}
    path.write_bytes((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-16-le"))
    conversations, problems = read(path)
    assert conversations[0].messages[0].text == "Ça ne marche pas, I'm upset"
    assert any("guessed" in p.message for p in problems)


def test_reading_streams_instead_of_loading_the_file(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps({"id": "x", "messages": [{"role": "customer", "text": "hello " * 20}]})
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(20000):
            handle.write(line.replace('"x"', f'"c{number}"') + "\n")
    seen = []
    conversations = read_conversations(path, lambda p: None, on_bytes=seen.append)
    first = next(conversations)
    assert first.id == "c0"
    assert max(seen) < path.stat().st_size / 10  # only the first block has been read
    conversations.close()


def test_missing_and_empty_files_are_problems_not_crashes(tmp_path):
    conversations, problems = read(tmp_path / "nope.jsonl")
    assert conversations == [] and "cannot open" in problems[0].message
    (tmp_path / "empty.csv").write_bytes(b"")
    conversations, problems = read(tmp_path / "empty.csv")
    assert conversations == [] and problems[0].message == "empty file"


def test_csv_without_header_assumes_documented_column_order(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("z-1,customer,My order is late,2026-11-01T10:00:00\nz-1,agent,Sorry!,\n", encoding="utf-8")
    conversations, problems = read(path)
    assert [m.text for m in conversations[0].messages] == ["My order is late", "Sorry!"]
    assert conversations[0].messages[0].time.tzinfo == timezone.utc
    assert "no header" in problems[0].message


def test_problem_messages_never_quote_what_may_be_chat_text(tmp_path):
    path = tmp_path / "shifted.csv"
    path.write_text("conversation_id,role,text,time\n"
                    "s-1,My parcel never came and I'm furious,customer,2026-11-01\n"
                    "s-2,agent,Hello,I'm so sorry about that\n", encoding="utf-8")
    _, problems = read(path)
    text = " ".join(p.message for p in problems)
    assert "furious" not in text and "sorry" not in text
    assert "(36 characters, not shown)" in text and "(23 characters, not shown)" in text


def test_parse_time_forms():
    assert parse_time("2026-11-02T09:00:00Z").utcoffset().total_seconds() == 0
    assert parse_time("2026-11-02 09:00:00+02:00").utcoffset().total_seconds() == 7200
    assert parse_time("2026-11-02T09:00:00").tzinfo == timezone.utc  # naive taken as UTC
    assert parse_time(0).year == 1970
    assert parse_time("") is None and parse_time(None) is None
    with pytest.raises(ValueError):
        parse_time("next tuesday")
    with pytest.raises(ValueError):
        parse_time(True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".csv", ".tsv", ".log"]),
       prefix=st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"conversation_id,role,text\n"]))
def test_arbitrary_bytes_never_crash_the_readers(tmp_path, content, suffix, prefix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(prefix + content)
    conversations, problems = read(path)
    for conversation in conversations:
        assert all(m.role in ("customer", "agent") for m in conversation.messages)
