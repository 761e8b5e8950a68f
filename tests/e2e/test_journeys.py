"""The agent's journey with the real app (`python -m assist`) driving real targets.

A customer message appears in the chat page's message list (or is selected in an editor and the
"analyse selection" hotkey is pressed) -> the overlay analyses it; the agent types a draft with
xdotool -> the missing acknowledgment is flagged; the agent clicks suggestion 1 (a real mouse click
on the overlay) or presses Ctrl+Alt+1 -> the phrase is in the target at the cursor, read back from
the application itself; nothing sent, focus still in the target, the clipboard restored.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assist.core.labels import NEGATIVE_EMOTIONS

from desktop import wait_for
from test_insert_paste import png_bytes

ROOT = Path(__file__).resolve().parents[2]
DRAFT = "Let me check your order."


class AssistApp:
    """The real app as a subprocess, its JSON log lines collected as they come."""

    def __init__(self, desktop, basedir: Path):
        self.desktop = desktop
        self.basedir = basedir
        self.events: list[dict] = []
        self.other_lines: list[str] = []
        env = dict(desktop.env, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "assist", "--basedir", str(basedir), "--json-logging"],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            try:
                self.events.append(json.loads(line))
            except ValueError:
                self.other_lines.append(line.rstrip())

    def wait(self, name: str, predicate=lambda e: True, timeout: float = 20.0, after: int = 0) -> dict:
        def find():
            return next((e for e in self.events[after:] if e.get("event") == name and predicate(e)), None)
        try:
            return wait_for(find, timeout=timeout, what=f"the app's {name!r} event")
        except TimeoutError:
            seen = [(e.get("event"), e.get("name"), e.get("message", "")[:60]) for e in self.events[after:] if e.get("event") not in ("hotkey",)][-12:]
            raise AssertionError(f"no {name!r} event; last events: {seen}; other output: {self.other_lines[-5:]}")

    def errors(self) -> list[str]:
        return [f"{e.get('name')}: {e.get('message')}" for e in self.events
                if e.get("levelname") in ("ERROR", "CRITICAL")] + \
               [line for line in self.other_lines if any(w in line for w in ("Traceback", "Error", "ERROR"))]

    def leaks(self, secrets) -> list[str]:
        """Where any of the chat's words ended up: the app's log lines or a file it wrote."""
        found = [f"log line: {s!r}" for s in secrets
                 if any(s in line for line in self.other_lines) or any(s in json.dumps(e, ensure_ascii=False)
                                                                     for e in self.events)]
        for path in (p for p in self.basedir.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{path.relative_to(self.basedir)}: {s!r}" for s in secrets if s.encode() in data]
        return found

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._reader.join(5)
        return self.proc.returncode


# What the customers and the agent wrote in these journeys: none of it may reach a log or a file.
CHAT_WORDS = ("third time I'm asking", "really frustrated", "charged twice and nobody", "This is unacceptable",
              "deleted all my invoices", "deadline today", DRAFT, "hunter2")


@pytest.fixture
def assist_app(desktop, tmp_path):
    apps = []

    def start() -> AssistApp:
        app = AssistApp(desktop, tmp_path / f"base{len(apps)}")
        apps.append(app)
        app.wait("ready", timeout=60)
        return app
    yield start
    for app in apps:
        app.stop()
        assert app.errors() == [], "the app logged errors"
        assert app.leaks(CHAT_WORDS) == [], "chat text was logged or written to disk"


LAYOUT_EVENTS = ("analysis", "suggestions", "overlay")


def settled_layout(app: AssistApp, quiet: float = 0.6, timeout: float = 10.0) -> None:
    """Wait until the overlay has gone `quiet` seconds without a new analysis or layout: on a busy
    machine a later analysis can still move the buttons after the event the test waited for."""
    deadline = time.monotonic() + timeout
    seen = -1
    while time.monotonic() < deadline:
        count = sum(1 for e in app.events if e.get("event") in LAYOUT_EVENTS)
        if count == seen:
            return
        seen = count
        time.sleep(quiet)


def click_suggestion(desktop, app: AssistApp, number: int, after: int) -> None:
    app.wait("suggestions", lambda e: len(e.get("buttons", [])) >= number, after=after)
    settled_layout(app)
    buttons = [e for e in app.events if e.get("event") == "suggestions" and e.get("buttons")][-1]["buttons"]
    button = next(b for b in buttons if b["name"] == f"suggestion-{number}")
    desktop.xdotool("mousemove", int(button["x"] + button["w"] / 2), int(button["y"] + button["h"] / 2),
                    "click", "1")


def inserted_part(before: str, after: str) -> str:
    assert after.startswith(before), f"the draft was changed, not extended: {after!r}"
    return after[len(before):]


def test_journey_chat_page_message_list_then_click_on_suggestion(desktop, chat_page, assist_app):
    chat_page.reset("")
    desktop.activate(chat_page.window_id)
    app = assist_app()
    message = app.wait("customer_message", lambda e: e.get("source") == "atspi-log")
    assert message["chars"] == len("This is the third time I'm asking and my order still hasn't arrived. "
                                   "I'm really frustrated.")
    first = app.wait("analysis", lambda e: e.get("needs_acknowledgment"))
    assert first["emotion"] in NEGATIVE_EMOTIONS
    desktop.activate(chat_page.window_id)
    mark = len(app.events)
    desktop.type(DRAFT)
    app.wait("analysis", lambda e: e.get("has_draft") and e.get("missing_acknowledgment"), after=mark)
    clip_image = png_bytes(64, 48)
    desktop.clipboard_own(clip_image, "image/png")
    mark = len(app.events)
    click_suggestion(desktop, app, 1, after=0)
    done = app.wait("insert", after=mark)
    assert done["ok"] is True and done["via"] == "click", done
    assert done["method"] == "paste"
    phrase = inserted_part(DRAFT, wait_for(lambda: (v := chat_page.draft()) != DRAFT and v, what="the phrase"))
    assert phrase.strip() and "{" not in phrase
    assert phrase.startswith(" ") and phrase[1].isupper()  # fitted after the sentence end
    assert chat_page.sent() == []
    assert desktop.active_window() == chat_page.window_id
    assert desktop.clipboard_get("image/png") == clip_image
    # the acknowledgment is now in the draft: the warning goes away
    app.wait("analysis", lambda e: e.get("has_draft") and e.get("acknowledged"), after=mark)
    # a password field on the page: focus there is not watched and nothing typed there is analysed
    mark = len(app.events)
    chat_page.eval("document.getElementById('pin').focus(); true")
    app.wait("focus", lambda e: e.get("watched") is False, after=mark)
    typed_at = len(app.events)
    desktop.type("hunter2-Zq9")
    assert chat_page.eval("document.getElementById('pin').value") == "hunter2-Zq9"
    time.sleep(0.5)  # the typed draft is analysed within ~50 ms (debounce 120 ms): give it the chance to fail
    assert not any(e.get("event") == "analysis" and e.get("reason") == "draft"
                   for e in app.events[typed_at:]), "typing in the password field was analysed"
    chat_page.eval("document.getElementById('draft').focus(); true")
    app.wait("focus", lambda e: e.get("watched") is True, after=typed_at)
    assert not any("hunter2" in json.dumps(e) for e in app.events)


def test_journey_editor_selection_hotkey_then_ctrl_alt_1(desktop, mousepad, assist_app):
    customer = mousepad("I was charged twice and nobody answers my emails. This is unacceptable!\n",
                        name="customer.txt")
    desktop.key("ctrl+a")  # selecting the customer's message is enough on X11 ...
    app = assist_app()
    desktop.activate(customer.window_id)
    mark = len(app.events)
    desktop.key("ctrl+alt+a")  # ... with the "analyse selection" hotkey
    app.wait("customer_message", lambda e: e.get("source") == "selection-hotkey", after=mark)
    app.wait("analysis", lambda e: e.get("needs_acknowledgment"), after=mark)
    reply = mousepad("", name="reply.txt")
    mark = len(app.events)
    desktop.type(DRAFT)
    app.wait("analysis", lambda e: e.get("has_draft") and e.get("missing_acknowledgment"), after=mark)
    desktop.clipboard_own("the agent's clipboard — ✓".encode(), "UTF8_STRING")
    mark = len(app.events)
    desktop.key("ctrl+alt+1")
    done = app.wait("insert", after=mark)
    assert done["ok"] is True and done["via"] == "hotkey", done
    saved = reply.save_and_read("")
    phrase = inserted_part(DRAFT, saved)
    assert phrase.strip() and "{" not in phrase and "\x00" not in phrase
    assert desktop.active_window() == reply.window_id
    assert desktop.clipboard_get("UTF8_STRING").decode() == "the agent's clipboard — ✓"
    assert customer.path.read_text() == "I was charged twice and nobody answers my emails. This is unacceptable!\n"


def test_journey_chat_page_ctrl_alt_1(desktop, chat_page, assist_app):
    chat_page.reset("")
    desktop.activate(chat_page.window_id)
    app = assist_app()
    app.wait("analysis", lambda e: e.get("needs_acknowledgment"))
    desktop.activate(chat_page.window_id)
    mark = len(app.events)
    desktop.type(DRAFT)
    app.wait("analysis", lambda e: e.get("has_draft") and e.get("missing_acknowledgment"), after=mark)
    desktop.clipboard_own("kept ✓".encode(), "UTF8_STRING")
    mark = len(app.events)
    desktop.key("ctrl+alt+1")
    done = app.wait("insert", after=mark)
    assert done["ok"] is True and done["via"] == "hotkey", done
    phrase = inserted_part(DRAFT, wait_for(lambda: (v := chat_page.draft()) != DRAFT and v, what="the phrase"))
    assert phrase.strip() and "{" not in phrase
    assert chat_page.sent() == []
    assert desktop.active_window() == chat_page.window_id
    assert desktop.clipboard_get("UTF8_STRING").decode() == "kept ✓"


def test_journey_editor_click_on_suggestion(desktop, mousepad, assist_app):
    customer = mousepad("Your app deleted all my invoices and I have a deadline today!!\n", name="customer.txt")
    desktop.key("ctrl+a")
    app = assist_app()
    desktop.activate(customer.window_id)
    desktop.key("ctrl+alt+a")
    app.wait("analysis", lambda e: e.get("needs_acknowledgment"))
    reply = mousepad("", name="reply.txt")
    mark = len(app.events)
    desktop.type(DRAFT)
    app.wait("analysis", lambda e: e.get("has_draft") and e.get("missing_acknowledgment"), after=mark)
    image = png_bytes(32, 32, seed=3)
    desktop.clipboard_own(image, "image/png")
    mark = len(app.events)
    time.sleep(0.3)  # the overlay lays out this analysis's suggestions
    click_suggestion(desktop, app, 1, after=mark - 1 if mark else 0)
    done = app.wait("insert", after=mark)
    assert done["ok"] is True and done["via"] == "click", done
    phrase = inserted_part(DRAFT, reply.save_and_read(""))
    assert phrase.strip() and "{" not in phrase
    assert desktop.active_window() == reply.window_id
    assert desktop.clipboard_get("image/png") == image
