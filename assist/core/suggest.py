"""Analysis + phrases -> ranked, explained suggestions.

Placeholder until the phrasebank lands (issue 3): the contract is the signature.
"""

from __future__ import annotations

from .session import Session
from .types import Analysis, Suggestion


def suggest(analysis: Analysis, session: Session, library=None, *, limit: int = 5,
            include_acknowledged: bool = False) -> list[Suggestion]:
    return []


def load_library(paths):
    """The agent's merged phrase library (shipped + team + personal); placeholder until issue 3."""
    return None
