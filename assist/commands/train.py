"""`python -m assist train emotion`: re-create (or adapt) the shipped emotion model.

Needs the `train` extra (scikit-learn). Reads GoEmotions from ../shared/data seen from the
repository root unless --data says otherwise, and writes weights, meta.json and MODEL_CARD.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The checkout's root: assist/commands/train.py -> two levels up from the package.
_REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    return (_REPO_ROOT / ".." / "shared" / "data").resolve()


def register(subparsers) -> None:
    parser = subparsers.add_parser("train", help="train the models assist ships (needs scikit-learn)")
    what = parser.add_subparsers(dest="target", metavar="TARGET", required=True)
    emotion = what.add_parser("emotion", help="train the emotion classifier on GoEmotions (+ your own lines)")
    emotion.add_argument("--data", metavar="DIR", type=Path, default=None,
                         help=f"folder holding goemotions/ (default: {default_data_dir()})")
    emotion.add_argument("--extra", metavar="FILE.jsonl", type=Path, action="append", default=[],
                         help='your own labelled lines {"text": ..., "label": ...}; repeatable')
    emotion.add_argument("--extra-weight", metavar="W", type=float, default=3.0,
                         help="how many GoEmotions rows one of your lines counts as (default: 3)")
    emotion.add_argument("--out", metavar="DIR", type=Path, default=None,
                         help="where to write the model (default: the shipped resources/model)")
    emotion.add_argument("--seed", metavar="N", type=int, default=0, help="random seed (default: 0)")
    emotion.add_argument("--no-own-examples", action="store_true",
                         help="leave out assist's own support-chat examples (resources/training/)")


def run(args, paths) -> int:
    try:
        from ..training.emotion import TrainConfig, train
    except ImportError as exc:
        print(f"assist train: needs scikit-learn (pip install 'assist[train]'): {exc}", file=sys.stderr)
        return 2
    if args.out is None:
        from ..resources import model_dir

        args.out = model_dir()
    for path in args.extra:
        if not path.is_file():
            print(f"assist train: --extra file not found: {path}", file=sys.stderr)
            return 2
    if args.extra_weight <= 0:
        print("assist train: --extra-weight must be positive", file=sys.stderr)
        return 2
    config = TrainConfig(data_dir=args.data or default_data_dir(), out_dir=args.out, extra=list(args.extra),
                         extra_weight=args.extra_weight, seed=args.seed)
    if args.no_own_examples:
        config.own_examples = None
    try:
        result = train(config, log=lambda line: print(line, file=sys.stderr))
    except FileNotFoundError as exc:
        print(f"assist train: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the emotion model to {args.out}")
    return 1 if result.problems else 0
