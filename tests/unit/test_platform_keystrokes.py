"""The keystroke buffer and watcher: the draft from keys, resets, and our own keys ignored."""

from __future__ import annotations

import queue
import threading
import time

from assist.platform.base import DraftChanged, FocusChanged, MessageSent, WindowInfo
from assist.platform.keys import InjectionGuard
from assist.platform.keystrokes import Click, Key, KeystrokeBuffer, KeystrokeWatcher
from assist.platform.watchdog import HookWatchdog


def keys(text):
    return [Key(name=c if c != " " else "space", char=c) for c in text]


def test_buffer_types_edits_and_moves():
    buffer = KeystrokeBuffer()
    for key in keys("helo"):
        buffer.feed(key)
    buffer.feed(Key("Left"))
    buffer.feed(Key("l", "l"))
    assert (buffer.text, buffer.cursor) == ("hello", 4)
    buffer.feed(Key("End"))
    buffer.feed(Key("BackSpace"))
    buffer.feed(Key("Return", modifiers=frozenset({"shift"})))
    for key in keys("wörld"):
        buffer.feed(key)
    assert buffer.text == "hell\nwörld"
    buffer.feed(Key("BackSpace", modifiers=frozenset({"ctrl"})))
    assert buffer.text == "hell\n"
    assert buffer.feed(Key("Return")) == "sent" and buffer.text == ""


def test_buffer_resets_on_unknowable_edits():
    buffer = KeystrokeBuffer()
    for key in keys("abc"):
        buffer.feed(key)
    assert buffer.feed(Key("v", "v", modifiers=frozenset({"ctrl"}))) == "reset"
    assert buffer.text == ""
    assert buffer.feed(Key("a", "a", pressed=False)) is None


class FakeHook:
    name = "fakehook"

    def __init__(self):
        self.deliver = None
        self.last_event_at = 0.0
        self.alive = False
        self.starts = 0

    def start(self, deliver):
        self.deliver, self.alive = deliver, True
        self.starts += 1

    def stop(self):
        self.alive = False

    def send(self, item):
        self.last_event_at = time.monotonic()
        threading.Thread(target=self.deliver, args=(item,)).start()


class Focus:
    def __init__(self, window):
        self.window = window

    def active_window(self):
        return self.window


def collect(events, until, timeout=3.0):
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            seen.append(events.get(timeout=0.05))
        except queue.Empty:
            continue
        if until(seen):
            return seen
    raise AssertionError(f"not seen; got {seen}")


def test_watcher_ignores_our_own_keys_and_resets_on_focus_and_click():
    chat = WindowInfo(1, app_name="slack")
    focus = Focus(chat)
    guard = InjectionGuard()
    hook = FakeHook()
    watcher = KeystrokeWatcher(hook, focus, ["slack"], guard)
    events: queue.Queue = queue.Queue()
    watcher.start(events.put)
    for key in keys("hi"):
        hook.send(key)
        time.sleep(0.01)
    collect(events, lambda s: any(isinstance(e, DraftChanged) and e.text == "hi" for e in s))
    # our paste: ctrl+v expected by the guard -> not a "reset" of the agent's draft
    for name, pressed in (("Control_L", True), ("v", True), ("v", False), ("Control_L", False)):
        guard.expect(name, pressed)
    hook.send(Key("Control_L", pressed=True, modifiers=frozenset()))
    time.sleep(0.01)
    hook.send(Key("v", "v", pressed=True, modifiers=frozenset({"ctrl"})))
    time.sleep(0.05)
    hook.send(Key("x", "x"))
    seen = collect(events, lambda s: any(isinstance(e, DraftChanged) and e.text == "hix" for e in s))
    assert not any(isinstance(e, DraftChanged) and e.text == "" for e in seen)
    hook.send(Click())
    time.sleep(0.05)
    hook.send(Key("y", "y"))
    collect(events, lambda s: any(isinstance(e, DraftChanged) and e.text == "y" for e in s))
    hook.send(Key("Return"))
    collect(events, lambda s: any(isinstance(e, MessageSent) for e in s))
    focus.window = WindowInfo(2, app_name="keepass")  # not allowed: nothing read there
    hook.send(Key("s", "s"))
    seen = collect(events, lambda s: any(isinstance(e, FocusChanged) for e in s))
    time.sleep(0.1)
    seen += [events.get_nowait() for _ in range(events.qsize())]
    assert not any(isinstance(e, DraftChanged) and "s" in e.text for e in seen)
    assert next(e for e in seen if isinstance(e, FocusChanged)).watched is False
    watcher.stop()


def test_watchdog_reinstalls_a_dead_or_stalled_hook():
    hook = FakeHook()
    watcher = KeystrokeWatcher(hook, Focus(None), [])
    watcher.start(lambda e: None)
    warnings = []
    last_input = {"t": None}
    dog = HookWatchdog(watcher, lambda: last_input["t"], slack=1.0, warn=warnings.append)
    assert not dog.check()
    hook.alive = False
    assert dog.check() and hook.starts == 2 and hook.alive
    hook.last_event_at = time.monotonic() - 10
    last_input["t"] = time.monotonic()  # the system saw input the hook never delivered
    assert dog.check() and hook.starts == 3
    assert [w.backend for w in warnings] == ["fakehook", "fakehook"]
    watcher.stop()


def test_keystroke_context_fits_the_phrase():
    from assist.platform.fake import FakeDesktop, fake_inserter

    desktop = FakeDesktop()
    chat = desktop.open(1, app_name="slack")
    hook = FakeHook()
    watcher = KeystrokeWatcher(hook, Focus(chat.info), ["slack"])
    events: queue.Queue = queue.Queue()
    watcher.start(events.put)
    assert watcher.text_around_caret() is None  # nothing seen yet: no guess
    for key in keys("thanks"):
        hook.send(key)
        time.sleep(0.01)
        desktop.type_into_focus(key.char)
    collect(events, lambda s: any(isinstance(e, DraftChanged) and e.text == "thanks" for e in s))
    inserter = fake_inserter(desktop, context=watcher)
    inserter.on_inserted = watcher.note_inserted
    assert inserter.insert("I understand.", chat.info).ok
    assert chat.text == "thanks I understand."
    collect(events, lambda s: any(isinstance(e, DraftChanged) and e.text == "thanks I understand." for e in s))
    watcher.stop()
