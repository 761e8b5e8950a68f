"""Phrase templates: placeholders filled from what is known, degrading gracefully when not.

Grammar (kept small so agents can write it by hand):
  {name}            replaced by the value; when unknown it is dropped and the punctuation tidied
                    ("Thanks, {customer_name}." -> "Thanks.")
  {name|fallback}   the fallback text when the value is unknown ("your {product|order}")
  [ ... ]           an optional segment: dropped whole when a placeholder inside it (without a
                    fallback) is unknown ("[Hi {customer_name}, ]thanks for waiting.")
                    Brackets with no placeholder inside are ordinary text.
  {{ and }}         literal braces
Whatever happens, a raw "{name}" never reaches the customer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# The placeholders a phrase may use; anything else is refused at the point of entry.
KNOWN_PLACEHOLDERS = {
    "customer_name": "the customer's first name",
    "agent_name": "your name (setting phrases.agent_name)",
    "order_id": "the order number",
    "product": "the product's name",
    "company": "your company's name",
    "ticket_id": "the ticket or case number",
}

_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str
    fallback: str | None  # None: drop when unknown


# A parsed template is a tuple of parts: str (literal), _Slot, or tuple (an optional segment of
# str/_Slot parts).


_TOKEN = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}\[\]]")


@lru_cache(maxsize=8192)
def parse(text: str) -> tuple:
    """Parse a template; TemplateError names the first problem (unknown placeholder, stray brace)."""
    if "{" not in text and "}" not in text:
        return (text,)  # the common case: plain text, nothing to fill
    parts: list = []
    segment: list | None = None  # parts of the open optional segment
    position = 0

    def add(item) -> None:
        target = segment if segment is not None else parts
        if isinstance(item, str) and target and isinstance(target[-1], str):
            target[-1] += item
        elif item != "":
            target.append(item)

    for match in _TOKEN.finditer(text):
        add(text[position:match.start()])
        position = match.end()
        token = match.group()
        if token == "{{":
            add("{")
        elif token == "}}":
            add("}")
        elif token == "{":
            raise TemplateError(f"an opening brace at character {match.start() + 1} is never closed "
                                "(write {{ for a literal brace)")
        elif token == "}":
            raise TemplateError(f"a closing brace at character {match.start() + 1} has no opening brace "
                                "(write }} for a literal brace)")
        elif token == "[":
            if segment is not None:  # no nesting: an inner bracket is ordinary text
                add("[")
            else:
                segment = []
        elif token == "]":
            if segment is None:
                add("]")
                continue
            inner, segment = segment, None
            if any(isinstance(p, _Slot) for p in inner):
                parts.append(tuple(inner))
            else:  # no placeholder inside: the brackets are ordinary text
                for item in ("[", *inner, "]"):
                    add(item)
        else:
            body = token[1:-1]
            name, sep, fallback = body.partition("|")
            name = name.strip()
            if not _NAME.match(name):
                raise TemplateError(f"{token} is not a placeholder (write {{{{ for a literal brace)")
            if name not in KNOWN_PLACEHOLDERS:
                raise TemplateError(f"unknown placeholder {{{name}}}; known: "
                                    + ", ".join("{" + k + "}" for k in KNOWN_PLACEHOLDERS))
            if "[" in fallback or "]" in fallback:
                raise TemplateError(f"the fallback of {{{name}}} cannot hold brackets")
            add(_Slot(name, fallback if sep else None))
    add(text[position:])
    if segment is not None:  # an unclosed "[": ordinary text
        inner, segment = segment, None
        for item in ("[", *inner):
            add(item)
    return tuple(parts)


def placeholders(text: str) -> set[str]:
    """Names of the placeholders a template uses (TemplateError when it is malformed)."""
    names = set()
    for part in parse(text):
        for item in (part if isinstance(part, tuple) else (part,)):
            if isinstance(item, _Slot):
                names.add(item.name)
    return names


def check(text: str) -> None:
    """TemplateError if the template cannot be filled."""
    parse(text)


_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.!?;:)])")
_DOUBLE_COMMA = re.compile(r",\s*([,.!?;:])")
_MULTI_SPACE = re.compile(r"[ \t]{2,}")
_LEADING_PUNCT = re.compile(r"^[\s,;:]+")
_EMPTY_PARENS = re.compile(r"\(\s*\)")


def _tidy(text: str) -> str:
    """Mend what dropping an unknown placeholder leaves behind: ' ,', ', .', double spaces."""
    text = _EMPTY_PARENS.sub("", text)
    text = _DOUBLE_COMMA.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _MULTI_SPACE.sub(" ", text)
    lines = [_LEADING_PUNCT.sub("", line) if line.strip() else line for line in text.split("\n")]
    text = "\n".join(line[:1].upper() + line[1:] if line[:1].islower() else line for line in lines)
    return text.strip()


def _clean_value(value) -> str:
    text = "" if value is None else str(value)
    # A value is inserted as it is, never expanded again; control characters never reach the chat.
    return "".join(ch for ch in text if ch.isprintable()).strip()


def fill(text: str, values: dict | None = None) -> str:
    """The template with what is known filled in; never a raw placeholder."""
    values = values or {}
    try:
        parsed = parse(text)
    except TemplateError:
        # Never reached for validated phrases; still, never show braces to a customer.
        return _tidy(re.sub(r"\{[^{}]*\}", "", text))
    known = {k: v for k, v in ((k, _clean_value(v)) for k, v in values.items()) if v}
    out: list[str] = []
    dropped = False
    for part in parsed:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, _Slot):
            value = known.get(part.name, part.fallback)
            if value is None:
                dropped = True
                value = ""
            out.append(value)
        else:  # optional segment
            pieces = []
            for item in part:
                if isinstance(item, str):
                    pieces.append(item)
                    continue
                value = known.get(item.name, item.fallback)
                if value is None:
                    pieces = None
                    break
                pieces.append(value)
            if pieces is None:
                dropped = True
            else:
                out.append("".join(pieces))
    result = "".join(out)
    return _tidy(result) if dropped else result.strip()
