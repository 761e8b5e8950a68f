"""Import and export: our YAML, a spreadsheet CSV, Espanso match files, TextExpander and Text Blaze CSV.

Import reads a file into candidate entries, checks each like a phrase typed by hand, and reports
what it took and what it skipped, with the reason. Export writes the chosen phrases; for other
tools (Espanso, TextExpander, Text Blaze), whose placeholder syntax differs, the text is written
filled with what is known and the unknown parts left out, so no raw "{customer_name}" reaches a
customer through them either.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import template
from .fileformat import NewerVersionError, _Dumper, _Loader, migrate
from .model import EntryError, Phrase, phrase_from_entry

FORMATS = ("yaml", "csv", "espanso", "textexpander", "textblaze")
CSV_COLUMNS = ("id", "text", "intent", "emotions", "topics", "abbreviation", "favourite", "tone", "length",
               "note")
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class InterchangeError(ValueError):
    """The file as a whole cannot be imported (unreadable, unknown format, newer version)."""


@dataclass
class Candidate:
    entry: dict
    where: str  # "row 4", "entry 2 (trigger :ty)"
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    format: str
    taken: list[tuple[str, str]] = field(default_factory=list)  # (id, note)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    def to_dict(self) -> dict:
        return {"format": self.format,
                "taken": [{"id": i, "note": n} for i, n in self.taken],
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped]}


# -- format detection ---------------------------------------------------------------------------

def detect_format(path: Path, text: str | None = None) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        if text is not None and re.search(r"^matches\s*:", text, re.M):
            return "espanso"
        return "yaml"
    if suffix in (".csv", ".tsv", ".txt"):
        if text is None:
            return "csv"
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(text)), [])]
        if "shortcut" in header:
            return "textblaze"
        if "text" in header and ("intent" in header or "id" in header):
            return "csv"
        return "textexpander"
    raise InterchangeError(f"cannot tell the format of {path.name} from its extension; "
                       f"give --format ({', '.join(FORMATS)})")


# -- guessing what an imported snippet is for ------------------------------------------------------

_INTENT_RULES = (
    ("appreciate_patience", re.compile(r"\b(patience|bearing with|bear with|for waiting)\b", re.I)),
    ("apologize", re.compile(r"\b(sorry|apolog\w*)\b", re.I)),
    ("thank_reporting", re.compile(r"\bthank", re.I)),
    ("check_back", re.compile(r"(anything else|does (that|this)|is (that|this|it)|are you able|did that).*\?\s*$",
                              re.I | re.S)),
    ("take_ownership", re.compile(r"\b(i'll|i will|let me|leave (it|this) with me|i'm on it)\b", re.I)),
    ("acknowledge", re.compile(r"\b(understand|i can (see|hear|tell)|must be|i hear you)\b", re.I)),
)


def guess_intent(text: str) -> str:
    for intent, pattern in _INTENT_RULES:
        if pattern.search(text):
            return intent
    return "reassure_next_step"


def _escape_braces(text: str) -> str:
    """Text from another tool is literal: its braces must not become our placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def _split_list(value: str) -> list[str]:
    return [v.strip().lower() for v in re.split(r"[;,|]", value or "") if v.strip()]


def _truthy(value: str) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "y", "x", "★", "*")


def _unguard(cell: str) -> str:
    """Undo the spreadsheet formula guard written on export ("'=..." -> "=...")."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@":
        return cell[1:]
    return cell


def _guard(cell: str) -> str:
    """A cell starting with = + - @ would run as a formula in a spreadsheet."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def _foreign(text: str, abbreviation: str, label: str, where: str) -> Candidate:
    entry = {"text": _escape_braces(text.strip()), "intent": guess_intent(text)}
    notes = [f"intent guessed as {entry['intent']}"]
    if abbreviation:
        if any(ch.isspace() for ch in abbreviation) or len(abbreviation) > 32:
            notes.append(f"abbreviation {abbreviation!r} left out (spaces or too long)")
        else:
            entry["abbreviation"] = abbreviation
    if label:
        entry["note"] = label[:500]
    return Candidate(entry, where, notes)


# -- readers: each returns (candidates, skipped) --------------------------------------------------

def _load_yaml(text: str):
    """The YAML document, or InterchangeError naming the line that is wrong."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InterchangeError(f"not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None


def _read_yaml(text: str) -> tuple[list[Candidate], list[tuple[str, str]]]:
    raw = _load_yaml(text)
    try:
        document = migrate(raw if raw is not None else {})
    except NewerVersionError as exc:
        raise InterchangeError(str(exc)) from None
    except ValueError as exc:
        raise InterchangeError(str(exc)) from None
    favourites = set(document.get("favourites") or [])
    out = []
    for index, entry in enumerate(document["phrases"]):
        if isinstance(entry, dict):
            entry = dict(entry)
            if entry.get("id") in favourites:
                entry["favourite"] = True
        label = entry.get("id") if isinstance(entry, dict) else None
        out.append(Candidate(entry, f"entry {index + 1}" + (f" ({label})" if label else "")))
    return out, []


def _read_csv(text: str) -> tuple[list[Candidate], list[tuple[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    reader.fieldnames = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "text" not in reader.fieldnames:
        raise InterchangeError("the CSV has no 'text' column (expected: " + ",".join(CSV_COLUMNS) + ")")
    out, skipped = [], []
    for row in reader:
        where = f"row {reader.line_num}"
        row = {k: _unguard((v or "").strip()) for k, v in row.items() if k}
        if not any(row.values()):
            continue
        entry: dict = {"text": row.get("text", "")}
        notes = []
        if row.get("id"):
            entry["id"] = row["id"]
        intent = row.get("intent", "").strip().lower()
        if intent:
            entry["intent"] = intent
        else:
            entry["intent"] = guess_intent(entry["text"])
            notes.append(f"intent guessed as {entry['intent']}")
        for key in ("emotions", "topics"):
            if row.get(key):
                entry[key] = _split_list(row[key])
        for key in ("abbreviation", "note"):
            if row.get(key):
                entry[key] = row[key]
        for key in ("tone", "length"):
            if row.get(key):
                entry[key] = row[key].lower()
        if _truthy(row.get("favourite", "") or row.get("favorite", "")):
            entry["favourite"] = True
        out.append(Candidate(entry, where, notes))
    return out, skipped


_ESPANSO_VAR = re.compile(r"\{\{\s*[^}]*\}\}")


def _read_espanso(text: str) -> tuple[list[Candidate], list[tuple[str, str]]]:
    raw = _load_yaml(text)
    matches = (raw or {}).get("matches") if isinstance(raw, dict) else None
    if not isinstance(matches, list):
        raise InterchangeError("an Espanso match file needs a 'matches:' list")
    out, skipped = [], []
    for index, match in enumerate(matches):
        if not isinstance(match, dict):
            skipped.append((f"match {index + 1}", "not a mapping"))
            continue
        trigger = match.get("trigger")
        if trigger is None and isinstance(match.get("triggers"), list) and match["triggers"]:
            trigger = match["triggers"][0]
        where = f"match {index + 1}" + (f" ({trigger})" if trigger else "")
        replace = match.get("replace")
        if not isinstance(replace, str):
            kind = next((k for k in ("form", "image_path", "html", "markdown") if k in match), None)
            skipped.append((where, f"no plain-text replacement ({kind or 'nothing to insert'})"))
            continue
        if _ESPANSO_VAR.search(replace) or match.get("vars"):
            skipped.append((where, "uses Espanso variables ({{...}}), which assist cannot fill"))
            continue
        replace = replace.replace("$|$", "")  # Espanso's cursor hint
        abbreviation = str(trigger) if isinstance(trigger, str) and "regex" not in match else ""
        out.append(_foreign(replace, abbreviation, str(match.get("label") or ""), where))
    return out, skipped


_TE_MACRO = re.compile(r"%(fill\w*|clipboard|snippet:|key:|date|time|[A-Za-z](?![A-Za-z])|[+@<>-])")


def _read_textexpander(text: str) -> tuple[list[Candidate], list[tuple[str, str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    out, skipped = [], []
    start = 0
    if rows and [c.strip().lower() for c in rows[0][:2]] in (["abbreviation", "content"],
                                                            ["abbreviation", "snippet"]):
        start = 1
    for number, row in enumerate(rows[start:], start=start + 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        where = f"row {number}"
        if len(row) < 2:
            skipped.append((where, "expected abbreviation, content[, label]"))
            continue
        abbreviation, content = row[0].strip(), row[1]
        label = row[2].strip() if len(row) > 2 else ""
        if re.search(r"<(p|div|span|br|b|i|strong|em)\b", content, re.I):
            skipped.append((where, "rich text (HTML); save it as plain text in TextExpander first"))
            continue
        content = content.replace("%|", "")  # cursor position
        if _TE_MACRO.search(content):
            skipped.append((where, f"uses a TextExpander macro ({_TE_MACRO.search(content).group()}), "
                                   "which assist cannot fill"))
            continue
        out.append(_foreign(content, abbreviation, label, where + (f" ({abbreviation})" if abbreviation else "")))
    return out, skipped


_BLAZE_COMMAND = re.compile(r"\{\s*([a-z][a-z_-]*)\s*(:[^}]*)?\}", re.I)


def _read_textblaze(text: str) -> tuple[list[Candidate], list[tuple[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    names = [(n or "").strip().lower() for n in (reader.fieldnames or [])]
    reader.fieldnames = names
    text_key = next((k for k in ("text", "content", "snippet", "html") if k in names), None)
    if text_key is None:
        raise InterchangeError("a Text Blaze CSV needs a text column (name, shortcut, text)")
    name_key = next((k for k in ("name", "label", "title") if k in names), None)
    out, skipped = [], []
    for row in reader:
        where = f"row {reader.line_num}"
        content = (row.get(text_key) or "")
        shortcut = (row.get("shortcut") or "").strip()
        if shortcut:
            where += f" ({shortcut})"
        if not content.strip():
            skipped.append((where, "empty text"))
            continue
        content = re.sub(r"\{\s*cursor\s*\}", "", content, flags=re.I)
        command = _BLAZE_COMMAND.search(content)
        if command:
            skipped.append((where, f"uses the Text Blaze command {{{command.group(1)}}}, which assist cannot fill"))
            continue
        if text_key == "html" or re.search(r"<(p|div|span|br)\b", content, re.I):
            skipped.append((where, "rich text (HTML); export it as plain text"))
            continue
        out.append(_foreign(content, shortcut, (row.get(name_key) or "") if name_key else "", where))
    return out, skipped


READERS = {"yaml": _read_yaml, "csv": _read_csv, "espanso": _read_espanso, "textexpander": _read_textexpander,
           "textblaze": _read_textblaze}


def read_candidates(path: Path, fmt: str | None = None) -> tuple[str, list[Candidate], list[tuple[str, str]]]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InterchangeError(f"{path.name} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_text(encoding="cp1252")  # a spreadsheet saved as "CSV" on Windows
        except (OSError, UnicodeDecodeError) as exc:
            raise InterchangeError(f"cannot read {path}: {exc}") from None
    except OSError as exc:
        raise InterchangeError(f"cannot read {path}: {exc.strerror or exc}") from None
    fmt = fmt or detect_format(path, text)
    if fmt not in READERS:
        raise InterchangeError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    candidates, skipped = READERS[fmt](text)
    return fmt, candidates, skipped


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def plan_import(candidates: list[Candidate], library, store) -> tuple[list[dict], list[tuple[str, str]],
                                                                       list[tuple[str, str]]]:
    """Check each candidate against the rules and the library: (entries to add, taken, skipped)."""
    existing_text = {_normal(p.text): p.id for p in library.phrases.values()}
    personal_ids = {p.id for p in store.phrases}
    taken_ids: set[str] = set()
    entries, taken, skipped = [], [], []
    for candidate in candidates:
        entry = candidate.entry
        if not isinstance(entry, dict):
            skipped.append((candidate.where, "not a mapping with id, text and intent"))
            continue
        entry = dict(entry)
        if "id" not in entry or not entry["id"]:
            entry["id"] = store.new_id(str(entry.get("text", "")), taken_ids | set(library.phrases))
        try:
            phrase, warnings = phrase_from_entry(entry, "personal")
        except EntryError as exc:
            skipped.append((candidate.where, str(exc)))
            continue
        same = existing_text.get(_normal(phrase.text))
        if same is not None:
            skipped.append((candidate.where, f"the same text is already in your library as {same}"))
            continue
        if phrase.id in personal_ids or phrase.id in taken_ids:
            skipped.append((candidate.where, f"id {phrase.id} is already one of your phrases; edit it instead"))
            continue
        notes = list(candidate.notes) + warnings
        if phrase.id in library.phrases:
            notes.append(f"replaces the {library.phrases[phrase.id].source} phrase with this id for you")
        entries.append(phrase.to_entry())
        taken.append((phrase.id, "; ".join(notes)))
        taken_ids.add(phrase.id)
        existing_text[_normal(phrase.text)] = phrase.id
    return entries, taken, skipped


def import_file(path: Path, library, store, fmt: str | None = None) -> ImportReport:
    """Import into the personal store; InterchangeError when the file as a whole cannot be used."""
    fmt, candidates, skipped = read_candidates(path, fmt)
    entries, taken, more_skipped = plan_import(candidates, library, store)
    report = ImportReport(format=fmt, skipped=skipped + more_skipped)
    if entries:
        added = {p.id for p in store.add_many(entries)}
        for phrase_id, note in taken:
            if phrase_id in added:
                report.taken.append((phrase_id, note))
            else:
                report.skipped.append((phrase_id, "added meanwhile by another assist window"))
    return report


# -- export ----------------------------------------------------------------------------------------

def export_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InterchangeError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    raise InterchangeError(f"cannot tell the format from {Path(path).name}; give --format ({', '.join(FORMATS)})")


def render(phrases: list[Phrase], fmt: str, values: dict | None = None) -> str:
    values = values or {}
    if fmt == "yaml":
        from .fileformat import dump
        from .store import schema_reference

        document = {"phrases": [p.to_entry() for p in phrases]}
        return dump(document, schema_reference())
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for p in phrases:
            writer.writerow([_guard(p.id), _guard(p.text), p.intent, "; ".join(p.emotions), "; ".join(p.topics),
                             _guard(p.abbreviation), "yes" if p.favourite else "", p.tone, p.length,
                             _guard(p.note)])
        return buffer.getvalue()
    filled = [(p, template.fill(p.text, values)) for p in phrases]
    if fmt == "espanso":
        matches = [{"trigger": ":" + (p.abbreviation.lstrip(":") or p.id), "replace": text, "label": p.id}
                   for p, text in filled]
        head = "# Phrases exported from assist for Espanso; placeholders filled with what was known.\n"
        return head + yaml.dump({"matches": matches}, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                width=100)
    if fmt == "textexpander":
        writer = csv.writer(buffer, lineterminator="\r\n")
        for p, text in filled:  # TextExpander's own layout: abbreviation, content, label; no header
            writer.writerow([p.abbreviation or p.id, text, p.id])
        return buffer.getvalue()
    if fmt == "textblaze":
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["name", "shortcut", "text"])
        for p, text in filled:
            writer.writerow([p.id, "/" + (p.abbreviation.lstrip("/") or p.id), text])
        return buffer.getvalue()
    raise InterchangeError(f"unknown format {fmt!r}")


def export_file(phrases: list[Phrase], path: Path, fmt: str | None = None, values: dict | None = None) -> str:
    from ..atomic import atomic_write

    fmt = export_format(path, fmt)
    text = render(phrases, fmt, values)
    # Our CSV gets a byte-order mark so spreadsheet programs on Windows read it as UTF-8.
    if fmt == "csv":
        text = "\ufeff" + text
    atomic_write(Path(path), text, backup=False)
    return fmt


__all__ = ["FORMATS", "ImportReport", "InterchangeError", "import_file", "export_file", "read_candidates",
           "render", "guess_intent"]
