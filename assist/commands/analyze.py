"""`python -m assist analyze [FILE]`: JSON lines in, one JSON line out per input line, in order.

Input lines: {"customer": str, "draft": str, "history": [str, ...]}, every key optional but at least
one of customer/draft present. A line that is not valid JSON, or not such an object, is answered
with {"error": "..."} in its place and a message with its line number on standard error; the exit
status is then 1. Invalid UTF-8 is replaced (U+FFFD) with a warning, and the line is still analysed.
Lines are answered in batches (`nlp.pipe`) of what has already arrived, so a program that writes a
line and waits gets its answer at once. Chat text never reaches standard error: messages name the
line and the problem only.
"""

from __future__ import annotations

import json
import queue
import sys
import threading

BATCH_SIZE = 256


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse JSON lines (customer, draft, history) and print one JSON result per line",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="JSON lines to read (default: standard input)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"lines per batch (default {BATCH_SIZE})")
    parser.add_argument("--no-suggestions", action="store_true", help="leave suggestions empty (faster)")


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


def batches(source, batch_size: int):
    """Lists of input lines: as many as are already there, up to `batch_size`, never waiting for more.

    A reader thread fills a bounded queue, so a whole file goes through in full batches while a
    program that writes one line and waits for its answer gets it at once (no deadlock on a pipe).
    """
    lines: queue.Queue = queue.Queue(maxsize=4 * batch_size)
    done = object()

    def read() -> None:
        try:
            for line in iter(source.readline, b""):
                lines.put(line)
        finally:
            lines.put(done)

    threading.Thread(target=read, name="analyze-reader", daemon=True).start()
    while True:
        first = lines.get()
        if first is done:
            return
        chunk = [first]
        while len(chunk) < batch_size:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                break
            if line is done:
                yield chunk
                return
            chunk.append(line)
        yield chunk


def run(args, paths) -> int:
    from ..core.analyzer import Analyzer
    from ..core.session import Session
    from ..core import suggest as suggester

    def warn(message: str) -> None:
        print(f"assist analyze: {message}", file=sys.stderr, flush=True)

    try:
        source = open(args.file, "rb") if args.file else sys.stdin.buffer
    except OSError as exc:
        warn(f"cannot read {args.file}: {exc.strerror}")
        return 2
    analyzer = Analyzer().load()
    for message in analyzer.warnings:
        warn(message)
    library = None if args.no_suggestions else suggester.load_library(paths)
    batch_size = max(1, args.batch_size)
    out = sys.stdout.buffer  # UTF-8 whatever the console code page
    failed = 0
    lineno = 0
    with source:
        for chunk in batches(source, batch_size):
            entries = []  # (lineno, item or error message)
            for raw in chunk:
                lineno += 1
                if not raw.strip():
                    entries.append((lineno, "empty line"))
                    continue
                try:
                    entries.append((lineno, parse_line(raw, lineno, warn)))
                except ValueError as exc:
                    entries.append((lineno, str(exc)))
            items = [item for _, item in entries if isinstance(item, dict)]
            analyses = iter(analyzer.analyze_many(items, batch_size=batch_size))
            for number, item in entries:
                if isinstance(item, str):
                    failed += 1
                    warn(f"line {number}: {item}")
                    out.write((json.dumps({"error": f"line {number}: {item}"}) + "\n").encode("utf-8"))
                    continue
                analysis = next(analyses)
                if library is not None:
                    session = Session(customer=item["customer"], draft=item["draft"])
                    session.history.extend(item["history"])
                    analysis = analysis.with_suggestions(suggester.suggest(analysis, session, library))
                out.write((json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n").encode("utf-8"))
            out.flush()
    if failed:
        warn(f"{failed} line(s) failed")
    return 1 if failed else 0
