"""Pasting a phrase into real applications: exact text at the cursor, the clipboard restored,
nothing sent early, nothing inserted when the focus moved away."""

from __future__ import annotations

import os
import random
import struct
import zlib

import pytest

from assist.platform.inserter import AutoInserter
from assist.platform.keys import InjectionGuard
from assist.platform.profiles import AppProfile, ProfileBook
from assist.platform.x11 import X11FocusInfo, X11KeySender
from assist.platform.x11_clipboard import X11Clipboard

PHRASE = "I’m so sorry — café crème 😊 مرحبا, Łódź! "


def png_bytes(width: int, height: int, seed: int = 7) -> bytes:
    """A real PNG of noise (incompressible, so a big one travels in INCR chunks)."""
    rnd = random.Random(seed)
    raw = b"".join(b"\x00" + bytes(rnd.getrandbits(8) for _ in range(width * 3)) for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


@pytest.fixture
def x11(desktop):
    display = os.environ["DISPLAY"]
    focus = X11FocusInfo(display)
    clipboard = X11Clipboard(display)
    keys = X11KeySender(display, InjectionGuard())
    yield focus, clipboard, keys
    clipboard.close()
    keys.close()
    focus.close()


def make_inserter(x11, **profile):
    focus, clipboard, keys = x11
    book = ProfileBook(custom=(AppProfile(name="test", match=("mousepad", "chromium"), **profile),)) \
        if profile else ProfileBook()
    return AutoInserter(focus, clipboard, keys, profiles=book)


def test_paste_into_mousepad_mid_text_exact_and_clipboard_text_restored(desktop, mousepad, x11):
    pad = mousepad("Hello world\nsecond line\n")
    desktop.key("ctrl+Home", *["Right"] * 6)  # the cursor between "Hello " and "world"
    clip = desktop.clipboard_own("the agent's own copied text ✂".encode(), "UTF8_STRING")
    target = x11[0].active_window()
    assert target.window_id == pad.window_id and target.app_name == "mousepad"

    result = make_inserter(x11).insert(PHRASE, target)

    assert result.ok, result.reason
    assert result.method == "paste"
    saved = pad.save_and_read("Hello world\nsecond line\n")
    assert saved == "Hello " + PHRASE + "world\nsecond line\n"
    assert desktop.active_window() == pad.window_id
    assert desktop.clipboard_get("UTF8_STRING").decode() == "the agent's own copied text ✂"
    clip.wait(2)  # xclip lost the selection to us; we now serve its content


def test_paste_restores_a_big_image_on_the_clipboard(desktop, mousepad, x11):
    pad = mousepad("abc\n")
    desktop.key("ctrl+Home", "Right")
    image = png_bytes(420, 420)  # ~530 kB: more than one X request, so INCR both ways
    assert len(image) > 300_000
    desktop.clipboard_own(image, "image/png")

    result = make_inserter(x11).insert("ünïcödé ✓", x11[0].active_window())

    assert result.ok, result.reason
    assert pad.save_and_read("abc\n") == "aünïcödé ✓bc\n"
    assert "image/png" in desktop.clipboard_targets()
    assert desktop.clipboard_get("image/png") == image


def test_paste_restores_every_format_a_gtk_application_offered(desktop, mousepad, x11):
    source = mousepad("copied from an editor – ½ price\n", name="source.txt")
    desktop.key("ctrl+Home", "shift+End", "ctrl+c")
    before_targets = set(desktop.clipboard_targets())
    assert "UTF8_STRING" in before_targets
    before = {t: desktop.clipboard_get(t) for t in before_targets if t not in ("TARGETS", "TIMESTAMP", "MULTIPLE", "SAVE_TARGETS")}
    pad = mousepad("xy\n")
    desktop.key("ctrl+End")

    assert make_inserter(x11).insert("¡Hola! ", x11[0].active_window()).ok
    assert pad.save_and_read("xy\n") == "xy\n¡Hola! "
    source.close()  # the original owner is gone: what is on the clipboard now is our copy
    after_targets = set(desktop.clipboard_targets())
    assert set(before) <= after_targets
    for target, data in before.items():
        assert desktop.clipboard_get(target) == data, target


def test_paste_into_chat_page_mid_text_sends_nothing(desktop, chat_page, x11):
    chat_page.reset("Dear customer, thanks.", caret=15)
    clip = desktop.clipboard_own(b"agent clipboard", "UTF8_STRING")
    phrase = "I understand how\nfrustrating this is — désolé 🙏\n"

    result = make_inserter(x11).insert(phrase, x11[0].active_window())

    assert result.ok, result.reason
    assert chat_page.draft() == "Dear customer, " + phrase + "thanks."
    assert chat_page.sent() == []
    assert desktop.active_window() == chat_page.window_id
    assert desktop.clipboard_get("UTF8_STRING") == b"agent clipboard"
    clip.wait(2)


def test_newline_as_shift_enter_in_chat_page_sends_nothing(desktop, chat_page, x11):
    chat_page.reset("")
    result = make_inserter(x11, newline="shift+enter").insert("First line\nsecond line ✓", x11[0].active_window())
    assert result.ok, result.reason
    assert chat_page.draft() == "First line\nsecond line ✓"
    assert chat_page.sent() == []


def test_typing_fallback_in_chat_page_keeps_ascii_exact_and_sends_nothing(desktop, chat_page, x11):
    chat_page.reset("ab", caret=1)
    result = make_inserter(x11, method="type").insert("Thanks for waiting.\nWe are on it.", x11[0].active_window())
    assert result.ok and result.method == "type"
    assert chat_page.draft() == "aThanks for waiting.\nWe are on it.b"
    assert chat_page.sent() == []


def test_focus_moved_before_insertion_inserts_nothing_anywhere(desktop, mousepad, chat_page, x11):
    chat_page.reset("draft in the chat")
    pad = mousepad("editor text\n")
    target = x11[0].active_window()
    assert target.window_id == pad.window_id
    clip = desktop.clipboard_own(b"keep me", "UTF8_STRING")
    desktop.activate(chat_page.window_id)  # the agent moved on just before the click landed

    result = make_inserter(x11).insert("Sorry about that!", target)

    assert not result.ok
    assert "focus moved" in result.reason
    assert chat_page.draft() == "draft in the chat"
    assert chat_page.sent() == []
    desktop.activate(pad.window_id)
    desktop.key("ctrl+s")
    assert pad.path.read_text() == "editor text\n"
    assert desktop.clipboard_get("UTF8_STRING") == b"keep me"
    clip.terminate()


TRICKY = [
    "e\u0301 combining accent, ﬁ ligature, ß",
    "👩‍👩‍👧‍👦 family ZWJ, 🏳️‍🌈 flag, 👍🏽 skin tone",
    "שלום עולם with English inside, مرحبا بالعالم 123",
    "日本語のテキスト、中文，한국어",
    "tab\there, zero\u200bwidth, nbsp\u00a0space, trailing   ",
    "x" * 3000 + " long phrase end",
]


def test_tricky_unicode_pastes_exactly_into_the_chat_page(desktop, chat_page, x11):
    inserter = make_inserter(x11)
    for text in TRICKY:
        chat_page.reset("[]", caret=1)
        result = inserter.insert(text, x11[0].active_window(), fit=False)
        assert result.ok, result.reason
        assert chat_page.draft() == "[" + text + "]"
    assert chat_page.sent() == []


def test_an_empty_clipboard_is_left_empty(desktop, chat_page, x11):
    from Xlib import X, display as xdisplay

    chat_page.reset("")
    x11[1].restore(x11[1].save().__class__())  # nobody owns the clipboard now
    conn = xdisplay.Display(os.environ["DISPLAY"])
    clipboard_atom = conn.intern_atom("CLIPBOARD")
    assert conn.get_selection_owner(clipboard_atom) == X.NONE
    assert make_inserter(x11).insert("ok", x11[0].active_window()).ok
    assert chat_page.draft() == "ok"
    assert conn.get_selection_owner(clipboard_atom) == X.NONE
    conn.close()


MANAGER = """
import sys, time
from Xlib import X, display
from Xlib.protocol import event as xevent
sys.path.insert(0, sys.argv[1])
from assist.platform.x11_clipboard import X11Clipboard, _SelectionReader
# A minimal ICCCM clipboard manager: on SAVE_TARGETS it copies every target of the clipboard and
# takes the clipboard over (what xfce4-clipman or klipper do).
d = display.Display()
win = d.screen().root.create_window(0, 0, 1, 1, 0, X.CopyFromParent)
manager = d.intern_atom("CLIPBOARD_MANAGER")
win.set_selection_owner(manager, X.CurrentTime)
d.sync()
print("managing", flush=True)
keeper = X11Clipboard()
while True:
    ev = d.next_event()
    if ev.type == X.SelectionRequest and ev.target == d.intern_atom("SAVE_TARGETS"):
        saved = keeper.save()
        keeper.restore(saved)
        ev.requestor.change_property(ev.property, d.intern_atom("ATOM"), 32, [])
        ev.requestor.send_event(xevent.SelectionNotify(time=ev.time, requestor=ev.requestor,
                                selection=ev.selection, target=ev.target, property=ev.property))
        d.flush()
        print("saved", len(saved.formats), flush=True)
"""


def test_the_restored_clipboard_outlives_assist_with_a_clipboard_manager(desktop, mousepad):
    import subprocess
    import sys
    from pathlib import Path

    pad = mousepad("x\n")
    manager = subprocess.Popen([sys.executable, "-c", MANAGER, str(Path(__file__).resolve().parents[2])],
                               env=desktop.env, stdout=subprocess.PIPE, text=True)
    try:
        assert manager.stdout.readline().strip() == "managing"
        image = png_bytes(40, 40, seed=11)
        desktop.clipboard_own(image, "image/png")
        display = os.environ["DISPLAY"]
        focus, clipboard, keys = X11FocusInfo(display), X11Clipboard(display), X11KeySender(display, InjectionGuard())
        assert AutoInserter(focus, clipboard, keys).insert("y", focus.active_window()).ok
        clipboard.close()  # assist quits while serving the agent's image
        keys.close(), focus.close()
        assert manager.stdout.readline().strip().startswith("saved")
        assert desktop.clipboard_get("image/png") == image
        assert pad.save_and_read("x\n") == "yx\n"
    finally:
        manager.terminate()


@pytest.mark.parametrize("newline", ["paste", "shift+enter"])
def test_multi_line_phrase_in_the_editor(desktop, mousepad, x11, newline):
    pad = mousepad("start|end\n")
    desktop.key("ctrl+Home", *["Right"] * 6)
    result = make_inserter(x11, newline=newline).insert("Zeile 1\nZeile 2 — ü\n", x11[0].active_window())
    assert result.ok, result.reason
    assert pad.save_and_read("start|end\n") == "start|Zeile 1\nZeile 2 — ü\nend\n"
