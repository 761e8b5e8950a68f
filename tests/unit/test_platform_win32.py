"""The Windows backends against fakes of the APIs they call (user32, win32clipboard, keyboard,
UI Automation). Real Windows runs them in CI."""

from __future__ import annotations

import pytest

from assist.platform.base import CustomerMessage, DraftChanged, FocusChanged, WindowInfo
from assist.platform.combos import parse_combo
from assist.platform.fake import FakeDesktop
from assist.platform.inserter import AutoInserter
from assist.platform.win32 import (CF_UNICODETEXT, KeyboardHook, UIAWatcher, Win32Clipboard, Win32FocusInfo,
                                   Win32Hotkeys, Win32KeySender, keyboard_combo)


class FakeUser32:
    def __init__(self):
        self.hwnd = 0x10
        self.taken = set()

    def foreground(self):
        return self.hwnd

    def title(self, hwnd):
        return "Support — Zendesk"

    def class_name(self, hwnd):
        return "Chrome_WidgetWin_1"

    def pid(self, hwnd):
        return 4242

    def exe_name(self, pid):
        return "chrome.exe"

    def hotkey_taken(self, mods, vk):
        return (mods, vk) in self.taken


def test_focus_info_from_user32():
    window = Win32FocusInfo(FakeUser32()).active_window()
    assert window == WindowInfo(0x10, app_name="chrome", wm_class="Chrome_WidgetWin_1",
                                title="Support — Zendesk", pid=4242)
    api = FakeUser32()
    api.hwnd = 0
    assert Win32FocusInfo(api).active_window() is None


class FakeWin32Clipboard:
    """win32clipboard's behaviour: open/close, formats by number, registered names, busy opens."""

    def __init__(self, data=None, busy=0):
        self.data = dict(data or {})
        self.names = {0xC001: "PNG", 0xC002: "HTML Format"}
        self.open = False
        self.busy = busy

    def OpenClipboard(self):
        if self.busy:
            self.busy -= 1
            raise OSError("Access is denied")
        assert not self.open
        self.open = True

    def CloseClipboard(self):
        assert self.open
        self.open = False

    def EnumClipboardFormats(self, fmt):
        assert self.open
        keys = sorted(self.data)
        if fmt == 0:
            return keys[0] if keys else 0
        later = [k for k in keys if k > fmt]
        return later[0] if later else 0

    def GetClipboardData(self, fmt):
        assert self.open
        if fmt == 2:
            raise TypeError("handle")
        return self.data[fmt]

    def GetClipboardFormatName(self, fmt):
        return self.names[fmt]

    def RegisterClipboardFormat(self, name):
        for fmt, known in self.names.items():
            if known == name:
                return fmt
        fmt = 0xC000 + len(self.names) + 10
        self.names[fmt] = name
        return fmt

    def EmptyClipboard(self):
        assert self.open
        self.data.clear()

    def SetClipboardData(self, fmt, data):
        assert self.open
        self.data[fmt] = data


def test_clipboard_saves_and_restores_text_image_and_registered_formats():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    fake = FakeWin32Clipboard({CF_UNICODETEXT: "mine ✂", 8: b"BM-dib-bytes", 2: object(), 0xC001: png,
                               0xC002: b"<b>html</b>", 1: b"mine"})
    board = Win32Clipboard(fake, retry_delay=0)
    snapshot = board.save()
    assert set(snapshot.formats) == {"CF_UNICODETEXT", "CF_DIB", "PNG", "HTML Format"}
    board.set_text("Je suis désolé 😊")
    assert board.get_text() == "Je suis désolé 😊"
    board.restore(snapshot)
    assert fake.data[CF_UNICODETEXT] == "mine ✂"
    assert fake.data[8] == b"BM-dib-bytes" and fake.data[0xC001] == png and fake.data[0xC002] == b"<b>html</b>"
    assert not fake.open


def test_busy_clipboard_is_retried_then_reported():
    board = Win32Clipboard(FakeWin32Clipboard({CF_UNICODETEXT: "x"}, busy=3), retry_delay=0)
    assert board.get_text() == "x"
    with pytest.raises(RuntimeError, match="busy"):
        Win32Clipboard(FakeWin32Clipboard(busy=99), retries=3, retry_delay=0).save()


class FakeKeyboard:
    def __init__(self):
        self.sent, self.written, self.released, self.held = [], [], [], {"alt", "ctrl"}
        self.hotkeys, self.hooks = {}, []

    def send(self, combo):
        self.sent.append(combo)

    def write(self, text, delay=0):
        self.written.append(text)

    def is_pressed(self, name):
        return name in self.held

    def release(self, name):
        self.released.append(name)
        self.held.discard(name)

    def add_hotkey(self, combo, callback, suppress=False):
        self.hotkeys[combo] = callback
        return combo

    def remove_hotkey(self, handle):
        del self.hotkeys[handle]

    def hook(self, callback):
        self.hooks.append(callback)
        return callback

    def unhook(self, handle):
        self.hooks.remove(handle)


def test_key_sender_releases_held_modifiers_and_types_unicode():
    kb = FakeKeyboard()
    sender = Win32KeySender(kb)
    sender.press(parse_combo("ctrl+v"))
    assert kb.released == ["ctrl", "alt"] and kb.sent == ["ctrl+v"]
    sender.press(parse_combo("shift+Return"))
    assert kb.sent[-1] == "shift+enter"
    sender.type_text("Merci — ça marche 👍")
    assert kb.written == ["Merci — ça marche 👍"]
    with pytest.raises(ValueError):
        sender.type_text("a\nb")
    assert keyboard_combo(parse_combo("ctrl+alt+1")) == "ctrl+alt+1"


def test_hotkeys_report_a_combination_another_program_holds():
    kb, api = FakeKeyboard(), FakeUser32()
    api.taken.add((0x2 | 0x1, ord("2")))
    hotkeys = Win32Hotkeys(kb, api)
    fired = []
    assert hotkeys.register("ctrl+alt+1", lambda: fired.append(1)) is None
    assert hotkeys.register("ctrl+alt+2", lambda: None) == "ctrl+alt+2 is taken by another program"
    assert "already used by assist" in hotkeys.register("Ctrl+Alt+1", lambda: None)
    kb.hotkeys["ctrl+alt+1"]()
    assert fired == [1]
    hotkeys.unregister_all()
    assert kb.hotkeys == {}


class Event:
    def __init__(self, name, event_type="down"):
        self.name, self.event_type = name, event_type


def test_keyboard_hook_translates_events_with_modifiers():
    kb, got = FakeKeyboard(), []
    hook = KeyboardHook(kb)
    hook.start(got.append)
    for event in (Event("a"), Event("shift"), Event("A"), Event("shift", "up"), Event("enter"), Event("space")):
        kb.hooks[0](event)
    assert [(k.name, k.char, k.modifiers) for k in got if k.pressed] == [
        ("a", "a", frozenset()), ("shift", "", frozenset()), ("a", "A", frozenset({"shift"})),
        ("Return", "", frozenset()), ("space", " ", frozenset())]
    hook.stop()
    assert kb.hooks == []


def test_paste_through_the_windows_backends_restores_the_clipboard():
    fake_board = FakeWin32Clipboard({CF_UNICODETEXT: "agent's", 0xC001: b"png"})
    board = Win32Clipboard(fake_board, retry_delay=0)
    desktop = FakeDesktop()
    chat = desktop.open(0x10, app_name="chrome", text="Hi ")

    class Keyboard(FakeKeyboard):
        def send(self, combo):
            super().send(combo)
            if combo == "ctrl+v":
                desktop.type_into_focus(board.get_text())
    from assist.platform.fake import FakeFocusInfo
    inserter = AutoInserter(FakeFocusInfo(desktop), board, Win32KeySender(Keyboard()), sleep=lambda s: None)
    assert inserter.insert("thanks 🙏", chat.info).ok
    assert chat.text == "Hi thanks 🙏"
    assert fake_board.data == {CF_UNICODETEXT: "agent's", 0xC001: b"png"}


class Pattern:
    def __init__(self, element):
        self.element = element

    @property
    def CurrentValue(self):
        self.element.reads += 1
        return self.element.value


class Element:
    def __init__(self, control_type=50004, value="", password=False, name="", aria="", children=()):
        self.CurrentControlType, self.value, self.CurrentIsPassword = control_type, value, password
        self.CurrentName, self.aria, self.children, self.parent, self.reads = name, aria, list(children), None, 0
        for child in self.children:
            child.parent = self

    def GetCurrentPattern(self, pattern_id):
        return Pattern(self) if pattern_id == 10002 else None

    def GetCurrentPropertyValue(self, prop):
        return self.aria

    def FindAll(self, scope, condition):
        children = self.children

        class Array:
            Length = len(children)

            def GetElement(self, index):
                return children[index]
        return Array()


class FakeUIA:
    def __init__(self, focused):
        self.focused = focused

        class Walker:
            def GetParentElement(self, element):
                return element.parent
        self.ControlViewWalker = Walker()

    def GetFocusedElement(self):
        return self.focused

    def CreateTrueCondition(self):
        return True


class Focus:
    def __init__(self, window):
        self.window = window

    def active_window(self):
        return self.window


def test_uia_watcher_reads_draft_and_log_and_never_a_password():
    draft = Element(value="Hello")
    pin = Element(password=True, value="s3cret")
    log = Element(50008, aria="log", children=[Element(0, name="Where is my parcel?"), Element(0, name="Agent")])
    Element(50032, children=[log, Element(50033, children=[draft, pin])])
    uia = FakeUIA(draft)
    events = []
    watcher = UIAWatcher(["chrome"], Focus(WindowInfo(1, app_name="chrome", pid=9)), uia)
    watcher._emit = events.append
    watcher.poll()
    draft.value = "Hello there"
    watcher.poll()
    watcher.poll()
    assert [type(e).__name__ for e in events] == ["FocusChanged", "CustomerMessage", "DraftChanged", "DraftChanged"]
    assert events[1] == CustomerMessage("Where is my parcel?", WindowInfo(1, app_name="chrome", pid=9), "uia-log")
    assert [e.text for e in events if isinstance(e, DraftChanged)] == ["Hello", "Hello there"]
    uia.focused = pin
    events.clear()
    watcher.poll()
    assert events == [FocusChanged(WindowInfo(1, app_name="chrome", pid=9), False)]
    assert pin.reads == 0
    watcher.set_paused(True)
    uia.focused = draft
    draft.value = "paused"
    events.clear()
    watcher.poll()
    assert all(not isinstance(e, DraftChanged) for e in events)


def test_uia_watcher_polls_on_its_own_thread_until_stopped():
    import threading

    draft = Element(value="Hi")
    watcher = UIAWatcher(["chrome"], Focus(WindowInfo(1, app_name="chrome", pid=9)), FakeUIA(draft), interval=0.005)
    seen = threading.Event()
    events = []
    watcher.start(lambda e: (events.append(e), isinstance(e, DraftChanged) and seen.set()))
    assert seen.wait(5)
    watcher.stop()
    assert not watcher._thread.is_alive()
    assert [e.text for e in events if isinstance(e, DraftChanged)] == ["Hi"]


def test_uia_watcher_without_ui_automation_says_so_and_stops():
    import threading

    warned = threading.Event()
    events = []
    watcher = UIAWatcher(["chrome"], Focus(WindowInfo(1, app_name="chrome", pid=9)), None, interval=0.005)
    watcher.start(lambda e: (events.append(e), warned.set()))  # no comtypes here: UI Automation cannot be made
    assert warned.wait(5)
    watcher._thread.join(2)
    assert not watcher._thread.is_alive()
    assert events[0].backend == "uia" and events[0].reason.startswith("UI Automation is unavailable")
    watcher.stop()
