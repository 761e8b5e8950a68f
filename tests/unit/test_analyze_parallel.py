"""`python -m assist analyze` on several processes: the same bytes out, the same errors, in order.

The command answers its first PARALLEL_AFTER lines itself and hands the rest to worker processes;
these tests lower that threshold (in a `python -c` wrapper) so a small input crosses it.
"""

import io
import json
import multiprocessing
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from assist.commands.analyze import Answerer, answer_batch, read_lines

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "support_chat.jsonl"


def analyze(args, stdin: bytes = b"", parallel_after: int | None = None, **options):
    """The command in a fresh interpreter; `parallel_after` lowers the threshold for workers."""
    code = "import sys; from assist.cli import main; sys.exit(main(sys.argv[1:]))"
    if parallel_after is not None:
        code = (f"import assist.commands.analyze as a; a.PARALLEL_AFTER = dict.fromkeys(a.PARALLEL_AFTER, "
                f"{parallel_after}); " + code)
    return subprocess.run([sys.executable, "-c", code, "--temp-basedir", "analyze", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=300, **options)


def mixed_input() -> bytes:
    """Support-chat lines with drafts and history, and bad lines of every kind among them."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()][:60]
    lines = []
    for i, row in enumerate(rows):
        item = {k: row[k] for k in ("customer", "draft") if row.get(k)}
        if i % 5 == 0:
            item["history"] = [r["customer"] for r in rows[max(0, i - 3):i] if r.get("customer")]
        lines.append(json.dumps(item, ensure_ascii=False).encode("utf-8"))
        if i % 9 == 4:
            lines.append(b"not json")
        if i % 13 == 6:
            lines.append(b'{"history": ["no customer, no draft"]}')
        if i % 17 == 8:
            lines.append(b"")
        if i % 19 == 10:
            lines.append(b'{"customer": "caf\xe9 is cold and I am angry"}')  # invalid UTF-8: a warning only
    lines.append(b"[1, 2]")
    lines.append(b'{"customer": "Still no refund!!"}')  # the last line without a newline
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyze") / "in.jsonl"
    path.write_bytes(mixed_input())
    proc = analyze(["--workers", "1", "--batch-size", "4", str(path)])
    assert proc.returncode == 1, proc.stderr
    return path, proc


def test_workers_give_the_same_bytes_errors_and_exit_status_as_one_process(single):
    path, one = single
    two = analyze(["--workers", "2", "--batch-size", "4", str(path)], parallel_after=8)
    assert two.returncode == 1
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    out = [json.loads(line) for line in two.stdout.decode("utf-8").splitlines()]
    assert len(out) == mixed_input().count(b"\n") + 1
    errors = [i + 1 for i, result in enumerate(out) if "error" in result]
    assert errors and all(out[n - 1]["error"].startswith(f"line {n}:") for n in errors)
    err = two.stderr.decode("utf-8")
    assert all(f"line {n}:" in err for n in errors)
    assert f"{len(errors)} line(s) failed" in err
    assert "angry" not in err and "refund" not in err  # chat text never reaches the error stream


def test_workers_read_standard_input_too(single):
    _, one = single
    piped = analyze(["--workers", "2", "--batch-size", "4"], stdin=mixed_input(), parallel_after=1)
    assert piped.returncode == 1
    assert piped.stdout == one.stdout and piped.stderr == one.stderr


def test_a_bad_line_among_the_workers_lines_fails_the_run():
    good = b'{"customer": "Where is my parcel?"}\n'
    proc = analyze(["--workers", "2", "--batch-size", "2"], stdin=good * 9 + b"{oops\n" + good * 4, parallel_after=2)
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(out) == 14 and out[9] == {"error": "line 10: not valid JSON (Expecting property name enclosed "
                                                  "in double quotes at column 2)"}
    assert all(result["topics"] == ["delivery"] for i, result in enumerate(out) if i != 9)
    assert b"line 10:" in proc.stderr and b"1 line(s) failed" in proc.stderr


def test_each_line_is_answered_as_it_comes_with_workers_too():
    """Past the threshold, a program that writes one line and waits still gets its answer at once."""
    code = ("import sys; import assist.commands.analyze as a; a.PARALLEL_AFTER = dict.fromkeys(a.PARALLEL_AFTER, 1); "
            "from assist.cli import main; sys.exit(main(sys.argv[1:]))")
    proc = subprocess.Popen([sys.executable, "-c", code, "--temp-basedir", "analyze", "--workers", "2"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for text, emotion in [("I am furious!", "anger"), ("Thanks so much, all good now!", "positive")] * 2:
            proc.stdin.write((json.dumps({"customer": text}) + "\n").encode())
            proc.stdin.flush()
            assert json.loads(proc.stdout.readline())["emotion"] == emotion  # would hang if answers waited
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.skipif(multiprocessing.get_all_start_methods()[0] != "fork", reason="the fault is planted by forking")
def test_a_worker_that_dies_is_reported_not_waited_for():
    code = ("import os, sys; import assist.commands.analyze as a; "
            "a.PARALLEL_AFTER = dict.fromkeys(a.PARALLEL_AFTER, 1); main_pid = os.getpid(); answer = a.Answerer.answer; "
            "a.Answerer.answer = lambda self, *batch: answer(self, *batch) if os.getpid() == main_pid else os._exit(3); "
            "from assist.cli import main; sys.exit(main(sys.argv[1:]))")
    stdin = b'{"customer": "Where is my parcel?"}\n' * 3
    proc = subprocess.run([sys.executable, "-c", code, "--temp-basedir", "analyze", "--workers", "2",
                           "--batch-size", "1"], input=stdin, capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 1  # the line answered before the workers took over
    assert b"stopped unexpectedly" in proc.stderr and b"Traceback" not in proc.stderr


def test_spawned_workers_as_on_windows_and_macos_give_the_same_answers(tmp_path):
    from assist.audit.engine import ordered_map
    from assist.paths import Paths

    paths = Paths.for_basedir(tmp_path)
    lines = mixed_input().split(b"\n")
    batches = [(n + 1, lines[n:n + 7]) for n in range(0, len(lines), 7)]
    here = Answerer(paths).load()
    expected = [here.answer(*batch) for batch in batches]
    spawned = list(ordered_map(answer_batch, batches, workers=2, factory=partial(Answerer, paths),
                               start_method="spawn"))
    assert spawned == expected


class Trickle(io.RawIOBase):
    """A raw stream that hands out its bytes a few at a time, as a pipe may."""

    def __init__(self, data: bytes, step: int):
        self.data, self.step = data, step

    def readable(self):
        return True

    def read(self, size=-1):
        piece, self.data = self.data[:self.step], self.data[self.step:]
        return piece


@pytest.mark.parametrize("step", [1, 3, 1 << 16])
def test_lines_are_read_whole_however_the_bytes_arrive(step):
    data = b'{"customer": "a"}\r\n\n' + b"x" * 100_000 + b"\nlast line without newline"
    assert list(read_lines(Trickle(data, step))) == [b'{"customer": "a"}\r\n', b"\n", b"x" * 100_000 + b"\n",
                                                     b"last line without newline"]
    assert list(read_lines(Trickle(b"", step))) == []
    assert list(read_lines(Trickle(b"one\n", step))) == [b"one\n"]
