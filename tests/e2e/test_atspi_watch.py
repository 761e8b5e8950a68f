"""Seeing the chat through AT-SPI on real applications: the draft as the agent types it, the
customer's latest message from the page's message list, and never a password field."""

from __future__ import annotations

import json
import os
import queue

import pytest

from assist.config.options import DEFAULT_ALLOWED_APPS
from assist.platform import atspi
from assist.platform.atspi_process import AtspiProcessWatcher
from assist.platform.base import CustomerMessage, DraftChanged, FocusChanged
from assist.platform.inserter import AutoInserter
from assist.platform.x11 import X11FocusInfo

from desktop import wait_for

SECRET = "hunter2-Zq9"


@pytest.fixture(params=["thread", "process"])
def watcher(desktop, request):
    """The watcher on a thread of this process, and in its helper process (what the app uses)."""
    reason = atspi.load()
    if reason:
        pytest.skip(reason)
    focus = X11FocusInfo(os.environ["DISPLAY"])
    events: queue.Queue = queue.Queue()
    if request.param == "thread":
        watch = atspi.AtspiWatcher(DEFAULT_ALLOWED_APPS, focus)
    else:
        watch = AtspiProcessWatcher(DEFAULT_ALLOWED_APPS)
    watch.events = events
    watch.start(events.put)
    yield watch
    watch.stop()
    focus.close()


def drain(events: queue.Queue) -> list:
    out = []
    while True:
        try:
            out.append(events.get_nowait())
        except queue.Empty:
            return out


def wait_event(watch, predicate, timeout=10.0, seen=None):
    seen = seen if seen is not None else []

    def check():
        seen.extend(drain(watch.events))
        return next((e for e in seen if predicate(e)), None)
    try:
        return wait_for(check, timeout=timeout, what="an AT-SPI event")
    except TimeoutError:
        raise AssertionError(f"expected event not seen; saw {len(seen)}: "
                             f"{[type(e).__name__ for e in seen]} drafts={[len(getattr(e, 'text', '')) for e in seen]}")


def test_draft_follows_typing_in_chat_page_and_customer_message_is_read(desktop, chat_page, watcher):
    chat_page.reset("")
    desktop.xdotool("mousemove", "--window", chat_page.window_id, 300, 640)
    seen: list = []
    text = "Hello, I see the order"
    desktop.type(text)
    wait_event(watcher, lambda e: isinstance(e, DraftChanged) and e.text == text, seen=seen)
    drafts = [e.text for e in seen if isinstance(e, DraftChanged)]
    assert len(drafts) >= 3, "the draft should be seen while it is typed, not only at the end"
    assert all(text.startswith(d) for d in drafts if d)
    assert all(e.source == "atspi" for e in seen if isinstance(e, DraftChanged))
    customer = wait_event(watcher, lambda e: isinstance(e, CustomerMessage), seen=seen)
    assert customer.text == ("This is the third time I'm asking and my order still hasn't arrived. "
                             "I'm really frustrated.")
    assert customer.source == "atspi-log"
    focus = next(e for e in seen if isinstance(e, FocusChanged))
    assert focus.watched and focus.window.window_id == chat_page.window_id


def test_new_customer_message_in_the_log_is_seen(desktop, chat_page, watcher):
    chat_page.reset("")
    desktop.type("ok")
    wait_event(watcher, lambda e: isinstance(e, DraftChanged) and e.text == "ok")
    chat_page.eval("addMessage('customer', 'Where is my refund? Nobody answers!'); true")
    message = wait_event(watcher, lambda e: isinstance(e, CustomerMessage)
                         and e.text == "Where is my refund? Nobody answers!")
    assert message.window.window_id == chat_page.window_id


def test_password_field_is_never_read(desktop, chat_page, watcher):
    chat_page.reset("")
    desktop.type("x")
    wait_event(watcher, lambda e: isinstance(e, DraftChanged) and e.text == "x")
    chat_page.eval("document.getElementById('pin').focus(); true")
    unwatched = wait_event(watcher, lambda e: isinstance(e, FocusChanged) and not e.watched)
    assert unwatched.window.window_id == chat_page.window_id
    desktop.type(SECRET)
    assert chat_page.eval("document.getElementById('pin').value") == SECRET
    chat_page.eval("document.getElementById('draft').focus(); true")
    desktop.type("y")
    seen: list = []
    wait_event(watcher, lambda e: isinstance(e, DraftChanged) and e.text == "xy", seen=seen)
    for event in seen:
        assert SECRET not in repr(event)
    assert watcher.text_around_caret() == ("xy", "")
    # the caret context and insertion refuse a password field
    chat_page.eval("document.getElementById('pin').focus(); true")
    wait_event(watcher, lambda e: isinstance(e, FocusChanged) and not e.watched)
    assert watcher.text_around_caret() is None
    assert not watcher.can_insert(None)


def test_draft_in_mousepad_and_caret_context(desktop, mousepad, watcher):
    pad = mousepad("")
    desktop.type("Thanks for waiting")
    event = wait_event(watcher, lambda e: isinstance(e, DraftChanged) and e.text == "Thanks for waiting")
    assert event.window.window_id == pad.window_id
    desktop.key("Left", "Left", "Left")
    wait_for(lambda: watcher.text_around_caret() == ("Thanks for wait", "ing"), what="the caret")


def test_atspi_insertion_is_exact_in_mousepad(desktop, mousepad, watcher):
    pad = mousepad("Hi , bye\n")
    wait_for(lambda: watcher.text_around_caret() is not None, what="AT-SPI to see the editor")
    desktop.key("ctrl+Home", "Right", "Right", "Right")
    wait_for(lambda: watcher.text_around_caret() == ("Hi ", ", bye\n"), what="AT-SPI to follow the caret")
    focus = X11FocusInfo(os.environ["DISPLAY"])
    inserter = AutoInserter(focus, None, None, accessible=watcher)
    result = inserter.insert("Zoë — 😊 שלום", focus.active_window(), fit=False)
    focus.close()
    assert result.ok and result.method == "atspi", result.reason
    assert pad.save_and_read("Hi , bye\n") == "Hi Zoë — 😊 שלום, bye\n"


def test_the_active_window_says_where_it_is_on_screen(desktop, mousepad):
    pad = mousepad("geometry\n")
    focus = X11FocusInfo(os.environ["DISPLAY"])
    window = focus.active_window()
    focus.close()
    assert window.window_id == pad.window_id
    # xwininfo's absolute position of the client area (xdotool's getwindowgeometry counts the
    # window manager's frame twice under a reparenting window manager).
    info = desktop.run(["xwininfo", "-id", str(pad.window_id)]).stdout
    fields = dict(line.strip().split(":", 1) for line in info.splitlines() if ":" in line)
    expected = tuple(int(fields[key]) for key in ("Absolute upper-left X", "Absolute upper-left Y", "Width", "Height"))
    assert window.geometry == expected


def test_chromium_textarea_offers_no_atspi_insertion_so_auto_pastes(desktop, chat_page, watcher):
    # Chromium exposes Text but not EditableText on Linux: the auto inserter must not pick AT-SPI
    chat_page.reset("ab")
    wait_for(lambda: watcher.text_around_caret() == ("ab", ""), what="AT-SPI to see the draft")
    assert not watcher.can_insert(None)


def test_phrase_fits_the_text_before_the_cursor(desktop, chat_page, watcher):
    from assist.platform.keys import InjectionGuard
    from assist.platform.x11 import X11KeySender
    from assist.platform.x11_clipboard import X11Clipboard

    chat_page.reset("thanks for the details")
    wait_for(lambda: watcher.text_around_caret() == ("thanks for the details", ""), what="the draft")
    display = os.environ["DISPLAY"]
    focus, clipboard, keys = X11FocusInfo(display), X11Clipboard(display), X11KeySender(display, InjectionGuard())
    try:
        result = AutoInserter(focus, clipboard, keys, context=watcher).insert(
            "I understand how frustrating this is.", focus.active_window())
    finally:
        clipboard.close(), keys.close(), focus.close()
    assert result.ok, result.reason
    assert chat_page.draft() == "thanks for the details I understand how frustrating this is."


def test_input_focused_before_the_watcher_started_is_seen(desktop, chat_page):
    """The app starts while the agent is already in the chat box: no focus event will come."""
    chat_page.reset("Hello")
    wait_for(lambda: chat_page.eval("document.activeElement.id") == "draft", what="the focused draft")
    events: queue.Queue = queue.Queue()
    watch = AtspiProcessWatcher(DEFAULT_ALLOWED_APPS)
    watch.events = events
    watch.start(events.put)
    seen: list = []
    try:
        wait_event(watch, lambda e: isinstance(e, DraftChanged) and e.text == "Hello", seen=seen)
        wait_event(watch, lambda e: isinstance(e, CustomerMessage) and "third time" in e.text, seen=seen)
    finally:
        watch.stop()


def test_an_application_not_on_the_allow_list_is_not_read(desktop, chat_page):
    events: queue.Queue = queue.Queue()
    watch = AtspiProcessWatcher(["slack", "teams"])
    watch.events = events
    seen: list = []
    watch.start(events.put)
    try:
        chat_page.reset("")
        desktop.type("private note")
        focus = wait_event(watch, lambda e: isinstance(e, FocusChanged), seen=seen)
        assert focus.watched is False and focus.window.window_id == chat_page.window_id
        wait_for(lambda: chat_page.draft() == "private note", what="the typing")
        seen.extend(drain(events))
        assert not any(isinstance(e, (DraftChanged, CustomerMessage)) for e in seen)
        assert watch.text_around_caret() is None
    finally:
        watch.stop()


def test_a_dead_helper_is_started_again_and_says_so(desktop, chat_page):
    from assist.platform.base import BackendWarning

    events: queue.Queue = queue.Queue()
    watch = AtspiProcessWatcher(DEFAULT_ALLOWED_APPS)
    watch.events = events
    seen: list = []
    watch.start(events.put)
    try:
        chat_page.reset("")
        desktop.type("a")
        wait_event(watch, lambda e: isinstance(e, DraftChanged) and e.text == "a", seen=seen)
        first = watch._proc
        first.kill()  # the helper dies (a crash in a toolkit's accessibility code, say)
        warning = wait_event(watch, lambda e: isinstance(e, BackendWarning), seen=seen)
        assert "started it again" in warning.reason
        wait_for(lambda: watch._proc is not first and watch.alive, what="a new helper")
        desktop.type("b")
        wait_event(watch, lambda e: isinstance(e, DraftChanged) and e.text == "ab", seen=seen)
    finally:
        watch.stop()


def test_a_plain_list_of_messages_gives_the_customers_latest(desktop, chat_page):
    from pathlib import Path

    page = Path(__file__).parent / "pages" / "chat_list.html"
    chat_page.eval(f"location.href = {json.dumps(page.as_uri())}; true")
    wait_for(lambda: chat_page.eval("document.title") == "Help desk"
             and chat_page.eval("document.readyState") == "complete", what="the list page")
    window = wait_for(lambda: (desktop.find_windows("--onlyvisible", "--name", "Help desk") or [None])[-1],
                      what="the window title")
    desktop.activate(window)
    chat_page.eval("document.getElementById('draft').focus(); true")
    events: queue.Queue = queue.Queue()
    watch = AtspiProcessWatcher(DEFAULT_ALLOWED_APPS)
    watch.events = events
    watch.start(events.put)
    try:
        desktop.type("Hi")
        message = wait_event(watch, lambda e: isinstance(e, CustomerMessage))
        assert message.text == "It has been a week and I'm still waiting, this is ridiculous."
    finally:
        watch.stop()
        chat_page.eval(f"location.href = {json.dumps((Path(__file__).parent / 'pages' / 'chat.html').as_uri())}; true")
        wait_for(lambda: chat_page.eval("document.title") == "Support chat", what="the chat page back")
