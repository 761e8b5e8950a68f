"""Logs say what happened and how much, never what anyone wrote: real handlers, real files."""

import ast
import io
import json
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assist import logs
from assist.logs import Safe
from assist.paths import Paths

# Looks like what a customer writes, with words that appear nowhere in a log line's frame.
CHAT = "My refund for order 88123 never came and I am FURIOUS, call me on 555-0199"
CHAT_WORDS = ("refund", "FURIOUS", "555-0199", "88123")

PACKAGE = Path(__file__).resolve().parents[2] / "assist"


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path)


@pytest.fixture(autouse=True)
def clean_handlers():
    loggers = [logging.getLogger(), logging.getLogger("assist")]
    levels = [logger.level for logger in loggers]
    yield
    logs.remove()
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


def everything_written(paths, stream):
    files = sorted(Path(paths.log).glob("assist.log*"))
    return stream.getvalue() + "".join(path.read_text("utf-8") for path in files)


def assert_no_chat(text):
    for word in CHAT_WORDS:
        assert word not in text, f"chat text reached the log: {word!r}"


@pytest.mark.parametrize("json_logging", [False, True])
def test_chat_text_passed_to_log_calls_never_reaches_the_file_or_stream(paths, json_logging):
    stream = io.StringIO()
    log_file = logs.setup(paths, json_logging=json_logging, stream=stream)
    log = logging.getLogger("assist.core.analyzer")
    log.info("Analysed a message: %d cues in %d ms", 3, 17)
    log.info("Customer wrote %s", CHAT)
    log.warning("Draft %r does not acknowledge", CHAT)
    log.info("Mapping %(text)s and %(count)d", {"text": CHAT, "count": 4})
    log.info("Bytes %s", CHAT.encode())
    log.info([CHAT])  # not even a template
    log.info("Extra fields are never printed", extra={"draft": CHAT})
    try:
        try:
            raise KeyError(CHAT)
        except KeyError as inner:
            raise ValueError(f"could not analyse {CHAT!r}") from inner
    except ValueError:
        log.exception("Analysis failed")
    logging.getLogger("some.library").warning(f"Tokenised: {CHAT}")  # a message built by a library
    logging.getLogger("some.library").warning("Tokens: %s", CHAT)

    written = everything_written(paths, stream)
    assert_no_chat(written)
    # The events themselves are there, with their counts, so the log is still worth reading.
    assert "Analysed a message: 3 cues in 17 ms" in written
    assert "Customer wrote <str: 74 chars>" in written
    assert "Mapping <str: 74 chars> and 4" in written
    assert "Analysis failed" in written and "ValueError: <withheld:" in written
    assert "KeyError: <withheld:" in written and "test_logs.py" in written  # where, not what
    assert f"<message withheld: {len('Tokenised: ' + CHAT)} chars>" in written
    assert log_file == Path(paths.log) / "assist.log" and log_file.stat().st_size > 0


def test_structured_events_keep_names_and_counts_and_withhold_text(paths):
    stream = io.StringIO()
    logs.setup(paths, json_logging=True, stream=stream, to_file=False)
    log = logging.getLogger("assist.app")
    fields = {"source": "x11-selection", "chars": len(CHAT), "ok": True, "emotion": "anger",
              "reason": CHAT, "buttons": [[10, 20, 300, 40]], "nested": {"draft": CHAT}}
    log.info("customer_message", extra={"event": "customer_message", "fields": fields})
    log.info(CHAT, extra={"event": CHAT, "fields": {}})
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert first["event"] == "customer_message"
    assert first["fields"] == {"source": "x11-selection", "chars": 74, "ok": True, "emotion": "anger",
                               "reason": "<str: 74 chars>", "buttons": [[10, 20, 300, 40]],
                               "nested": {"draft": "<str: 74 chars>"}}
    assert second["event"] == second["message"] == "<str: 74 chars>"
    assert_no_chat(stream.getvalue())


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=8, max_size=300).filter(lambda t: t.strip() and not t.isdigit()))
def test_any_text_argument_is_withheld(paths, text):
    stream = io.StringIO()
    logs.setup(paths, json_logging=True, stream=stream, to_file=False)
    logging.getLogger("assist.x").info("Selection changed: %s", text)
    logging.getLogger("assist.x").error("Inserted %d chars into %s", len(text), text)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [entry["message"] for entry in entries] == [
        f"Selection changed: <str: {len(text)} chars>",
        f"Inserted {len(text)} chars into <str: {len(text)} chars>",
    ]


def test_harmless_values_are_printed(paths):
    stream = io.StringIO()
    logs.setup(paths, stream=stream, debug=True, to_file=False)
    logging.getLogger("assist.platform").info("Chose %s for %s in %.1f ms (fallback %s, %s)",
                                              Safe("x11-selection"), Path("/tmp/phrases.yaml"), 2.5,
                                              False, None)
    assert "Chose x11-selection for /tmp/phrases.yaml in 2.5 ms (fallback False, None)" in stream.getvalue()


def test_os_errors_keep_the_reason_but_not_the_file_name(paths):
    stream = io.StringIO()
    logs.setup(paths, stream=stream, to_file=False)
    try:
        open(Path(paths.data) / CHAT.replace(" ", "_"))
    except OSError:
        logging.getLogger("assist.phrases").exception("Cannot read a phrase file")
    written = stream.getvalue()
    assert "FileNotFoundError: [Errno 2] No such file or directory" in written
    assert_no_chat(written)


def test_json_lines_carry_the_fields_tests_read(paths):
    stream = io.StringIO()
    logs.setup(paths, json_logging=True, stream=stream, to_file=False)
    logging.getLogger("assist.app").info("Overlay shown")
    (entry,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert entry["levelname"] == "INFO" and entry["name"] == "assist.app"
    assert entry["message"] == "Overlay shown" and entry["funcName"] == "test_json_lines_carry_the_fields_tests_read"


def test_levels_debug_and_quiet_console(paths):
    stream = io.StringIO()
    logs.setup(paths, stream=stream)
    log = logging.getLogger("assist.core")
    log.debug("Matcher built")
    log.info("Pipeline loaded")
    log.warning("Model missing, using the rules only")
    logging.getLogger("other.library").info("Chatty library detail %d", 1)
    file_text = (Path(paths.log) / "assist.log").read_text()
    assert "Pipeline loaded" in file_text and "Matcher built" not in file_text
    assert "Chatty library detail" not in file_text
    assert stream.getvalue().count("\n") == 1 and "Model missing" in stream.getvalue()

    stream = io.StringIO()
    logs.setup(paths, stream=stream, debug=True)
    log.debug("Matcher built")
    assert "Matcher built" in stream.getvalue()
    assert "Matcher built" in (Path(paths.log) / "assist.log").read_text()


def test_setup_twice_does_not_double_lines(paths):
    stream = io.StringIO()
    logs.setup(paths, stream=stream, to_file=False)
    logs.setup(paths, stream=stream, to_file=False)
    logging.getLogger("assist").warning("Once")
    assert stream.getvalue().count("Once") == 1


def test_the_file_rotates_and_keeps_a_bounded_history(paths, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    logs.setup(paths, stream=io.StringIO())
    for number in range(400):
        logging.getLogger("assist.core").info("Analysed message number %d", number)
    files = sorted(path.name for path in Path(paths.log).glob("assist.log*"))
    assert files == ["assist.log"] + [f"assist.log.{n}" for n in range(1, logs.BACKUPS + 1)]
    assert all((Path(paths.log) / name).stat().st_size <= 2_000 for name in files)
    assert "number 399" in (Path(paths.log) / "assist.log").read_text()


def test_a_log_folder_that_cannot_be_made_costs_the_file_not_the_start(tmp_path):
    (tmp_path / "blocked").write_text("a file where the log folder should be")
    paths = Paths.for_basedir(tmp_path / "blocked")
    stream = io.StringIO()
    assert logs.setup(paths, stream=stream) is None
    assert "Logging to the console only" in stream.getvalue()


def is_structured_event(call, template):
    """`log.info(name, extra={"event": name, ...})`: the formatter checks the name itself."""
    for keyword in call.keywords:
        if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values):
                if (isinstance(key, ast.Constant) and key.value == "event"
                        and ast.dump(value) == ast.dump(template)):
                    return True
    return False


LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


def test_every_log_call_in_the_package_uses_a_literal_template():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            receiver_name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
            if "log" not in receiver_name.lower():
                continue
            if node.func.attr in LOG_METHODS:
                template = node.args[0] if node.args else None
            elif node.func.attr == "log":
                template = node.args[1] if len(node.args) > 1 else None
            else:
                continue
            if is_structured_event(node, template):
                continue
            if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not offenders, "log calls must use a literal template (values as arguments): " + ", ".join(offenders)
