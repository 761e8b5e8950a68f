"""The only code that knows where the shipped `resources/` and `phrasebank/` folders are.

They sit at the top of a checkout, inside the package as `assist/_shipped/` in an installed
wheel, and under `sys._MEIPASS` in a PyInstaller bundle.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _root() -> Path:
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen))
    candidates += [_PACKAGE / "_shipped", _PACKAGE.parent]
    for root in candidates:
        if (root / "resources").is_dir():
            return root
    raise FileNotFoundError(
        "assist's shipped resources are missing (looked in: " + ", ".join(map(str, candidates)) + ")"
    )


def resources_dir() -> Path:
    return _root() / "resources"


def phrasebank_dir() -> Path:
    return _root() / "phrasebank"


def model_dir() -> Path:
    """The trained emotion model the app ships."""
    return resources_dir() / "model"


def schema_dir() -> Path:
    return resources_dir() / "schemas"


def icons_dir() -> Path:
    return resources_dir() / "icons"
