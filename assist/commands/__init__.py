"""Subcommands of `python -m assist`; each module: register(subparsers), run(args, paths) -> int."""
