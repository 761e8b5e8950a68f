"""The macOS backends against fakes of AppKit, Quartz and the Accessibility API."""

from __future__ import annotations

from assist.platform.base import CustomerMessage, DraftChanged, FocusChanged, WindowInfo
from assist.platform.combos import parse_combo
from assist.platform.macos import (FLAGS, PERMISSION, AXWatcher, MacClipboard, MacFocusInfo, MacHotkeys,
                                   MacKeySender)


class FakeData(bytes):
    @classmethod
    def dataWithBytes_length_(cls, data, length):
        return cls(data[:length])


class FakeBoard:
    def __init__(self, items):
        self.items = dict(items)

    def types(self):
        return list(self.items)

    def dataForType_(self, kind):
        return self.items.get(kind)

    def clearContents(self):
        self.items = {}

    def declareTypes_owner_(self, kinds, owner):
        self.declared = list(kinds)

    def setData_forType_(self, data, kind):
        self.items[kind] = bytes(data)

    def setString_forType_(self, text, kind):
        self.items[kind] = text.encode("utf-8")

    def stringForType_(self, kind):
        data = self.items.get(kind)
        return data.decode("utf-8") if data is not None else None


class FakeAppKit:
    NSData = FakeData

    def __init__(self, board=None, app=None):
        board = board or FakeBoard({})

        class Pasteboard:
            @staticmethod
            def generalPasteboard():
                return board

        class Workspace:
            @staticmethod
            def sharedWorkspace():
                return Workspace

            @staticmethod
            def frontmostApplication():
                return app
        self.NSPasteboard, self.NSWorkspace = Pasteboard, Workspace


def test_pasteboard_keeps_every_type():
    board = FakeBoard({"public.png": b"\x89PNG...", "public.utf8-plain-text": "mine".encode(),
                       "public.html": b"<i>x</i>"})
    clipboard = MacClipboard(FakeAppKit(board))
    snapshot = clipboard.save()
    clipboard.set_text("Désolé 😊")
    assert clipboard.get_text() == "Désolé 😊"
    clipboard.restore(snapshot)
    assert board.items == {"public.png": b"\x89PNG...", "public.utf8-plain-text": b"mine",
                           "public.html": b"<i>x</i>"}


class FakeQuartz:
    kCGHIDEventTap = 0
    kCGWindowListOptionOnScreenOnly, kCGWindowListExcludeDesktopElements, kCGNullWindowID = 1, 16, 0
    kCGEventKeyDown, kCGSessionEventTap, kCGHeadInsertEventTap, kCGEventTapOptionListenOnly = 10, 1, 0, 1
    kCGKeyboardEventKeycode, kCGEventTapDisabledByTimeout, kCFRunLoopCommonModes = 9, -2, "common"

    def __init__(self, tap_ok=True):
        self.posted, self.tap_ok, self.windows = [], tap_ok, []

    def CGEventCreateKeyboardEvent(self, source, keycode, down):
        return {"keycode": keycode, "down": down, "flags": 0, "text": None}

    def CGEventSetFlags(self, event, flags):
        event["flags"] = flags

    def CGEventKeyboardSetUnicodeString(self, event, length, text):
        assert length == len(text.encode("utf-16-le")) // 2 <= 20
        event["text"] = text

    def CGEventPost(self, tap, event):
        self.posted.append(event)

    def CGWindowListCopyWindowInfo(self, options, window):
        return self.windows

    def CGEventMaskBit(self, kind):
        return 1 << kind

    def CGEventTapCreate(self, *args):
        self.callback = args[4]
        return object() if self.tap_ok else None

    def CFMachPortCreateRunLoopSource(self, *args):
        return object()

    def CFRunLoopGetCurrent(self):
        return "loop"

    def CFRunLoopAddSource(self, *args):
        pass

    def CGEventTapEnable(self, tap, on):
        pass

    def CFRunLoopRun(self):
        pass

    def CFRunLoopStop(self, loop):
        pass

    def CGEventGetIntegerValueField(self, event, field):
        return event["keycode"]

    def CGEventGetFlags(self, event):
        return event["flags"]


def test_key_sender_posts_cmd_v_and_unicode_text_in_chunks():
    quartz = FakeQuartz()
    sender = MacKeySender(quartz)
    sender.press(parse_combo("cmd+v"))
    assert [(e["keycode"], e["down"], e["flags"]) for e in quartz.posted] == [(9, True, FLAGS["super"]),
                                                                             (9, False, FLAGS["super"])]
    quartz.posted.clear()
    text = "Je comprends 😊 — ça arrive, désolé pour l'attente !"
    sender.type_text(text)
    assert "".join(e["text"] for e in quartz.posted if e["down"]) == text


def test_hotkeys_fire_and_a_missing_permission_is_reported():
    quartz = FakeQuartz()
    hotkeys = MacHotkeys(quartz)
    fired = []
    assert hotkeys.register("ctrl+alt+1", lambda: fired.append(1)) is None
    quartz.callback(None, 10, {"keycode": 18, "flags": FLAGS["ctrl"] | FLAGS["alt"]}, None)
    quartz.callback(None, 10, {"keycode": 18, "flags": FLAGS["ctrl"]}, None)
    assert fired == [1]
    assert "already used" in hotkeys.register("ctrl+alt+1", lambda: None)
    hotkeys.unregister_all()
    assert MacHotkeys(FakeQuartz(tap_ok=False)).register("ctrl+alt+1", lambda: None) == PERMISSION


class AXElement:
    def __init__(self, **attributes):
        self.attributes = attributes
        self.reads = []
        for child in attributes.get("AXChildren", []):
            child.attributes["AXParent"] = self


class FakeAX:
    def __init__(self, focused, trusted=True):
        self.focused, self.trusted = focused, trusted

    def AXIsProcessTrusted(self):
        return self.trusted

    def AXUIElementCreateSystemWide(self):
        return "system"

    def AXUIElementCreateApplication(self, pid):
        return AXElement(AXFocusedWindow=AXElement(AXTitle="Chat — Intercom"))

    def AXUIElementCopyAttributeValue(self, element, attribute, out):
        if element == "system":
            return (0, self.focused) if attribute == "AXFocusedUIElement" else (-25205, None)
        element.reads.append(attribute)
        if attribute in element.attributes:
            return 0, element.attributes[attribute]
        return -25205, None


class Focus:
    def __init__(self, window):
        self.window = window

    def active_window(self):
        return self.window


def test_focus_info_from_appkit_and_quartz():
    class App:
        def processIdentifier(self):
            return 77

        def localizedName(self):
            return "Google Chrome"

        def bundleIdentifier(self):
            return "com.google.Chrome"
    quartz = FakeQuartz()
    quartz.windows = [{"kCGWindowOwnerPID": 5, "kCGWindowLayer": 0, "kCGWindowNumber": 1},
                      {"kCGWindowOwnerPID": 77, "kCGWindowLayer": 0, "kCGWindowNumber": 42}]
    window = MacFocusInfo(FakeAppKit(app=App()), quartz, FakeAX(None)).active_window()
    assert window == WindowInfo(42, app_name="google chrome", wm_class="com.google.Chrome",
                                title="Chat — Intercom", pid=77)


def test_ax_watcher_reads_draft_and_log_never_a_secure_field():
    draft = AXElement(AXRole="AXTextArea", AXValue="Hello")
    secure = AXElement(AXRole="AXSecureTextField", AXValue="s3cret")
    log = AXElement(AXRole="AXGroup", AXSubrole="AXApplicationLog",
                    AXChildren=[AXElement(AXRole="AXGroup", AXDescription="My order is late again!"),
                                AXElement(AXRole="AXGroup", AXDescription="Agent")])
    AXElement(AXRole="AXWebArea", AXChildren=[log, AXElement(AXRole="AXGroup", AXChildren=[draft, secure])])
    ax = FakeAX(draft, trusted=False)
    window = WindowInfo(42, app_name="google chrome", pid=77)
    watcher = AXWatcher(["chrome"], Focus(window), ax)
    events = []
    watcher._emit = events.append
    watcher.start(events.append)
    watcher.stop()
    assert events[0].reason == PERMISSION
    events.clear()
    watcher.poll()
    assert events == [FocusChanged(window, True), CustomerMessage("My order is late again!", window, "ax-log"),
                      DraftChanged("Hello", window, "ax")]
    ax.focused = secure
    events.clear()
    watcher.poll()
    assert events == [FocusChanged(window, False)]
    assert "AXValue" not in secure.reads
