"""AutoInserter against a fake desktop: the production insertion logic, without X."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from assist.platform.fake import FakeDesktop, FakeFocusInfo, fake_inserter
from assist.platform.profiles import AppProfile, ProfileBook


def desktop_with_chat(text="Hello world", cursor=6):
    desktop = FakeDesktop()
    chat = desktop.open(1, app_name="slack", text=text)
    chat.cursor = cursor
    desktop.clipboard.formats = {"image/png": b"\x89PNG...", "text/plain;charset=utf-8": b"mine"}
    return desktop, chat


def test_paste_inserts_at_cursor_and_restores_every_clipboard_format():
    desktop, chat = desktop_with_chat()
    before = dict(desktop.clipboard.formats)
    result = fake_inserter(desktop).insert("Ça va? 😊 ", chat.info)
    assert result.ok and result.method == "paste"
    assert chat.text == "Hello Ça va? 😊 world"
    assert desktop.clipboard.formats == before
    assert chat.sent == []


def test_focus_moved_before_insertion_inserts_nothing_and_says_where():
    desktop, chat = desktop_with_chat()
    other = desktop.open(2, app_name="terminal", title="Terminal", text="$ ")
    result = fake_inserter(desktop).insert("Sorry!", chat.info)
    assert not result.ok
    assert result.reason == "focus moved to Terminal; nothing inserted"
    assert chat.text == "Hello world" and other.text == "$ "
    assert desktop.log == []  # not a single key was pressed


def test_focus_moving_between_clipboard_and_paste_key_inserts_nothing():
    desktop, chat = desktop_with_chat()
    desktop.open(2, app_name="terminal", title="Terminal")
    desktop.focus(1)
    inserter = fake_inserter(desktop)
    calls = {"n": 0}

    def move_focus_on_second_look():
        calls["n"] += 1
        if calls["n"] == 2:  # the first look is the start check; the second is just before the key
            desktop.focus(2)
    inserter.focus.before_answer = move_focus_on_second_look
    before = dict(desktop.clipboard.formats)
    result = inserter.insert("Sorry!", chat.info)
    assert not result.ok and "nothing inserted" in result.reason
    assert chat.text == "Hello world"
    assert desktop.windows[2].text == ""
    assert desktop.clipboard.formats == before  # restored even when refusing


def test_multi_line_phrase_is_one_paste_block_and_never_sends():
    desktop, chat = desktop_with_chat("", 0)
    result = fake_inserter(desktop).insert("Line one\nLine two\r\nLine three", chat.info)
    assert result.ok
    assert chat.text == "Line one\nLine two\nLine three"
    assert chat.sent == []
    assert "Return" not in " ".join(desktop.log)


def test_newline_as_shift_enter_profile():
    desktop, chat = desktop_with_chat("", 0)
    book = ProfileBook(custom=(AppProfile("slack", ("slack",), newline="shift+enter"),))
    result = fake_inserter(desktop, book).insert("a\nb", chat.info)
    assert result.ok and chat.text == "a\nb" and chat.sent == []
    assert desktop.log == ["ctrl+v", "shift+Return", "ctrl+v"]


def test_typing_profile_types_lines_with_shift_enter():
    desktop, chat = desktop_with_chat("", 0)
    book = ProfileBook(custom=(AppProfile("slack", ("slack",), method="type"),))
    before = dict(desktop.clipboard.formats)
    result = fake_inserter(desktop, book).insert("Hi\nthere", chat.info)
    assert result.ok and result.method == "type"
    assert chat.text == "Hi\nthere" and chat.sent == []
    assert desktop.clipboard.formats == before and desktop.clipboard.restores == 0


def test_paste_not_taken_is_reported_and_clipboard_restored():
    desktop, chat = desktop_with_chat()
    chat.blocks_paste = True
    book = ProfileBook(custom=(AppProfile("slack", ("slack",), paste_timeout_ms=20),))
    before = dict(desktop.clipboard.formats)
    result = fake_inserter(desktop, book).insert("x", chat.info)
    assert not result.ok and "did not take the paste" in result.reason
    assert desktop.clipboard.formats == before


@pytest.mark.parametrize("text", ["", None])
def test_nothing_to_insert(text):
    desktop, chat = desktop_with_chat()
    assert fake_inserter(desktop).insert(text, chat.info).reason == "nothing to insert"


def test_no_target_means_the_focused_window():
    desktop, chat = desktop_with_chat("", 0)
    assert fake_inserter(desktop).insert("ok", None).ok
    assert chat.text == "ok"


def test_no_window_focused():
    desktop = FakeDesktop()
    result = fake_inserter(desktop).insert("ok", None)
    assert not result.ok and result.reason == "no window has the keyboard focus"


class Context:
    def __init__(self, before, after=""):
        self.value = (before, after)

    def text_around_caret(self):
        return self.value


def test_phrase_fits_the_text_around_the_cursor():
    desktop, chat = desktop_with_chat("thanks for that", 15)
    inserter = fake_inserter(desktop, context=Context("thanks for that"))
    assert inserter.insert("I understand.", chat.info).ok
    assert chat.text == "thanks for that I understand."


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(lambda s: s.strip("\r") != ""),
       st.text(max_size=30), st.integers(min_value=0, max_value=30))
def test_any_unicode_lands_exactly_at_the_cursor(phrase, existing, cursor):
    cursor = min(cursor, len(existing))
    desktop = FakeDesktop()
    chat = desktop.open(1, app_name="chromium", text=existing)
    chat.cursor = cursor
    desktop.clipboard.formats = {"image/png": b"img"}
    result = fake_inserter(desktop).insert(phrase, chat.info, fit=False)
    expected = phrase.replace("\r\n", "\n").replace("\r", "\n")
    assert result.ok
    assert chat.text == existing[:cursor] + expected + existing[cursor:]
    assert chat.sent == []
    assert desktop.clipboard.formats == {"image/png": b"img"}


def test_a_failing_backend_is_a_reason_not_an_exception():
    desktop, chat = desktop_with_chat()

    def broken_save():
        raise OSError("X connection lost")
    desktop.clipboard.save = broken_save
    result = fake_inserter(desktop).insert("hello", chat.info)
    assert not result.ok and "X connection lost" in result.reason
    assert chat.text == "Hello world"
