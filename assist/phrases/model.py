"""A phrase, the problems found in phrase files, and the checks every entry passes at the point of entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..core.labels import EMOTIONS, PHRASE_INTENTS, TOPICS
from . import template

SOURCES = ("shipped", "team", "personal")
TONES = ("friendly", "formal", "neutral")
LENGTHS = ("short", "full")

MAX_TEXT = 2000  # characters: a chat reply, not a document
MAX_ABBREVIATION = 32
# Control characters (category Cc) other than newline and tab, line/paragraph separators, and
# lone surrogates: they garble chat boxes or are invisible to the agent.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}\Z")

# The fields an entry may have in a phrase file (schema version 1).
FIELDS = ("id", "text", "intent", "emotions", "topics", "tone", "length", "group", "abbreviation",
          "favourite", "note")


@dataclass(frozen=True, slots=True)
class Phrase:
    id: str
    text: str
    intent: str
    emotions: tuple[str, ...] = ()  # empty: fits any emotion
    topics: tuple[str, ...] = ()  # empty: fits any topic
    tone: str = "neutral"
    length: str = "short"
    group: str = ""  # variants of one idea share a group, so a chat never gets two of them
    abbreviation: str = ""
    favourite: bool = False
    hidden: bool = False
    source: str = "personal"
    note: str = ""  # for the agent or team lead; never inserted

    @property
    def variant_group(self) -> str:
        return self.group or self.id

    def to_entry(self) -> dict:
        """The entry as written to a phrase file (defaults left out, so files stay short)."""
        entry = {"id": self.id, "text": self.text, "intent": self.intent}
        if self.emotions:
            entry["emotions"] = list(self.emotions)
        if self.topics:
            entry["topics"] = list(self.topics)
        if self.tone != "neutral":
            entry["tone"] = self.tone
        if self.length != "short":
            entry["length"] = self.length
        for key in ("group", "abbreviation", "note"):
            if getattr(self, key):
                entry[key] = getattr(self, key)
        if self.favourite:
            entry["favourite"] = True
        return entry

    def to_dict(self) -> dict:
        """The JSON shape of `phrases list --json`."""
        return {"id": self.id, "text": self.text, "source": self.source, "intent": self.intent,
                "emotions": list(self.emotions), "topics": list(self.topics), "tone": self.tone,
                "length": self.length, "group": self.group, "abbreviation": self.abbreviation,
                "hidden": self.hidden, "favourite": self.favourite}

    def with_(self, **changes) -> "Phrase":
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a phrase file, said so the agent can find and fix it."""

    file: str
    message: str
    line: int | None = None
    entry: str | None = None  # the entry's id, or "entry N" when it has none
    fatal: bool = False  # the whole file was not used

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        what = f" [{self.entry}]" if self.entry else ""
        return f"{where}{what}: {self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "entry": self.entry, "message": self.message,
                "fatal": self.fatal}


class EntryError(ValueError):
    """An entry that cannot be used; the message says what to change."""


def check_text(text) -> str:
    """The text, or EntryError saying why it cannot be a phrase."""
    if not isinstance(text, str):
        raise EntryError(f"text must be a string, not {type(text).__name__}")
    if "\r" in text:  # Windows line endings (a spreadsheet cell, a pasted paragraph) are line breaks
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EntryError("text is empty")
    if len(text) > MAX_TEXT:
        raise EntryError(f"text is {len(text):,} characters long; the limit is {MAX_TEXT:,}")
    bad = _CONTROL.search(text)
    if bad:
        raise EntryError(f"text contains the control character U+{ord(bad.group()):04X} "
                         f"at position {bad.start() + 1}")
    try:
        template.check(text)
    except template.TemplateError as exc:
        raise EntryError(f"text: {exc}") from None
    return text.strip()


def _check_labels(entry: dict, key: str, allowed: tuple) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:  # "topics:" left empty in a hand-written file
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryError(f"{key} must be a list of names")
    bad = [v for v in value if v not in allowed]
    if bad:
        raise EntryError(f"{key}: unknown {', '.join(map(repr, bad))}; use {', '.join(allowed)}")
    return tuple(dict.fromkeys(value))


def _check_choice(entry: dict, key: str, allowed: tuple, default: str) -> str:
    value = entry.get(key, default)
    if value not in allowed:
        raise EntryError(f"{key} is {value!r}; use one of {', '.join(allowed)}")
    return value


def _check_str(entry: dict, key: str, limit: int) -> str:
    value = entry.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EntryError(f"{key} must be text")
    if len(value) > limit:
        raise EntryError(f"{key} is longer than {limit} characters")
    if _CONTROL.search(value) or "\n" in value or "\t" in value:
        raise EntryError(f"{key} contains a control character")
    return value.strip()


def check_id(value) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise EntryError(f"id {value!r} must be 1-80 letters, digits, '.', '_' or '-', starting with a letter or digit")
    return value


def phrase_from_entry(entry, source: str) -> tuple[Phrase, list[str]]:
    """A Phrase from a file entry, and warnings (unknown fields); EntryError if it cannot be used."""
    if not isinstance(entry, dict):
        raise EntryError(f"an entry must be a mapping with id, text and intent, not {type(entry).__name__}")
    if "id" not in entry:
        raise EntryError("the entry has no id")
    phrase_id = check_id(entry["id"])
    if "text" not in entry:
        raise EntryError("the entry has no text")
    text = check_text(entry["text"])
    if "intent" not in entry:
        raise EntryError(f"the entry has no intent; use one of {', '.join(PHRASE_INTENTS)}")
    intent = _check_choice(entry, "intent", PHRASE_INTENTS, "")
    abbreviation = _check_str(entry, "abbreviation", MAX_ABBREVIATION)
    if any(ch.isspace() for ch in abbreviation):
        raise EntryError("abbreviation cannot contain spaces")
    favourite = entry.get("favourite", False)
    if not isinstance(favourite, bool):
        raise EntryError("favourite must be true or false")
    phrase = Phrase(
        id=phrase_id, text=text, intent=intent,
        emotions=_check_labels(entry, "emotions", EMOTIONS),
        topics=_check_labels(entry, "topics", TOPICS),
        tone=_check_choice(entry, "tone", TONES, "neutral"),
        length=_check_choice(entry, "length", LENGTHS, "short"),
        group=_check_str(entry, "group", 80), abbreviation=abbreviation, favourite=favourite,
        note=_check_str(entry, "note", 500), source=source,
    )
    warnings = [f"unknown field {key!r} ignored" for key in entry if key not in FIELDS]
    return phrase, warnings
