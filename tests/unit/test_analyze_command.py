"""`python -m assist analyze` as a subprocess: the JSON-lines contract, errors in place, exit status."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from assist.commands.analyze import parse_line
from assist.core.labels import EMOTIONS

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"emotion", "scores", "intensity", "level", "needs_acknowledgment", "cues", "topics", "trend",
        "acknowledged", "acknowledgment", "suggestions", "lang", "confidence", "truncated"}


def run(args, stdin: bytes, tmp_path):
    return subprocess.run(
        [sys.executable, "-m", "assist", "--temp-basedir", "analyze", *args],
        input=stdin, capture_output=True, cwd=ROOT, timeout=120,
    )


def lines(out: bytes):
    return [json.loads(line) for line in out.decode("utf-8").splitlines()]


def test_one_line_out_per_line_in_and_in_order(tmp_path):
    items = [
        {"customer": "This is the third time I ask, still no refund!!!", "draft": "Sorry for the delay."},
        {"customer": "Thanks, it works now 😊"},
        {"draft": "Let me check that for you."},
        {"customer": "Still nothing.", "history": ["Where is my parcel?"]},
    ]
    proc = run([], "".join(json.dumps(i) + "\n" for i in items).encode(), tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = lines(proc.stdout)
    assert len(out) == 4
    for result in out:
        assert set(result) == KEYS
        assert set(result["scores"]) == set(EMOTIONS)
    assert out[0]["emotion"] == "frustration" and out[0]["acknowledged"] is True
    assert out[0]["acknowledgment"]["apology"] is True
    assert out[1]["emotion"] == "positive" and out[1]["acknowledged"] is None
    assert out[2]["acknowledged"] is False
    assert out[3]["topics"] == ["delivery"]
    text = items[0]["customer"]
    assert all(text[c["start"]:c["end"]] == c["text"] for c in out[0]["cues"])


def test_bad_lines_answered_in_place_and_exit_status_one(tmp_path):
    stdin = b'{"customer": "I am furious"}\nnot json\n{"history": ["x"]}\n[1, 2]\n{"customer": 5}\n\n{"customer": "ok"}\n'
    proc = run([], stdin, tmp_path)
    assert proc.returncode == 1
    out = lines(proc.stdout)
    assert len(out) == 7
    assert out[0]["emotion"] == "anger" and out[6]["emotion"] == "neutral"
    for index in (1, 2, 3, 4, 5):
        assert set(out[index]) == {"error"} and out[index]["error"].startswith(f"line {index + 1}:")
    err = proc.stderr.decode()
    for number in (2, 3, 4, 5, 6):
        assert f"line {number}:" in err
    assert "furious" not in err  # chat text never reaches the error stream


def test_invalid_utf8_is_replaced_and_still_analysed(tmp_path):
    stdin = b'{"customer": "caf\xe9 is cold and I am angry"}\n'
    proc = run([], stdin, tmp_path)
    assert proc.returncode == 0
    (result,) = lines(proc.stdout)
    assert result["emotion"] == "anger"
    assert "line 1: invalid UTF-8" in proc.stderr.decode()


def test_reads_a_file_and_reports_a_missing_one(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"customer": "Where is my order? I need it today!"}\n', encoding="utf-8")
    proc = run([str(path)], b"", tmp_path)
    assert proc.returncode == 0
    assert lines(proc.stdout)[0]["emotion"] == "urgency"
    missing = run([str(tmp_path / "nope.jsonl")], b"", tmp_path)
    assert missing.returncode == 2 and b"cannot read" in missing.stderr


def test_huge_and_odd_lines(tmp_path):
    huge = json.dumps({"customer": "angry " * 200_000})
    odd = json.dumps({"customer": "\u0000\u0007😡😡", "draft": "\x1b[31m"})
    proc = run([], (huge + "\n" + odd + "\n").encode(), tmp_path)
    assert proc.returncode == 0, proc.stderr
    big, small = lines(proc.stdout)
    assert big["truncated"] is True
    assert small["emotion"] == "anger"


def test_missing_model_is_said_once_on_stderr_and_results_still_come(tmp_path):
    env = dict(__import__("os").environ)
    code = (
        "import sys; from assist import resources; from pathlib import Path; "
        f"resources.model_dir = lambda: Path({str(tmp_path)!r}); "
        "from assist.cli import main; sys.exit(main(['--temp-basedir', 'analyze']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], input=b'{"customer": "Third time asking, still no refund!"}\n',
                          capture_output=True, cwd=ROOT, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().count("rules only") == 1
    assert lines(proc.stdout)[0]["emotion"] == "frustration"


def test_answers_each_line_as_it_comes_through_a_pipe():
    """A program that writes one line and waits for its answer must not wait for a full batch."""
    proc = subprocess.Popen([sys.executable, "-m", "assist", "--temp-basedir", "analyze"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for text, emotion in (("I am furious!", "anger"), ("Thanks so much, all good now!", "positive")):
            proc.stdin.write((json.dumps({"customer": text}) + "\n").encode())
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())  # would hang if the command waited for 256 lines
            assert answer["emotion"] == emotion
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.builds(lambda obj: json.dumps(obj).encode(), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["customer", "draft", "history", "x"]), children, max_size=3),
    max_leaves=8)))
def test_any_input_line_is_an_item_or_a_clear_error(raw):
    try:
        item = parse_line(raw, 1, lambda message: None)
    except ValueError as exc:
        assert str(exc)
        return
    assert set(item) == {"customer", "draft", "history"}
    assert isinstance(item["customer"], str) and isinstance(item["draft"], str)
    assert all(isinstance(h, str) for h in item["history"])


def test_deeply_nested_json_is_an_error_not_a_crash():
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_line(b"[" * 100_000 + b"]" * 100_000, 3, lambda message: None)


def test_a_temporary_base_folder_is_gone_after_the_run(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    proc = subprocess.run([sys.executable, "-m", "assist", "--temp-basedir", "analyze"],
                          input=b'{"customer": "Where is my parcel?"}\n', capture_output=True, cwd=ROOT, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert list(temp.iterdir()) == []
