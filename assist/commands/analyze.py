"""`python -m assist analyze` (not built yet)."""


def register(subparsers) -> None:
    subparsers.add_parser("analyze", help="(not built yet)")


def run(args, paths) -> int:
    print("assist analyze: not built yet")
    return 2
