"""Logging: a rotating file in the log folder, and stderr as text or (`--json-logging`) JSON lines.

THE RULE: log events and counts, never text. A log call names what happened with a literal
message and numbers, e.g. `log.info("Analysed a message: %d cues in %d ms", cues, ms)`. Never the
customer's message, the draft, a phrase, the clipboard, a window title or anything else typed or
read: none of it may reach a log file or a terminal.

The rule is enforced, not hoped for:
- `PrivacyFormatter` (both outputs use it) prints the literal template of a record and renders
  only harmless arguments: numbers, booleans, None, enum members, `pathlib.Path`s, and strings
  the caller wrapped in `Safe(...)` (option keys, backend names, file paths: never chat text).
  Any other argument prints as `<str: 42 chars>` or `<dict>`. `extra` fields are never printed.
- An exception keeps its traceback (where in the code) and its type, but its message, which can
  quote input, prints as `<withheld: N chars>` (for OSError: the errno and the system's words).
- A record from another library (spaCy, Qt glue) keeps its template only when the library passed
  its values as arguments (which are then judged as above); a message it built by itself is
  withheld, because we cannot know what went into it.
- A structured event, `log.info(name, extra={"event": name, "fields": {...}})`, prints its name
  and fields (in JSON as "event" and "fields") only where each is a number, a boolean, a list of
  them, or a short token without spaces (an identifier, a label, a backend name, <= 40 chars);
  anything else is withheld like an argument. Fields carry counts and names, never text.
- tests/unit/test_logs.py checks that every log call in `assist/` uses a literal template (or is
  such an event).

`setup(paths, json_logging=..., debug=...)` installs the handlers on the root logger (calling it
again replaces them): the file `assist.log` in `paths.log`, rotated at 1 MB with 5 old files kept,
at INFO (DEBUG with `--debug`); stderr at WARNING, or INFO in JSON (DEBUG with `--debug`).
"""

from __future__ import annotations

import enum
import json
import logging
import logging.handlers
import re
import sys
import time
import traceback
from pathlib import Path, PurePath

LOG_FILE = "assist.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
OUR_LOGGER = "assist"

_MARK = "_assist_handler"  # set on the handlers setup() installs, so that it can replace them


class Safe(str):
    """A string the caller vouches is not chat text: an option key, a backend name, a path."""

    __slots__ = ()


class _Withheld:
    """Stands in for an argument that may be text; formats as a short description of it."""

    def __init__(self, value):
        if isinstance(value, (str, bytes)):
            self.text = f"<{type(value).__name__}: {len(value)} chars>"
        else:
            self.text = f"<{type(value).__name__}>"

    def __str__(self):
        return self.text

    __repr__ = __str__


def harmless(value) -> bool:
    """Whether a log argument may be printed as it is."""
    if isinstance(value, Safe) or value is None or isinstance(value, (bool, int, float, PurePath)):
        return True
    return isinstance(value, enum.Enum) and not isinstance(value, str)


def _judge(value):
    return value if harmless(value) else _Withheld(value)


_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]{1,40}\Z")


def _event_value(value):
    """A structured event's field as it may be printed (JSON-ready)."""
    if isinstance(value, enum.Enum) and not isinstance(value, str):
        return value.name
    if isinstance(value, PurePath):
        return str(value)
    if harmless(value):
        return value
    if isinstance(value, str) and _TOKEN.match(value):
        return value
    if isinstance(value, (list, tuple)):
        return [_event_value(item) for item in value]
    if isinstance(value, dict):
        return {key if isinstance(key, str) and _TOKEN.match(key) else "<key>": _event_value(item)
                for key, item in value.items()}
    return str(_Withheld(value))


def _event(record: logging.LogRecord):
    """(name, fields) of a structured event record, or None."""
    name = getattr(record, "event", None)
    if not isinstance(name, str) or record.msg != name or record.args:
        return None
    fields = getattr(record, "fields", None)
    fields = _event_value(fields) if isinstance(fields, dict) else {}
    return (name if _TOKEN.match(name) else str(_Withheld(name))), fields


def render_message(record: logging.LogRecord) -> str:
    """The record's message with everything that may be text withheld."""
    event = _event(record)
    if event is not None:
        name, fields = event
        return " ".join([name] + [f"{key}={json.dumps(value)}" for key, value in fields.items()])
    template = record.msg
    if not isinstance(template, str):
        return str(_Withheld(template))
    ours = record.name == OUR_LOGGER or record.name.startswith(OUR_LOGGER + ".")
    if not record.args:
        # Our own templates are literals (the test checks it); another library's may be built
        # from anything.
        return template if ours else f"<message withheld: {len(template)} chars>"
    if isinstance(record.args, dict):
        args = {key: _judge(value) for key, value in record.args.items()}
    else:
        args = tuple(_judge(value) for value in record.args)
    try:
        return template % args
    except (TypeError, ValueError, KeyError):
        return f"{template} [arguments withheld]"


def render_exception(exc: BaseException) -> str:
    """A traceback that shows where, and of what type, but never the exception's message."""
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    parts = []
    for index, error in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to another one:\n\n")
        if error.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_list(traceback.extract_tb(error.__traceback__)))
        name = type(error).__qualname__
        module = type(error).__module__
        if module not in ("builtins", "__main__"):
            name = f"{module}.{name}"
        if isinstance(error, OSError) and error.errno is not None:
            detail = f"[Errno {error.errno}] {error.strerror}"
        else:
            detail = f"<withheld: {len(str(error))} chars>"
        parts.append(f"{name}: {detail}\n")
    return "".join(parts).rstrip("\n")


class PrivacyFormatter(logging.Formatter):
    """Plain text lines: time, level, logger, message, and a withheld-message traceback."""

    def format(self, record: logging.LogRecord) -> str:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
        line = f"{when} {record.levelname:<8} {record.name}: {render_message(record)}"
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + render_exception(record.exc_info[1])
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for tests that drive the app and read its log."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "created": record.created,
            "msecs": record.msecs,
            "levelname": record.levelname,
            "levelno": record.levelno,
            "name": record.name,
            "module": record.module,
            "funcName": record.funcName,
            "lineno": record.lineno,
            "message": render_message(record),
        }
        event = _event(record)
        if event is not None:
            entry["event"], entry["fields"] = event
        if record.exc_info and record.exc_info[1] is not None:
            entry["traceback"] = render_exception(record.exc_info[1])
        return json.dumps(entry, ensure_ascii=False)


def setup(paths, *, json_logging: bool = False, debug: bool = False, to_file: bool = True,
          stream=None) -> Path | None:
    """Install assist's log handlers; returns the log file, or None when there is none.

    A log folder that cannot be created (read-only home, full disk) costs the file, not the start.
    """
    remove()
    root = logging.getLogger()
    level = logging.DEBUG if debug else logging.INFO
    root.setLevel(logging.DEBUG if debug else logging.WARNING)  # other libraries: warnings and worse
    logging.getLogger(OUR_LOGGER).setLevel(level)

    console = logging.StreamHandler(stream if stream is not None else sys.stderr)
    console.setFormatter(JsonFormatter() if json_logging else PrivacyFormatter())
    console.setLevel(level if (json_logging or debug) else logging.WARNING)
    _install(root, console)

    log_file = None
    if to_file:
        try:
            Path(paths.log).mkdir(parents=True, exist_ok=True)
            log_file = Path(paths.log) / LOG_FILE
            handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=MAX_BYTES,
                                                           backupCount=BACKUPS, encoding="utf-8")
        except OSError as error:
            logging.getLogger(__name__).warning("Logging to the console only: cannot write %s (errno %s)",
                                                Safe(str(paths.log)), error.errno)
            log_file = None
        else:
            handler.setFormatter(PrivacyFormatter())
            handler.setLevel(level)
            _install(root, handler)
    return log_file


def remove() -> None:
    """Take out the handlers `setup` installed (closing the log file)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()


def _install(root: logging.Logger, handler: logging.Handler) -> None:
    setattr(handler, _MARK, True)
    root.addHandler(handler)
