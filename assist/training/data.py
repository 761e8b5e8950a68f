"""Reading the training data: GoEmotions grouped onto MODEL_GROUPS, and a team's own labelled lines.

Grouping (shared/data/README.md): each GoEmotions label maps to one of the seven groups or to
none. A row is kept when its mapped labels land in exactly one group. Labels outside the
grouping (disapproval, curiosity, desire, embarrassment, realization, surprise) are ignored
when a row also carries a mapped label: "anger, disapproval" is an anger_frustration row,
because the unmapped label names no group and so cannot contradict it. Rows that are only
unmapped, or that land in two or more groups, are left out of the single-label rows; the
latter are returned separately so training may use them as split (fractional) examples.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core.labels import EMOTIONS, MODEL_GROUPS

GOEMOTIONS_GROUPS = {
    "anger_frustration": ("anger", "annoyance", "disgust"),
    "disappointment": ("disappointment",),
    "confusion": ("confusion",),
    "anxiety": ("fear", "nervousness"),
    "sadness": ("sadness", "grief", "remorse"),
    "positive": ("gratitude", "admiration", "amusement", "approval", "caring", "excitement", "joy", "love",
                 "optimism", "pride", "relief"),
    "neutral": ("neutral",),
}
LABEL_TO_GROUP = {label: group for group, labels in GOEMOTIONS_GROUPS.items() for label in labels}

# Our own EMOTIONS fold into the groups the classifier predicts; the rule components split them again.
EMOTION_TO_GROUP = {
    "anger": "anger_frustration",
    "frustration": "anger_frustration",
    "urgency": "anger_frustration",
    **{g: g for g in MODEL_GROUPS},
}
assert set(EMOTIONS) <= set(EMOTION_TO_GROUP)

NEGATIVE_GROUPS = frozenset(MODEL_GROUPS) - {"positive", "neutral"}
SPLITS = ("train", "dev", "test")


@dataclass
class Split:
    texts: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)  # index into MODEL_GROUPS
    # Rows whose labels land in several groups: (text, group indices).
    mixed: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)
    skipped_unmapped: int = 0


def goemotions_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "goemotions"


def load_goemotions(data_dir: Path, split: str) -> Split:
    """One GoEmotions split, grouped as the module docstring says."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}, expected one of {SPLITS}")
    root = goemotions_dir(data_dir)
    names_file, tsv = root / "emotions.txt", root / f"{split}.tsv"
    for needed in (names_file, tsv):
        if not needed.is_file():
            raise FileNotFoundError(f"GoEmotions file not found: {needed} (pass --data DIR pointing at shared/data)")
    names = names_file.read_text(encoding="utf-8").split()
    index = {g: i for i, g in enumerate(MODEL_GROUPS)}
    out = Split()
    with tsv.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text, ids = row[0], row[1]
            groups = {LABEL_TO_GROUP.get(names[int(i)]) for i in ids.split(",")} - {None}
            if not groups:
                out.skipped_unmapped += 1
            elif len(groups) == 1:
                out.texts.append(text)
                out.groups.append(index[groups.pop()])
            else:
                out.mixed.append((text, tuple(sorted(index[g] for g in groups))))
    return out


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def load_extra(path: Path) -> tuple[list[tuple[str, int]], list[Problem]]:
    """A team's labelled lines `{"text": ..., "label": ...}`: (text, group index) rows and the bad lines.

    `label` is one of EMOTIONS or MODEL_GROUPS. A bad line is reported by number and skipped; the
    text itself is never echoed, it may be a real customer's words.
    """
    path = Path(path)
    index = {g: i for i, g in enumerate(MODEL_GROUPS)}
    rows: list[tuple[str, int]] = []
    problems: list[Problem] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return rows, [Problem(path, 0, f"cannot read the file: {exc.strerror or exc}")]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(path, number, "not valid UTF-8"))
            continue
        except json.JSONDecodeError as exc:
            problems.append(Problem(path, number, f"not valid JSON ({exc.msg})"))
            continue
        if not isinstance(item, dict):
            problems.append(Problem(path, number, 'expected an object {"text": ..., "label": ...}'))
            continue
        text, label = item.get("text"), item.get("label")
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(path, number, '"text" must be a non-empty string'))
            continue
        group = EMOTION_TO_GROUP.get(label) if isinstance(label, str) else None
        if group is None:
            allowed = ", ".join(dict.fromkeys((*EMOTIONS, *MODEL_GROUPS)))
            problems.append(Problem(path, number, f'"label" must be one of: {allowed}'))
            continue
        rows.append((text, index[group]))
    return rows, problems
