"""`python -m assist audit` (not built yet)."""


def register(subparsers) -> None:
    subparsers.add_parser("audit", help="(not built yet)")


def run(args, paths) -> int:
    print("assist audit: not built yet")
    return 2
