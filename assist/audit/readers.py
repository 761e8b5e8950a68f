"""Streaming readers for chat exports: JSON lines and CSV, one conversation at a time.

A malformed line or row is reported (file:line) and skipped; everything else is kept. Memory holds
one conversation at most, plus the set of conversation ids already seen (to report a conversation
whose rows are scattered through a CSV file).
"""

from __future__ import annotations

import csv
import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import agents
from .encoding import DecodedLines
from .model import Conversation, Message, Problem

ReportProblem = Callable[[Problem], None]

# Exports name the two sides in many ways; anything else is reported and the message skipped.
ROLE_NAMES = {
    "customer": "customer", "client": "customer", "user": "customer", "visitor": "customer",
    "contact": "customer", "end-user": "customer", "end_user": "customer", "requester": "customer",
    "agent": "agent", "support": "agent", "operator": "agent", "staff": "agent", "rep": "agent",
    "representative": "agent", "assistant": "agent",
}

CSV_COLUMNS = {
    "id": ("conversation_id", "conversation", "conversationid", "chat_id", "chat", "ticket_id", "ticket",
           "thread_id", "session_id", "id"),
    "role": ("role", "sender", "author", "from", "speaker", "side"),
    "text": ("text", "message", "body", "content", "utterance"),
    "time": ("time", "timestamp", "created_at", "sent_at", "date", "datetime"),
    # Optional. Not "author"/"sender"/"from": those name the role above. On an agent row it is who
    # wrote it; on a customer row, the conversation's assignee (for agent rows left empty).
    "agent": ("agent", "agent_id", "agent_name", "agent_email", "assignee", "assignee_id", "assignee_name",
              "assigned_to", "handled_by"),
}


_TOKEN = re.compile(r"[\w:.+\-/]{1,32}")


def _quote(value) -> str:
    """A bad field's value for a problem message, only when it is clearly not chat text (one short token).

    Shifted columns put messages where a role or a time should be; those must not reach the terminal.
    """
    text = str(value) if value is not None else ""
    return repr(text) if _TOKEN.fullmatch(text) else f"({len(text)} characters, not shown)"


def parse_time(value) -> datetime | None:
    """An aware datetime from an ISO 8601 string or epoch seconds; None for empty; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"time {value!r} is not a time")
    if isinstance(value, (int, float)):
        moment = datetime.fromtimestamp(float(value), tz=timezone.utc)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            try:
                moment = datetime.fromtimestamp(float(text), tz=timezone.utc)
            except (ValueError, OverflowError, OSError):
                raise ValueError(f"time {_quote(text)} is not an ISO 8601 time") from None
    else:
        raise ValueError(f"time of type {type(value).__name__} is not a time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # naive times: taken as UTC, consistently
    return moment


def normalize_role(value) -> str | None:
    if not isinstance(value, str):
        return None
    return ROLE_NAMES.get(value.strip().lower())


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return "jsonl" if head.startswith(b"{") else "csv"


def read_conversations(path: str | Path, report: ReportProblem,
                       on_bytes: Callable[[int], None] | None = None) -> Iterator[Conversation]:
    """Every conversation of one file, in order. Problems go to `report`; nothing raises for bad content."""
    path = Path(path)
    name = str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        report(Problem(name, 0, f"cannot open: {exc.strerror or exc}"))
        return
    with handle:
        lines = DecodedLines(handle, on_bytes=on_bytes)
        kind = detect_format(path)
        try:
            if kind == "jsonl":
                yield from _read_jsonl(name, lines, report)
            else:
                yield from _read_csv(name, lines, report)
        except OSError as exc:
            report(Problem(name, 0, f"read error, stopped here: {exc.strerror or exc}"))
        if not lines.reason.startswith("utf-8") or "guessed" in lines.reason:
            report(Problem(name, 0, f"encoding: {lines.reason}"))
        elif lines.reason == "utf-8 (byte-order mark)":
            report(Problem(name, 0, "encoding: utf-8 with byte-order mark"))
        fallback = lines.describe_fallback()
        if fallback:
            report(Problem(name, 0, fallback))


IDLE_ROWS = 2000  # a conversation whose id has not appeared for this many rows is complete
MAX_OPEN_MESSAGES = 200_000


@dataclass
class _OpenConversation:
    name: str
    start_line: int
    messages: list = field(default_factory=list)
    last_line: int = 0
    agent: str | None = None  # the assignee named on its customer rows


class _IdTracker:
    """Gives each conversation a unique id, and says when an id comes back."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def unique(self, conversation_id: str) -> tuple[str, bool]:
        count = self.seen.get(conversation_id, 0) + 1
        self.seen[conversation_id] = count
        if count == 1:
            return conversation_id, False
        return f"{conversation_id}#{count}", True


def _read_jsonl(name: str, lines: Iterable[str], report: ReportProblem) -> Iterator[Conversation]:
    ids = _IdTracker()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().lstrip("\ufeff")  # a BOM can also sit mid-file where files were joined
        if not stripped:
            continue
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as exc:
            report(Problem(name, number, f"not valid JSON ({exc.msg}, column {exc.colno}); line skipped"))
            continue
        if not isinstance(record, dict):
            report(Problem(name, number, f"expected a JSON object, found {type(record).__name__}; line skipped"))
            continue
        raw_messages = record.get("messages")
        if not isinstance(raw_messages, list):
            report(Problem(name, number, "no \"messages\" list; line skipped"))
            continue
        raw_id = record.get("id")
        if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) and str(raw_id).strip():
            conversation_id = str(raw_id).strip()
        else:
            conversation_id = f"{Path(name).name}:{number}"
            report(Problem(name, number, f"no usable \"id\"; named the conversation {conversation_id!r}"))
        conversation_id, repeated = ids.unique(conversation_id)
        if repeated:
            report(Problem(name, number, f"conversation id seen before; this one is {conversation_id!r}"))
        try:
            assignee = agents.first_agent(record, agents.CONVERSATION_KEYS)
        except ValueError as exc:
            report(Problem(name, number, f"{exc}; conversation agent ignored"))
            assignee = None
        messages = []
        for index, raw in enumerate(raw_messages, start=1):
            message = _message_from_json(raw, lambda text: report(Problem(name, number, f"message {index}: {text}")))
            if message is not None:
                messages.append(message)
        yield Conversation(conversation_id, tuple(messages), source=f"{name}:{number}", agent=assignee)


def _message_from_json(raw, complain: Callable[[str], None]) -> Message | None:
    if not isinstance(raw, dict):
        complain(f"expected an object, found {type(raw).__name__}; skipped")
        return None
    role = normalize_role(raw.get("role"))
    if role is None:
        complain(f"role {_quote(raw.get('role'))} is not customer or agent; skipped")
        return None
    text = raw.get("text")
    if not isinstance(text, str):
        complain("no text; skipped")
        return None
    try:
        time = parse_time(raw.get("time"))
    except ValueError as exc:
        complain(f"{exc}; time ignored")
        time = None
    agent = None
    if role == "agent":  # on a customer message an agent key says nothing about who answered
        try:
            agent = agents.first_agent(raw, agents.MESSAGE_KEYS)
        except ValueError as exc:
            complain(f"{exc}; agent ignored")
    return Message(role, text, time, agent)


def _find_columns(header: list[str]) -> dict[str, int] | None:
    names = [cell.strip().lower().lstrip("\ufeff") for cell in header]
    found = {}
    for field, candidates in CSV_COLUMNS.items():
        for candidate in candidates:
            if candidate in names:
                found[field] = names.index(candidate)
                break
    if {"id", "role", "text"} <= found.keys():
        return found
    return None


def _read_csv(name: str, lines: Iterable[str], report: ReportProblem) -> Iterator[Conversation]:
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        report(Problem(name, 0, "empty file"))
        return
    delimiter = "\t" if name.lower().endswith(".tsv") or first.count("\t") > first.count(",") else ","

    def chained():
        yield first
        yield from iterator

    reader = csv.reader(chained(), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        report(Problem(name, 1, f"unreadable header ({exc}); file skipped"))
        return
    columns = _find_columns(header)
    if columns is None:
        # No header we recognise: assume the documented order and read the first row as data.
        report(Problem(name, 1, "no header naming conversation id, role and text; "
                                "assuming columns id, role, text, time"))
        columns = {"id": 0, "role": 1, "text": 2, "time": 3}
        pending_rows = [(1, header)]
    else:
        pending_rows = []
    needed = max(columns[k] for k in ("id", "role", "text")) + 1
    ids = _IdTracker()
    # Exports sorted by time interleave conversations. Each stays open until its id has not been
    # seen for IDLE_ROWS rows (or too much is open), then it is complete: bounded memory either way.
    open_conversations: OrderedDict[str, _OpenConversation] = OrderedDict()
    open_messages = 0

    def close_oldest() -> Conversation:
        nonlocal open_messages
        _, done = open_conversations.popitem(last=False)
        open_messages -= len(done.messages)
        return Conversation(done.name, tuple(done.messages), source=f"{name}:{done.start_line}", agent=done.agent)

    def rows():
        yield from pending_rows
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                report(Problem(name, reader.line_num, f"malformed CSV ({exc}); row skipped"))
                continue
            yield reader.line_num, row

    for line, row in rows():
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < needed:
            report(Problem(name, line, f"row has {len(row)} column(s), expected at least {needed}; row skipped"))
            continue
        raw_id = row[columns["id"]].strip()
        if not raw_id:
            report(Problem(name, line, "no conversation id; row skipped"))
            continue
        role = normalize_role(row[columns["role"]])
        if role is None:
            report(Problem(name, line, f"role {_quote(row[columns['role']])} is not customer or agent; row skipped"))
            continue
        time = None
        if "time" in columns and columns["time"] < len(row):
            try:
                time = parse_time(row[columns["time"]])
            except ValueError as exc:
                report(Problem(name, line, f"{exc}; time ignored"))
        agent = None
        if "agent" in columns and columns["agent"] < len(row):
            try:
                agent = agents.agent_id(row[columns["agent"]])
            except ValueError as exc:
                report(Problem(name, line, f"{exc}; agent ignored"))
        current = open_conversations.get(raw_id)
        if current is None:
            conversation_name, repeated = ids.unique(raw_id)
            if repeated:
                report(Problem(name, line, f"rows of conversation {raw_id!r} are far apart; "
                                           f"this part is read as {conversation_name!r}"))
            current = open_conversations[raw_id] = _OpenConversation(conversation_name, line)
        else:
            open_conversations.move_to_end(raw_id)
        if role == "customer":
            current.agent = current.agent or agent
            agent = None
        current.messages.append(Message(role, row[columns["text"]], time, agent))
        current.last_line = line
        open_messages += 1
        while open_conversations and (
                next(iter(open_conversations.values())).last_line < line - IDLE_ROWS
                or open_messages > MAX_OPEN_MESSAGES):
            yield close_oldest()
    while open_conversations:
        yield close_oldest()
