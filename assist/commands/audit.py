"""`python -m assist audit FILE... --out DIR [--workers N] [--timezone ZONE]`: an empathy report over
exported conversations.

Reads JSON lines ({"id": ..., "messages": [{"role", "text", "time", "agent"}]}) and CSV (one message per
row: conversation id, role, text, time, optional agent). Writes report.json, report.csv and report.html
into DIR, per agent when the input names agents.
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
                    "and report.html into --out. Agent ids in the input (\"agent\", \"agent_id\" or "
                    "\"agent_name\" on agent messages, \"agent\" or \"assignee\" on a conversation, or an "
                    "agent/assignee CSV column) break the report down per agent. In report.json only the "
                    "1,000 strongest missed moments keep their cue words, to keep big reports small.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="conversation exports (.jsonl or .csv)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the reports (created if needed)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="analysis processes (default: one per core)")
    parser.add_argument("--timezone", metavar="ZONE", default=None,
                        help="the team's time zone, which decides the calendar day of each conversation "
                             "(e.g. Europe/Berlin, America/New_York or UTC; default: this computer's zone)")
    parser.add_argument("--quiet", action="store_true", help="no progress and no summary on the terminal")


def run(args, paths) -> int:
    from ..audit import run_audit
    from ..audit.agents import UNKNOWN
    from ..audit.by_agent import OTHER
    from ..audit.days import Days, UnknownZone

    try:
        Days(args.timezone)  # before reading anything: a typo should not cost an hour's audit
    except UnknownZone as exc:
        print(f"assist audit: --timezone: {exc}", file=sys.stderr)
        return 2

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
        result = run_audit(files, out, workers=args.workers, show_progress=not args.quiet,
                           timezone_name=args.timezone)
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
        agents = summary["by_agent"]
        named = sum(1 for agent in agents if agent not in (UNKNOWN, OTHER))
        if agents:  # a count only: agent names stay in the report
            print(f"  per agent: {named:,} agent(s)" + ("; some replies name no agent" if UNKNOWN in agents else ""))
        else:
            print("  per agent: the input names no agents (see the README to add them)")
        for kind in ("html", "json", "csv"):
            print(f"  {result.reports[kind]}")
    if summary["conversations"] == 0:
        print("assist audit: no conversations found in the input (see the problems above)", file=sys.stderr)
        return 1
    return 1 if missing else 0
