"""macOS: the frontmost application and window (AppKit, Quartz), the pasteboard with every type,
keys posted as Quartz events (Unicode strings for typing), global hotkeys by an event tap, and the
focused text through the Accessibility API (AXUIElement).

The pyobjc modules are passed in (defaults import the real ones), so tests run these classes on
Linux against fakes of the same APIs. Every piece needs the Accessibility permission; without it
the reason says where to grant it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from assist.platform.base import (BackendWarning, PollingChatWatcher, Clipboard, ClipboardSnapshot, DraftChanged,
                                  FocusChanged, FocusInfo, Hotkeys, WatchEvent, WindowInfo)
from assist.platform.combos import Combo, ComboError, parse_combo
from assist.platform.keys import InjectionGuard, KeySender

log = logging.getLogger(__name__)

PERMISSION = ("assist needs the Accessibility permission: System Settings > Privacy & Security > "
              "Accessibility, then turn on assist")
# ANSI virtual key codes (Carbon's kVK_*)
KEYCODES = {"a": 0, "s": 1, "d": 2, "f": 3, "h": 4, "g": 5, "z": 6, "x": 7, "c": 8, "v": 9, "b": 11, "q": 12,
            "w": 13, "e": 14, "r": 15, "y": 16, "t": 17, "1": 18, "2": 19, "3": 20, "4": 21, "6": 22, "5": 23,
            "9": 25, "7": 26, "8": 28, "0": 29, "o": 31, "u": 32, "i": 34, "p": 35, "l": 37, "j": 38, "k": 40,
            "n": 45, "m": 46, "Return": 36, "Tab": 48, "space": 49, "BackSpace": 51, "Escape": 53,
            "Delete": 117, "Home": 115, "End": 119, "Left": 123, "Right": 124, "Down": 125, "Up": 126}
FLAGS = {"shift": 1 << 17, "ctrl": 1 << 18, "alt": 1 << 19, "super": 1 << 20}  # kCGEventFlagMask*
PASTEBOARD_STRING = "public.utf8-plain-text"


def _ax(ax_module, element, attribute):
    """One accessibility attribute, or None (pyobjc returns (error, value))."""
    if element is None:
        return None
    error, value = ax_module.AXUIElementCopyAttributeValue(element, attribute, None)
    return value if error == 0 else None


class MacFocusInfo(FocusInfo):
    name = "appkit"

    def __init__(self, appkit=None, quartz=None, ax=None):
        if appkit is None:
            import AppKit as appkit
        if quartz is None:
            import Quartz as quartz
        if ax is None:
            import ApplicationServices as ax
        self.appkit, self.quartz, self.ax = appkit, quartz, ax

    def active_window(self) -> WindowInfo | None:
        app = self.appkit.NSWorkspace.sharedWorkspace().frontmostApplication()
        if app is None:
            return None
        pid = int(app.processIdentifier())
        window_id = None
        options = self.quartz.kCGWindowListOptionOnScreenOnly | self.quartz.kCGWindowListExcludeDesktopElements
        for info in self.quartz.CGWindowListCopyWindowInfo(options, self.quartz.kCGNullWindowID) or []:
            if int(info.get("kCGWindowOwnerPID", -1)) == pid and int(info.get("kCGWindowLayer", 1)) == 0:
                window_id = int(info["kCGWindowNumber"])  # front to back: the first is the front one
                break
        title = ""
        window = _ax(self.ax, self.ax.AXUIElementCreateApplication(pid), "AXFocusedWindow")
        if window is not None:
            title = _ax(self.ax, window, "AXTitle") or ""
        name = str(app.localizedName() or "")
        return WindowInfo(window_id=window_id if window_id is not None else f"pid:{pid}", app_name=name.lower(),
                          wm_class=str(app.bundleIdentifier() or ""), title=str(title), pid=pid)


class MacClipboard(Clipboard):
    name = "nspasteboard"

    def __init__(self, appkit=None):
        if appkit is None:
            import AppKit as appkit
        self.appkit = appkit
        self.board = appkit.NSPasteboard.generalPasteboard()

    def save(self) -> ClipboardSnapshot:
        formats = {}
        for kind in self.board.types() or []:
            data = self.board.dataForType_(kind)
            if data is not None:
                formats[str(kind)] = bytes(data)
        return ClipboardSnapshot(formats=formats)

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self.board.clearContents()
        if not snapshot.formats:
            return
        kinds = list(snapshot.formats)
        self.board.declareTypes_owner_(kinds, None)
        for kind, data in snapshot.formats.items():
            self.board.setData_forType_(self.appkit.NSData.dataWithBytes_length_(data, len(data)), kind)

    def set_text(self, text: str) -> None:
        self.board.clearContents()
        self.board.declareTypes_owner_([PASTEBOARD_STRING], None)
        self.board.setString_forType_(text, PASTEBOARD_STRING)

    def get_text(self) -> str:
        return str(self.board.stringForType_(PASTEBOARD_STRING) or "")


class MacKeySender(KeySender):
    name = "quartz-events"

    def __init__(self, quartz=None, guard: InjectionGuard | None = None):
        if quartz is None:
            import Quartz as quartz
        self.q = quartz
        self.guard = guard or InjectionGuard()

    def _post(self, keycode: int, down: bool, flags: int = 0, text: str | None = None) -> None:
        event = self.q.CGEventCreateKeyboardEvent(None, keycode, down)
        self.q.CGEventSetFlags(event, flags)  # only our modifiers: the agent's held Ctrl+Alt do not leak in
        if text is not None:
            self.q.CGEventKeyboardSetUnicodeString(event, len(text.encode("utf-16-le")) // 2, text)
        self.q.CGEventPost(self.q.kCGHIDEventTap, event)

    def press(self, combo: Combo) -> None:
        keycode = KEYCODES.get(combo.key)
        if keycode is None:
            raise ComboError(f"no key code for {combo.key!r} on macOS")
        flags = 0
        for mod in combo.modifiers:
            flags |= FLAGS[mod]
        with self.guard.injecting():
            self._post(keycode, True, flags)
            self._post(keycode, False, flags)

    def type_text(self, text: str) -> None:
        if "\n" in text:
            raise ValueError("type_text takes one line; line breaks are the inserter's job")
        with self.guard.injecting():
            # Quartz takes at most 20 UTF-16 units per event; split on code points, never inside one
            chunk = ""
            for char in text:
                if len((chunk + char).encode("utf-16-le")) // 2 > 20:
                    self._post(0, True, 0, chunk)
                    self._post(0, False, 0, chunk)
                    chunk = ""
                chunk += char
            if chunk:
                self._post(0, True, 0, chunk)
                self._post(0, False, 0, chunk)


class MacHotkeys(Hotkeys):
    """Global hotkeys from a listen-only event tap on its own run loop thread. macOS cannot tell us
    whether another program uses the same combination; a missing permission is reported."""

    name = "event-tap"

    def __init__(self, quartz=None):
        if quartz is None:
            import Quartz as quartz
        self.q = quartz
        self._bindings: dict[tuple[int, int], Callable[[], None]] = {}
        self._tap = None
        self._thread: threading.Thread | None = None
        self._run_loop = None
        self.last_event_at = 0.0

    def _ensure_tap(self) -> str | None:
        if self._tap is not None:
            return None
        mask = self.q.CGEventMaskBit(self.q.kCGEventKeyDown)
        self._tap = self.q.CGEventTapCreate(self.q.kCGSessionEventTap, self.q.kCGHeadInsertEventTap,
                                            self.q.kCGEventTapOptionListenOnly, mask, self._on_event, None)
        if self._tap is None:
            return PERMISSION
        source = self.q.CFMachPortCreateRunLoopSource(None, self._tap, 0)

        def run():
            self._run_loop = self.q.CFRunLoopGetCurrent()
            self.q.CFRunLoopAddSource(self._run_loop, source, self.q.kCFRunLoopCommonModes)
            self.q.CGEventTapEnable(self._tap, True)
            self.q.CFRunLoopRun()
        self._thread = threading.Thread(target=run, name="event-tap", daemon=True)
        self._thread.start()
        return None

    def _on_event(self, proxy, kind, event, refcon):
        self.last_event_at = time.monotonic()
        if kind == getattr(self.q, "kCGEventTapDisabledByTimeout", -1):
            self.q.CGEventTapEnable(self._tap, True)  # macOS disabled a slow tap: turn it back on
            return event
        keycode = self.q.CGEventGetIntegerValueField(event, self.q.kCGKeyboardEventKeycode)
        flags = self.q.CGEventGetFlags(event) & sum(FLAGS.values())
        callback = self._bindings.get((int(keycode), int(flags)))
        if callback is not None:
            callback()
        return event

    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        try:
            parsed = parse_combo(combo)
        except ComboError as exc:
            return str(exc)
        keycode = KEYCODES.get(parsed.key)
        if keycode is None:
            return f"{combo}: no key code for {parsed.key!r} on macOS"
        flags = sum(FLAGS[m] for m in parsed.modifiers)
        if (keycode, flags) in self._bindings:
            return f"{combo} is already used by assist for something else"
        problem = self._ensure_tap()
        if problem:
            return problem
        self._bindings[(keycode, flags)] = callback
        return None

    def unregister_all(self) -> None:
        self._bindings.clear()
        if self._run_loop is not None:
            self.q.CFRunLoopStop(self._run_loop)
            self._run_loop = None
        self._tap = None


class AXWatcher(PollingChatWatcher):
    """The focused text field through the Accessibility API, polled on a thread."""

    name = "ax"

    def __init__(self, allowed_apps: list[str], focus: FocusInfo, ax=None, interval: float = 0.03):
        if ax is None:
            import ApplicationServices as ax
        self.ax = ax
        self.allowed_apps = list(allowed_apps)
        self.focus = focus
        self.interval = interval
        self._emit: Callable[[WatchEvent], None] | None = None
        self._paused = False
        self._last = None
        self._last_customer: str | None = None

    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        if not self.ax.AXIsProcessTrusted():
            emit(BackendWarning("ax", PERMISSION))
        super().start(emit)

    def poll(self) -> None:
        from assist.platform.keystrokes import app_allowed
        element = _ax(self.ax, self.ax.AXUIElementCreateSystemWide(), "AXFocusedUIElement")
        window = self.focus.active_window()
        if element is None or window is None:
            return
        role = _ax(self.ax, element, "AXRole")
        subrole = _ax(self.ax, element, "AXSubrole")
        password = role == "AXSecureTextField" or subrole == "AXSecureTextField"
        editable = role in ("AXTextField", "AXTextArea", "AXComboBox") or password
        watched = editable and not password and app_allowed(window, self.allowed_apps)
        key = (window.window_id, role, watched)
        if self._last is None or self._last[0] != key:
            self._last = (key, None)
            self._send(FocusChanged(window=window, watched=watched), always=True)
            if watched:
                self._customer(element, window)
        if not watched:
            return  # a secure text field is never read
        text = _ax(self.ax, element, "AXValue")
        if isinstance(text, str) and text != self._last[1]:
            self._last = (key, text)
            self._send(DraftChanged(text=text, window=window, source="ax"))

    def _customer(self, element, window) -> None:
        node = element
        for _ in range(12):
            node = _ax(self.ax, node, "AXParent")
            if node is None:
                return
            for child in _ax(self.ax, node, "AXChildren") or []:
                if _ax(self.ax, child, "AXSubrole") == "AXApplicationLog":  # an ARIA log
                    self._latest(child, window)
                    return

    def _latest(self, log_element, window) -> None:
        for item in reversed(_ax(self.ax, log_element, "AXChildren") or []):
            if _ax(self.ax, item, "AXRole") == "AXSecureTextField":
                continue
            label = str(_ax(self.ax, item, "AXDescription") or _ax(self.ax, item, "AXValue") or "").strip()
            if label.lower() in ("agent", "you", "me") or not label:
                continue
            self._send_customer(label, window, "ax-log")
            return



def create_backends(settings, guard: InjectionGuard, warnings: list):
    from assist.platform.factory import Backends, _get
    from assist.platform.inserter import AutoInserter
    from assist.platform.null import NullClipboard, NullHotkeys

    focus = MacFocusInfo()

    def attempt(slot, build):
        try:
            return build()
        except Exception as exc:
            warnings.append(BackendWarning(slot, f"{type(exc).__name__}: {exc}"))
            return None
    clipboard = attempt("clipboard", MacClipboard)
    keys = attempt("keys", lambda: MacKeySender(guard=guard))
    hotkeys = attempt("hotkeys", MacHotkeys)
    watchers = []
    if _get(settings, "watching.enabled") and _get(settings, "watching.draft_source") != "off":
        watchers.append(AXWatcher(_get(settings, "watching.allowed_apps"), focus))
    inserter = AutoInserter(focus, clipboard, keys)  # the factory gives it profiles with Cmd+V
    return Backends(focus, clipboard or NullClipboard(), inserter, hotkeys or NullHotkeys(), watchers,
                    warnings, guard=guard)
