"""`python -m assist analyze [FILE]`: JSON lines in, one JSON line out per input line, in order.

Input lines: {"customer": str, "draft": str, "history": [str, ...]}, every key optional but at least
one of customer/draft present. A line that is not valid JSON, or not such an object, is answered
with {"error": "..."} in its place and a message with its line number on standard error; the exit
status is then 1. Invalid UTF-8 is replaced (U+FFFD) with a warning, and the line is still analysed.
Lines are answered in batches (`nlp.pipe`) of what has already arrived, so a program that writes a
line and waits gets its answer at once. Chat text never reaches standard error: messages name the
line and the problem only.

Big inputs use every core: the first PARALLEL_AFTER lines are answered in this process (for fewer,
starting workers would cost more than it saves); the rest go in batches to worker processes, each
with its own analyzer (the audit's pool, `assist.audit.engine.ordered_map`), and come back in
order (`--workers N`; 1 keeps everything in this process). Either way the output is the same, byte
for byte, and so are the messages on standard error. Nothing is written anywhere but standard output
and standard error.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import sys
import threading
from dataclasses import dataclass, field
from functools import partial

BATCH_SIZE = 256
# Lines answered in this process before the rest go to worker processes, by how workers start:
# forked ones (Linux) in milliseconds, with the analyzer already loaded; spawned ones (Windows,
# macOS) first load their own, a second or two each, which pays off only over a few thousand lines.
PARALLEL_AFTER = {"fork": 500, "spawn": 5_000, "forkserver": 5_000}
# json.dumps with options builds a new encoder for every call; one made here writes the same bytes.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse JSON lines (customer, draft, history) and print one JSON result per line",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="JSON lines to read (default: standard input)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"lines per batch (default {BATCH_SIZE})")
    parser.add_argument("--no-suggestions", action="store_true", help="leave suggestions empty (faster)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="analysis processes for big inputs (default: one per core; 1: this process "
                             f"only). The first {PARALLEL_AFTER['fork']:,} lines ({PARALLEL_AFTER['spawn']:,} "
                             "on Windows and macOS) are always answered in this process")


def parse_line(raw: bytes, lineno: int, warn) -> dict:
    """The item of one input line, or raises ValueError with a message fit for the error output."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        warn(f"line {lineno}: invalid UTF-8 replaced by U+FFFD")
    text = text.strip().lstrip("\ufeff")
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("not valid JSON (nested too deeply)") from None
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, got {type(item).__name__}")
    if "customer" not in item and "draft" not in item:
        raise ValueError('needs "customer" or "draft"')
    for key in ("customer", "draft"):
        if key in item and item[key] is not None and not isinstance(item[key], str):
            raise ValueError(f'"{key}" must be a string')
    history = item.get("history") or []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise ValueError('"history" must be a list of strings')
    return {"customer": item.get("customer") or "", "draft": item.get("draft") or "", "history": history}


def read_lines(raw):
    """The lines of a raw binary stream (`file.raw`), each with its newline (the last may have none).

    Read from the unbuffered stream rather than through `readline`: the reader thread then never
    holds a buffered file's lock, which a forked worker would inherit locked (it closes its copy of
    standard input as it starts, and would wait for that lock forever)."""
    partial_line: list[bytes] = []
    while data := raw.read(1 << 16):
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            partial_line.append(data[start : end + 1])
            yield b"".join(partial_line)
            partial_line = []
            start = end + 1
        if start < len(data):
            partial_line.append(data[start:])
    if partial_line:
        yield b"".join(partial_line)


class Batches:
    """Numbered lists of input lines, (first line number, lines): as many lines as are already
    there, up to `batch_size`, never waiting for more.

    A reader thread fills a bounded queue, so a whole file goes through in full batches while a
    program that writes one line and waits for its answer gets it at once (no deadlock on a pipe).
    """

    def __init__(self, raw, batch_size: int):
        self.batch_size = batch_size
        self._lines: queue.Queue = queue.Queue(maxsize=4 * batch_size)
        self._done = object()
        threading.Thread(target=self._read, args=(raw,), name="analyze-reader", daemon=True).start()

    def _read(self, raw) -> None:
        try:
            for line in read_lines(raw):
                self._lines.put(line)
        finally:
            self._lines.put(self._done)

    def idle(self) -> bool:
        """No line is ready: whoever sends the input may be waiting for the answers so far."""
        return self._lines.empty()

    def __iter__(self):
        lines, done = self._lines, self._done
        lineno = 1
        while True:
            first = lines.get()
            if first is done:
                return
            chunk = [first]
            while len(chunk) < self.batch_size:
                try:
                    line = lines.get_nowait()
                except queue.Empty:
                    break
                if line is done:
                    yield lineno, chunk
                    return
                chunk.append(line)
            yield lineno, chunk
            lineno += len(chunk)


@dataclass
class Answers:
    """One batch's output lines (bytes, in order), its messages for standard error and its failures."""

    out: bytes
    messages: list[str] = field(default_factory=list)
    failed: int = 0


class Answerer:
    """Turns numbered batches of input lines into `Answers`: the analyzer and the phrase library,
    loaded once per process (this one, or each worker's)."""

    def __init__(self, paths, suggestions: bool = True, batch_size: int = BATCH_SIZE):
        self.paths = paths
        self.suggestions = suggestions
        self.batch_size = batch_size
        self.analyzer = None
        self.library = None

    def load(self) -> "Answerer":
        from ..core import suggest as suggester
        from ..core.analyzer import Analyzer

        if self.analyzer is None:
            self.analyzer = Analyzer().load()
            self.library = suggester.load_library(self.paths) if self.suggestions else None
        return self

    @property
    def warnings(self) -> list[str]:
        return self.analyzer.warnings if self.analyzer is not None else []

    def answer(self, first_lineno: int, lines: list[bytes]) -> Answers:
        from ..core import suggest as suggester
        from ..core.session import Session

        answers = Answers(b"")
        entries = []  # (lineno, item or error message)
        for lineno, raw in enumerate(lines, first_lineno):
            if not raw.strip():
                problem = "empty line"
            else:
                try:
                    entries.append((lineno, parse_line(raw, lineno, answers.messages.append)))
                    continue
                except ValueError as exc:
                    problem = str(exc)
            entries.append((lineno, problem))
            answers.failed += 1
            answers.messages.append(f"line {lineno}: {problem}")
        items = [item for _, item in entries if isinstance(item, dict)]
        analyses = iter(self.analyzer.analyze_many(items, batch_size=self.batch_size))
        out = []
        for lineno, item in entries:
            if isinstance(item, str):
                out.append(json.dumps({"error": f"line {lineno}: {item}"}) + "\n")
                continue
            analysis = next(analyses)
            if self.library is not None:
                session = Session(customer=item["customer"], draft=item["draft"])
                session.history.extend(item["history"])
                analysis = analysis.with_suggestions(suggester.suggest(analysis, session, self.library))
            out.append(_ENCODE(analysis.to_dict()) + "\n")
        answers.out = "".join(out).encode("utf-8")
        return answers


def answer_batch(batch: tuple[int, list[bytes]], answerer: Answerer) -> Answers:
    """The work of one batch in a worker process (module level: it travels to the workers by name)."""
    return answerer.answer(*batch)


def in_workers(batches, idle, answerer: Answerer, workers: int | None):
    """`Answers` for the rest of the batches from `workers` processes (default: one per core), in order.
    Forked workers inherit this process's loaded `answerer`; spawned ones load their own."""
    from ..audit.engine import ordered_map  # only big inputs pay for importing the audit package

    factory = partial(Answerer, answerer.paths, answerer.suggestions, answerer.batch_size)
    return ordered_map(answer_batch, batches, workers=workers, factory=factory, state=answerer, idle=idle)


def run(args, paths) -> int:
    def warn(message: str) -> None:
        print(f"assist analyze: {message}", file=sys.stderr, flush=True)

    if args.workers is not None and args.workers < 1:
        warn("--workers must be at least 1")
        return 2
    try:
        source = open(args.file, "rb") if args.file else sys.stdin.buffer
    except OSError as exc:
        warn(f"cannot read {args.file}: {exc.strerror}")
        return 2
    batch_size = max(1, args.batch_size)
    answerer = Answerer(paths, not args.no_suggestions, batch_size).load()
    for message in answerer.warnings:
        warn(message)
    out = sys.stdout.buffer  # UTF-8 whatever the console code page
    failed = 0

    def emit(answers: Answers) -> None:
        nonlocal failed
        out.write(answers.out)
        out.flush()
        for message in answers.messages:
            warn(message)
        failed += answers.failed

    start_method = multiprocessing.get_context().get_start_method()  # what the workers' pool will use
    parallel_after = PARALLEL_AFTER.get(start_method, max(PARALLEL_AFTER.values()))
    with source:
        reader = Batches(source.raw, batch_size)
        batches = iter(reader)
        answered = 0
        for batch in batches:
            emit(answerer.answer(*batch))
            answered += len(batch[1])
            if answered >= parallel_after and args.workers != 1:
                # A big input: the rest goes to worker processes and comes back in order.
                from concurrent.futures.process import BrokenProcessPool

                try:
                    for answers in in_workers(batches, reader.idle, answerer, args.workers):
                        emit(answers)
                except BrokenProcessPool:
                    warn("an analysis process stopped unexpectedly (out of memory?): the lines after the "
                         "last answer were not analysed; try --workers 1")
                    return 1
    if failed:
        warn(f"{failed} line(s) failed")
    return 1 if failed else 0
