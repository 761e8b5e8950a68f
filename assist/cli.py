"""Command line: `python -m assist [options] [analyze|phrases|audit|train] ...`.

Without a subcommand it starts the overlay. Each subcommand lives in `assist/commands/<name>.py`
with `register(subparsers)` and `run(args, paths) -> int`; none of them imports Qt.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import shutil
import sys

from . import __version__
from .paths import Paths

# name -> one-line summary. A command's module (and what it imports) loads only when the command
# line names it, so starting the overlay pays for none of them.
COMMANDS = {
    "analyze": "analyse JSON lines of customer messages and drafts",
    "phrases": "list, add, edit, import and export your phrases",
    "audit": "report on past conversations: acknowledgment of upset customers",
    "train": "train the emotion model from the shared data (and your own examples)",
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assist",
        description="Desktop companion for live-chat support agents. Without a command, starts the overlay.",
    )
    parser.add_argument("--version", action="version", version=f"assist {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--basedir", metavar="DIR", help="keep every user file (phrases, settings, logs) under DIR")
    where.add_argument("--temp-basedir", action="store_true", help="use a fresh temporary folder for user files")
    parser.add_argument("--json-logging", action="store_true", help="write machine-readable log lines to stderr")
    parser.add_argument("--debug", action="store_true", help="log more detail (never chat content)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    words = set(sys.argv[1:] if argv is None else argv)
    for name, summary in COMMANDS.items():
        if name in words:
            importlib.import_module(f"assist.commands.{name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=summary)  # for --help; not chosen on this command line
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    paths = Paths.from_args(args.basedir, args.temp_basedir)
    if args.temp_basedir:
        # A throw-away folder is the caller's promise that nothing in it matters after this run.
        atexit.register(shutil.rmtree, paths.config.parent, ignore_errors=True)
    if args.command is None:
        from .app import run_overlay  # imports Qt: only when the overlay is wanted

        return run_overlay(args, paths)
    module = importlib.import_module(f"assist.commands.{args.command}")
    return module.run(args, paths)


if __name__ == "__main__":
    sys.exit(main())
