"""`python -m assist train` (not built yet)."""


def register(subparsers) -> None:
    subparsers.add_parser("train", help="(not built yet)")


def run(args, paths) -> int:
    print("assist train: not built yet")
    return 2
