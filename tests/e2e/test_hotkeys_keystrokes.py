"""Global hotkeys by XGrabKey and the XRecord keystroke buffer on a real X server."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading

import pytest

from assist.platform.base import DraftChanged, MessageSent
from assist.platform.factory import create_backends
from assist.platform.inserter import AutoInserter
from assist.platform.keys import InjectionGuard
from assist.platform.keystrokes import KeystrokeWatcher
from assist.platform.x11 import X11FocusInfo, X11Hotkeys, X11KeySender
from assist.platform.x11_clipboard import X11Clipboard
from assist.platform.x11_record import XRecordHook

from desktop import wait_for

GRABBER = """
import sys, time
from Xlib import X, XK, display
d = display.Display()
root = d.screen().root
code = d.keysym_to_keycode(XK.string_to_keysym("9"))
for extra in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
    root.grab_key(code, X.ControlMask | X.Mod1Mask | extra, True, X.GrabModeAsync, X.GrabModeAsync)
d.sync()
print("grabbed", flush=True)
time.sleep(60)
"""


def test_hotkey_fires_when_pressed_and_a_taken_one_is_reported(desktop, mousepad):
    mousepad("")
    hotkeys = X11Hotkeys(os.environ["DISPLAY"])
    fired = threading.Event()
    try:
        assert hotkeys.register("ctrl+alt+1", fired.set) is None
        desktop.key("ctrl+alt+1")
        assert fired.wait(5)
        other = subprocess.Popen([sys.executable, "-c", GRABBER], env=desktop.env, stdout=subprocess.PIPE, text=True)
        try:
            assert other.stdout.readline().strip() == "grabbed"
            assert hotkeys.register("ctrl+alt+9", lambda: None) == "ctrl+alt+9 is taken by another program"
        finally:
            other.terminate()
            other.wait(5)
        assert hotkeys.register("ctrl+alt+1", lambda: None) == "ctrl+alt+1 is already used by assist for something else"
        assert "not a modifier" in hotkeys.register("hyper+1", lambda: None)
    finally:
        hotkeys.close()


def test_hotkey_inserts_into_chat_page_with_modifiers_still_held(desktop, chat_page):
    """Ctrl+Alt+1 -> insert: the agent still holds Ctrl+Alt when the paste key goes out."""
    display = os.environ["DISPLAY"]
    focus, clipboard, keys = X11FocusInfo(display), X11Clipboard(display), X11KeySender(display, InjectionGuard())
    hotkeys = X11Hotkeys(display)
    inserter = AutoInserter(focus, clipboard, keys)
    results = queue.Queue()

    def on_hotkey():  # trivial: hand the work to a worker thread
        threading.Thread(target=lambda: results.put(inserter.insert("Merci beaucoup 🙏", None))).start()
    try:
        chat_page.reset("ok ")
        assert hotkeys.register("ctrl+alt+1", on_hotkey) is None
        desktop.xdotool("keydown", "ctrl", "keydown", "alt", "key", "1")
        result = results.get(timeout=10)
        desktop.xdotool("keyup", "alt", "keyup", "ctrl")
        assert result.ok, result.reason
        wait_for(lambda: chat_page.draft() == "ok Merci beaucoup 🙏", what="the phrase in the page")
        assert chat_page.sent() == []
    finally:
        hotkeys.close(), clipboard.close(), keys.close(), focus.close()


def test_keystroke_buffer_follows_typing_and_ignores_our_paste(desktop, chat_page):
    display = os.environ["DISPLAY"]
    guard = InjectionGuard()
    focus = X11FocusInfo(display)
    watcher = KeystrokeWatcher(XRecordHook(display), focus, ["chromium"], guard)
    events: queue.Queue = queue.Queue()
    seen: list = []
    clipboard, keys = X11Clipboard(display), X11KeySender(display, guard)

    def saw(predicate):
        def check():
            while not events.empty():
                seen.append(events.get_nowait())
            return any(predicate(e) for e in seen)
        return check
    try:
        chat_page.reset("")
        watcher.start(events.put)
        desktop.type("Hello agent")
        wait_for(saw(lambda e: isinstance(e, DraftChanged) and e.text == "Hello agent"), what="the typed draft")
        inserter = AutoInserter(focus, clipboard, keys)
        inserter.on_inserted = watcher.note_inserted
        assert inserter.insert(" ÿes", None).ok  # ctrl+v is ours: the buffer learns the text instead
        desktop.type("!")
        wait_for(saw(lambda e: isinstance(e, DraftChanged) and e.text == "Hello agent ÿes!"), what="typing after")
        assert chat_page.draft() == "Hello agent ÿes!"
        assert not any(isinstance(e, DraftChanged) and e.text == "" for e in seen), "our ctrl+v reset the buffer"
        desktop.key("Return")
        try:
            wait_for(saw(lambda e: isinstance(e, MessageSent)), what="Enter seen as sent")
        except TimeoutError:
            raise AssertionError([(type(e).__name__, getattr(e, "text", None)) for e in seen][-6:])
        assert chat_page.sent() == ["Hello agent ÿes!"]
    finally:
        watcher.stop(), clipboard.close(), keys.close(), focus.close()


def test_factory_on_the_real_display_picks_x11_and_atspi(desktop):
    backends = create_backends(None)
    try:
        assert backends.chosen["focus"] == "X11FocusInfo" or backends.chosen["focus"]
        assert type(backends.focus).__name__ == "X11FocusInfo"
        assert type(backends.clipboard).__name__ == "X11Clipboard"
        assert type(backends.hotkeys).__name__ == "X11Hotkeys"
        assert backends.chosen["inserter"] == "auto"
        assert backends.chosen["watchers"] == "atspi, x11-selection"
        assert backends.warnings == []
    finally:
        backends.close()


def test_selecting_text_in_an_allowed_app_is_the_customer_message_but_not_in_the_draft(desktop, chat_page):
    import queue as queue_module

    from assist.platform.base import CustomerMessage

    backends = create_backends(None)
    events: queue_module.Queue = queue_module.Queue()
    backends.start_watchers(events.put)
    seen: list = []

    def saw(predicate):
        def check():
            while not events.empty():
                seen.append(events.get_nowait())
            return next((e for e in seen if predicate(e)), None)
        return check
    try:
        chat_page.reset("")
        desktop.type("I see the refund")
        wait_for(saw(lambda e: isinstance(e, DraftChanged) and e.text == "I see the refund"), what="the draft")
        desktop.key("shift+Home")  # the agent selects their own draft: not a customer message
        wait_for(lambda: backends.clipboard.get_selection() == "I see the refund", what="the draft selected")
        # then selects the customer's first message in the conversation (the page's log)
        x, y = chat_page.eval("(() => { const r = document.querySelector('.customer').getBoundingClientRect();"
                              "return [Math.round(screenX + (outerWidth - innerWidth) / 2 + r.left + 20),"
                              "Math.round(screenY + outerHeight - innerHeight + r.top + r.height / 2)] })()")
        desktop.xdotool("mousemove", x, y, "click", "--repeat", "3", "--delay", "80", "1")  # a triple click
        try:
            message = wait_for(saw(lambda e: isinstance(e, CustomerMessage) and e.source == "selection"),
                               what="the selection as the customer's message")
        except TimeoutError:
            raise AssertionError([(type(e).__name__, getattr(e, "source", ""), getattr(e, "text", "")[:30])
                                  for e in seen][-8:] + [backends.clipboard.get_selection()])
        assert message.text == "Hi, I ordered a lamp two weeks ago."
        assert message.window.window_id == chat_page.window_id
        assert not any(isinstance(e, CustomerMessage) and "I see the refund" in e.text for e in seen)
    finally:
        backends.close()


def test_watchdog_puts_back_a_dead_xrecord_hook(desktop, chat_page):
    from assist.platform.watchdog import HookWatchdog, x11_last_input_at

    display = os.environ["DISPLAY"]
    focus = X11FocusInfo(display)
    watcher = KeystrokeWatcher(XRecordHook(display), focus, ["chromium"])
    events: queue.Queue = queue.Queue()
    last_input_at = x11_last_input_at(display)
    assert last_input_at is not None
    warnings = []
    dog = HookWatchdog(watcher, last_input_at, slack=1.0, warn=warnings.append)
    try:
        chat_page.reset("")
        watcher.start(events.put)
        desktop.type("ab")
        wait_for(lambda: watcher.buffer.text == "ab", what="the hook working")
        assert not dog.check()
        watcher.hook.stop()  # the hook dies (an X connection lost, a hook dropped by the system)
        desktop.type("c")
        assert dog.check() and warnings and warnings[0].backend == "xrecord"
        desktop.type("d")
        wait_for(lambda: watcher.buffer.text.endswith("d"), what="keys after the hook came back")
    finally:
        watcher.stop(), focus.close()
