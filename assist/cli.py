"""Command line: `python -m assist [options] [analyze|phrases|audit|train] ...`.

Without a subcommand it starts the overlay. Each subcommand lives in `assist/commands/<name>.py`
with `register(subparsers)` and `run(args, paths) -> int`; none of them imports Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .paths import Paths

COMMANDS = ("analyze", "phrases", "audit", "train")


def build_parser() -> argparse.ArgumentParser:
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
    for name in COMMANDS:
        importlib.import_module(f"assist.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    paths = Paths.from_args(args.basedir, args.temp_basedir)
    if args.command is None:
        from .app import run_overlay  # imports Qt: only when the overlay is wanted

        return run_overlay(args, paths)
    module = importlib.import_module(f"assist.commands.{args.command}")
    return module.run(args, paths)


if __name__ == "__main__":
    sys.exit(main())
