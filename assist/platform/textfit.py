"""Fitting a phrase to the text around the cursor: a space where words would touch, a capital at
the start of a sentence, lower case in the middle of one ("I" stays "I")."""

from __future__ import annotations

SENTENCE_END = ".!?…"
NO_SPACE_BEFORE = ",.;:!?)]}…%"
PRONOUN_I = ("I", "I'm", "I’m", "I'll", "I’ll", "I've", "I’ve", "I'd", "I’d")


def fit_phrase(text: str, before: str | None, after: str | None = None) -> str:
    """`before`/`after`: the text left and right of the cursor (None: unknown, keep the phrase)."""
    if not text or before is None:
        return text
    tail = before.rstrip(" \t\u00a0")
    at_sentence_start = not tail or tail.endswith("\n") or tail[-1] in SENTENCE_END
    if at_sentence_start:
        text = _capitalise(text)
    else:
        text = _decapitalise(text)
    if before and not before[-1].isspace() and text[0] not in NO_SPACE_BEFORE and not text[0].isspace():
        text = " " + text
    elif before and before[-1].isspace():
        text = text.lstrip(" \t")
    if after and (after[0].isalnum()) and not text[-1].isspace():
        text = text + " "
    return text


def _capitalise(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1:]
        if not (char.isspace() or char in "\"'“‘¿¡("):
            return text
    return text


def _decapitalise(text: str) -> str:
    stripped = text.lstrip()
    first_word = stripped.split(" ", 1)[0].rstrip(",.;:!?")
    if first_word in PRONOUN_I or len(first_word) < 2:
        return text
    # only an ordinary capitalised word (not "AI", "McDonald", a name we cannot know about: leave
    # names alone by only touching words that are all lower case after the first letter)
    if first_word[0].isupper() and first_word[1:].islower() and first_word.isalpha():
        index = len(text) - len(stripped)
        return text[:index] + text[index].lower() + text[index + 1:]
    return text
