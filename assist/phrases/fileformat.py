"""Phrase files on disk: parse, migrate, check every entry, and say where each problem is.

A file is YAML:

    # yaml-language-server: $schema=<path or URL of phrasebank.schema.json>
    schema_version: 1
    phrases:
      - id: ...
        text: ...
        intent: ...
    hidden: [ids]          # personal file only: phrases the agent does not want offered
    favourites: [ids]      # personal file only

Reading never raises: what cannot be used becomes a Problem with file, line and entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import EntryError, Phrase, Problem, phrase_from_entry

SCHEMA_VERSION = 1
SCHEMA_NAME = "phrasebank.schema.json"

# The C loader is several times faster; the pure-Python one is the same grammar.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class NewerVersionError(ValueError):
    pass


@dataclass
class PhraseFile:
    """What one file held: its phrases, the raw document (for saving back), and what was wrong."""

    path: Path
    phrases: list[Phrase] = field(default_factory=list)
    document: dict | None = None  # the migrated raw document; None when it could not be read
    problems: list[Problem] = field(default_factory=list)
    newer: bool = False  # written by a newer assist: refused, never rewritten
    unreadable: bool = False  # not YAML, or not a phrase file at all
    from_cache: bool = False  # document holds only the id lists: never write it back

    @property
    def usable(self) -> bool:
        return self.document is not None

    def id_list(self, key: str) -> list[str]:
        values = (self.document or {}).get(key) or []
        return [v for v in values if isinstance(v, str)]


def _migrate_0_to_1(document) -> dict:
    """Version 0: hand-written files without a version, a bare list of phrases or {phrases: [...]},
    and American "favorite"."""
    if isinstance(document, list):
        document = {"phrases": document}
    for entry in document.get("phrases") or []:
        if isinstance(entry, dict) and "favorite" in entry and "favourite" not in entry:
            entry["favourite"] = entry.pop("favorite")
    document["schema_version"] = 1
    return document


MIGRATIONS = {0: _migrate_0_to_1}  # from version N to N + 1


def migrate(document) -> dict:
    """The document at SCHEMA_VERSION; NewerVersionError when it is newer; ValueError when unusable."""
    if isinstance(document, list):
        version = 0
    elif isinstance(document, dict):
        version = document.get("schema_version", 0)
    else:
        raise ValueError("the file does not hold a phrase list (expected 'schema_version' and 'phrases')")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"schema_version {version!r} is not a version number")
    if version > SCHEMA_VERSION:
        raise NewerVersionError(
            f"written by a newer assist (schema version {version}; this one reads up to {SCHEMA_VERSION}); "
            "it is not used and will not be changed. Update assist to use it.")
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    phrases = document.get("phrases")
    if phrases is None:
        document["phrases"] = []
    elif not isinstance(phrases, list):
        raise ValueError("'phrases' must be a list of entries")
    for key in ("hidden", "favourites"):
        value = document.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValueError(f"'{key}' must be a list of phrase ids")
    return document


def _entry_lines(text: str) -> list[int]:
    """1-based line of each entry under 'phrases'; only computed when there is a problem to place."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return []
    node = root
    if isinstance(root, yaml.MappingNode):
        node = next((value for key, value in root.value if getattr(key, "value", None) == "phrases"), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


_ID_LINE = re.compile(r"^\s*-?\s*id\s*:\s*['\"]?([^'\"#\s]+)")


def _entry_near(text: str, line: int | None) -> str | None:
    """The id of the entry a broken line belongs to (the last "id:" at or above it)."""
    if not line:
        return None
    for candidate in reversed(text.splitlines()[:line]):
        match = _ID_LINE.match(candidate)
        if match:
            return match.group(1)
    return None


def parse_text(text: str, path: Path, source: str) -> PhraseFile:
    result = PhraseFile(path=path)
    name = str(path)
    try:
        raw = fast_load(text)
        if raw is None:
            raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        col = f", column {mark.column + 1}" if mark is not None else ""
        result.problems.append(Problem(name, f"not valid YAML ({problem}{col}); the file was not used",
                                       line=line, entry=_entry_near(text, line), fatal=True))
        result.unreadable = True
        return result
    if raw is None:
        raw = {}
    try:
        document = migrate(raw)
    except NewerVersionError as exc:
        result.problems.append(Problem(name, str(exc), fatal=True))
        result.newer = True
        return result
    except ValueError as exc:
        result.problems.append(Problem(name, f"{exc}; the file was not used", fatal=True))
        result.unreadable = True
        return result
    return check_document(document, path, source, text)


def check_document(document: dict, path: Path, source: str, text: str) -> PhraseFile:
    """Check every entry of a migrated document; `text` is its file text (for line numbers)."""
    result = PhraseFile(path=path, document=document)
    name = str(path)
    seen: dict[str, int] = {}
    bad: list[tuple[int, str | None, str]] = []
    for index, entry in enumerate(document["phrases"]):
        label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        try:
            phrase, warnings = phrase_from_entry(entry, source)
        except EntryError as exc:
            bad.append((index, label, f"{exc}; this entry was skipped"))
            continue
        for warning in warnings:
            bad.append((index, label, warning))
        if phrase.id in seen:
            bad.append((index, label, f"duplicate id (also entry {seen[phrase.id] + 1}); this entry was skipped"))
            continue
        seen[phrase.id] = index
        result.phrases.append(phrase)
    if bad:
        lines = _entry_lines(text)
        for index, label, message in bad:
            line = lines[index] if index < len(lines) else None
            result.problems.append(Problem(name, message, line=line, entry=label or f"entry {index + 1}"))
    return result


def read_file(path: Path, source: str, cache_dir: Path | None = None) -> PhraseFile:
    """Read one phrase file; never raises. With cache_dir, a checked copy is kept there (see cache.py)."""
    path = Path(path)
    if cache_dir is not None:
        from . import cache

        cached = cache.load(cache_dir, path, source)
        if cached is not None:
            return cached
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return PhraseFile(path=path, document={"schema_version": SCHEMA_VERSION, "phrases": []})
    except (OSError, UnicodeDecodeError) as exc:
        result = PhraseFile(path=path, unreadable=True)
        result.problems.append(Problem(str(path), f"cannot be read ({exc}); the file was not used", fatal=True))
        return result
    result = parse_text(text, path, source)
    if cache_dir is not None and result.usable:
        cache.store(cache_dir, path, source, result)
    return result


# Characters YAML does not accept raw inside a double-quoted scalar (or reads as line breaks);
# json.dumps(ensure_ascii=False) leaves them as they are, so they are escaped after it.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_HEADER_NOTE = "# One phrase per line (JSON-style YAML); block-style YAML works too.\n"


def _json_line(value) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _YAML_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group()), text)


def dump(document: dict, schema_ref: str | None = None) -> str:
    """A phrase file's text: the schema reference line, then the document in a stable order.

    Each phrase is one line of JSON-style YAML: still YAML for editors and the schema, and read
    back in a fraction of the time a block-style file takes (fast_load). Anything that does not
    fit that layout is written as ordinary block YAML instead.
    """
    ordered = {"schema_version": SCHEMA_VERSION}
    for key in ("phrases", "hidden", "favourites"):
        if key in document and (document[key] or key == "phrases"):
            ordered[key] = document[key]
    for key, value in document.items():  # keep whatever else a newer minor edit added
        if key not in ordered and key not in ("schema_version", "phrases", "hidden", "favourites"):
            ordered[key] = value
    head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    if set(ordered) <= {"schema_version", "phrases", "hidden", "favourites"}:
        try:
            lines = [f"schema_version: {SCHEMA_VERSION}"]
            phrases = ordered["phrases"] or []
            lines.append("phrases:" if phrases else "phrases: []")
            lines += ["- " + _json_line(entry) for entry in phrases]
            for key in ("hidden", "favourites"):
                if key in ordered:
                    lines.append(f"{key}: " + _json_line(ordered[key]))
            return head + _HEADER_NOTE + "\n".join(lines) + "\n"
        except (TypeError, ValueError):
            pass  # e.g. a date a hand-written entry holds: keep it as YAML
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=None)
    return head + body


def fast_load(text: str):
    """The document of a file in dump()'s one-phrase-per-line layout, or None for anything else
    (then the YAML loader reads it). Same result as yaml.load for such files, many times faster."""
    document: dict = {}
    in_phrases = False
    for raw_line in text.split("\n"):
        line = raw_line.rstrip("\r")
        if not line or line.startswith("#"):
            continue
        try:
            if line.startswith("- {") and in_phrases:
                entry = json.loads(line[2:])
                if not isinstance(entry, dict):
                    return None
                document["phrases"].append(entry)
                continue
            in_phrases = False
            key, sep, rest = line.partition(": ")
            if key in document:
                return None
            if key == "schema_version" and sep and rest.isdigit():
                document[key] = int(rest)
            elif line == "phrases:":
                document["phrases"] = []
                in_phrases = True
            elif key in ("phrases", "hidden", "favourites") and sep and rest.startswith("["):
                value = json.loads(rest)
                if not isinstance(value, list):
                    return None
                document[key] = value
            else:
                return None
        except ValueError:
            return None
    return document if "schema_version" in document and "phrases" in document else None
