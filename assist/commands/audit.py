"""`python -m assist audit FILE... --out DIR [--workers N]`: an empathy report over exported conversations.

Reads JSON lines ({"id": ..., "messages": [{"role", "text", "time"}]}) and CSV (one message per
row: conversation id, role, text, time). Writes report.json, report.csv and report.html into DIR.
The report quotes chat text (the worst missed moments): it is the team lead's own local file.
Nothing about the chats goes to the log or the terminal, only counts and input problems.
"""

from __future__ import annotations

import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

PROBLEMS_SHOWN = 20


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit", help="report on past conversations: emotions, acknowledgment, canned and effective phrases",
        description="Audit exported conversations (JSON lines or CSV) and write report.json, report.csv "
                    "and report.html into --out.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="conversation exports (.jsonl or .csv)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the reports (created if needed)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="analysis processes (default: one per core)")
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary on the terminal")


def run(args, paths) -> int:
    from ..audit import run_audit

    missing = [f for f in args.files if not Path(f).is_file()]
    for name in missing:
        print(f"assist audit: {name}: no such file", file=sys.stderr)
    files = [f for f in args.files if f not in missing]
    if not files:
        return 2
    if args.workers is not None and args.workers < 1:
        print("assist audit: --workers must be at least 1", file=sys.stderr)
        return 2
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"assist audit: --out {out} is a file, not a folder", file=sys.stderr)
        return 2
    try:
        result = run_audit(files, out, workers=args.workers, show_progress=not args.quiet)
    except KeyboardInterrupt:
        print("assist audit: interrupted; no report written", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"assist audit: {exc}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print("assist audit: an analysis process stopped unexpectedly (out of memory?); "
              "try fewer --workers. No report written.", file=sys.stderr)
        return 1
    summary = result.summary
    problems = summary["problems"]
    for warning in result.warnings:
        print(f"assist audit: {warning}", file=sys.stderr)
    if not args.quiet:
        for problem in problems["listed"][:PROBLEMS_SHOWN]:
            where = f'{problem["file"]}:{problem["line"]}' if problem["line"] else problem["file"]
            print(f"  {where}: {problem['message']}", file=sys.stderr)
        if problems["count"] > PROBLEMS_SHOWN:
            print(f"  ... {problems['count'] - PROBLEMS_SHOWN} more input problem(s) in report.json", file=sys.stderr)
        rate = summary["acknowledgment_rate"]["overall"]
        rate_text = "n/a" if rate is None else f"{rate:.0%}"
        print(f"{summary['conversations']:,} conversations, {summary['messages']:,} messages in "
              f"{result.seconds:.1f} s; upset moments acknowledged: {rate_text} "
              f"({summary['acknowledged']:,} of {summary['answered_upset_moments']:,})")
        for kind in ("html", "json", "csv"):
            print(f"  {result.reports[kind]}")
    if summary["conversations"] == 0:
        print("assist audit: no conversations found in the input (see the problems above)", file=sys.stderr)
        return 1
    return 1 if missing else 0
