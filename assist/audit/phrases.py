"""Agent sentences as comparable keys: the unit for "sounds canned" and "calmed the customer"."""

from __future__ import annotations

import hashlib
import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_EDGE_PUNCTUATION = " \t.,;:!?-–—\"'“”‘’()"

MIN_WORDS = 3  # "Thanks!" and "Sure." are fine to repeat; canned-sounding lines are longer


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]


def normalize(sentence: str) -> str:
    """Case, spacing, numbers and edge punctuation folded away, so near-identical lines compare equal."""
    folded = _SPACES.sub(" ", sentence.lower()).strip(_EDGE_PUNCTUATION)
    return _DIGITS.sub("#", folded)


def key(normalized: str) -> str:
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=8).hexdigest()


def countable(normalized: str) -> bool:
    return len(normalized.split()) >= MIN_WORDS


def containing(text: str, start: int, end: int) -> str | None:
    """The sentence of `text` that holds the span start..end, or None."""
    for match in re.finditer(r"[^.!?\n]+[.!?]*", text):
        if match.start() <= start < match.end() or (start <= match.start() < end):
            return match.group().strip() or None
    return None
