"""`python -m assist phrases` (not built yet)."""


def register(subparsers) -> None:
    subparsers.add_parser("phrases", help="(not built yet)")


def run(args, paths) -> int:
    print("assist phrases: not built yet")
    return 2
