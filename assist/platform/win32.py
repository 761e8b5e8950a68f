"""Windows: the foreground window (user32), the clipboard with every format (pywin32's
win32clipboard), keys and global hotkeys and the keystroke hook (the `keyboard` package), and the
focused text through UI Automation (comtypes).

Every system module is passed in (defaults import the real ones), so tests run these classes on
Linux against fakes of the same APIs; CI on Windows runs them for real.
"""

from __future__ import annotations

import ctypes
import logging
import time
from typing import Callable

from assist.platform.base import (BackendWarning, PollingChatWatcher, Clipboard, ClipboardSnapshot, DraftChanged,
                                  FocusChanged, FocusInfo, Hotkeys, WatchEvent, WindowInfo)
from assist.platform.combos import Combo, ComboError, parse_combo
from assist.platform.keys import InjectionGuard, KeySender
from assist.platform.keystrokes import Key

log = logging.getLogger(__name__)

# Formats that are GDI handles, not memory: Windows synthesises them from the memory formats
# (CF_BITMAP from CF_DIB), so saving CF_DIB/CF_DIBV5/PNG keeps an image.
HANDLE_FORMATS = {2: "CF_BITMAP", 3: "CF_METAFILEPICT", 9: "CF_PALETTE", 14: "CF_ENHMETAFILE",
                  0x80: "CF_OWNERDISPLAY", 0x82: "CF_DSPBITMAP", 0x83: "CF_DSPMETAFILEPICT",
                  0x8E: "CF_DSPENHMETAFILE"}
STANDARD_FORMATS = {1: "CF_TEXT", 7: "CF_OEMTEXT", 8: "CF_DIB", 13: "CF_UNICODETEXT", 15: "CF_HDROP",
                    16: "CF_LOCALE", 17: "CF_DIBV5"}
CF_UNICODETEXT = 13
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
MOD_ALT, MOD_CONTROL, MOD_SHIFT, MOD_WIN, MOD_NOREPEAT = 0x1, 0x2, 0x4, 0x8, 0x4000
VK = {"Return": 0x0D, "space": 0x20, "Tab": 0x09, "Escape": 0x1B, "BackSpace": 0x08, "Delete": 0x2E,
      "Insert": 0x2D, "Home": 0x24, "End": 0x23, "Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28}
KEYBOARD_NAMES = {"Return": "enter", "space": "space", "BackSpace": "backspace", "Delete": "delete",
                  "Insert": "insert", "Escape": "esc", "Prior": "page up", "Next": "page down"}
FROM_KEYBOARD = {"enter": "Return", "backspace": "BackSpace", "delete": "Delete", "left": "Left",
                 "right": "Right", "up": "Up", "down": "Down", "home": "Home", "end": "End", "tab": "Tab",
                 "space": "space", "page up": "Prior", "page down": "Next", "esc": "Escape"}
MODIFIERS = {"ctrl": "ctrl", "left ctrl": "ctrl", "right ctrl": "ctrl", "alt": "alt", "left alt": "alt",
             "right alt": "alt", "alt gr": "alt", "shift": "shift", "left shift": "shift",
             "right shift": "shift", "left windows": "super", "right windows": "super", "windows": "super"}


def keyboard_combo(combo: Combo) -> str:
    """Combo -> the `keyboard` package's spelling ("ctrl+shift+v", "shift+enter")."""
    names = {"ctrl": "ctrl", "alt": "alt", "shift": "shift", "super": "windows"}
    mods = [names[m] for m in ("ctrl", "alt", "shift", "super") if m in combo.modifiers]
    return "+".join(mods + [KEYBOARD_NAMES.get(combo.key, combo.key.lower())])


class User32:
    """The few user32/kernel32 calls we need, through ctypes."""

    def __init__(self):
        self.user32 = ctypes.windll.user32  # type: ignore[attr-defined]
        self.kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]

    def foreground(self) -> int:
        return self.user32.GetForegroundWindow() or 0

    def title(self, hwnd: int) -> str:
        buffer = ctypes.create_unicode_buffer(512)
        self.user32.GetWindowTextW(hwnd, buffer, 512)
        return buffer.value

    def class_name(self, hwnd: int) -> str:
        buffer = ctypes.create_unicode_buffer(256)
        self.user32.GetClassNameW(hwnd, buffer, 256)
        return buffer.value

    def pid(self, hwnd: int) -> int:
        pid = ctypes.c_ulong()
        self.user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        return pid.value

    def exe_name(self, pid: int) -> str:
        handle = self.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ""
        try:
            buffer = ctypes.create_unicode_buffer(1024)
            size = ctypes.c_ulong(1024)
            if self.kernel32.QueryFullProcessImageNameW(handle, 0, buffer, ctypes.byref(size)):
                return buffer.value.replace("/", "\\").rsplit("\\", 1)[-1]
            return ""
        finally:
            self.kernel32.CloseHandle(handle)

    def hotkey_taken(self, modifiers: int, vk: int) -> bool:
        """Ask Windows for the combination: if another program registered it, it says so."""
        if self.user32.RegisterHotKey(None, 0xBFFF, modifiers | MOD_NOREPEAT, vk):
            self.user32.UnregisterHotKey(None, 0xBFFF)
            return False
        return self.kernel32.GetLastError() == ERROR_HOTKEY_ALREADY_REGISTERED

    def last_input_at(self) -> float | None:
        class LASTINPUTINFO(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_ulong)]
        info = LASTINPUTINFO(ctypes.sizeof(LASTINPUTINFO))
        if not self.user32.GetLastInputInfo(ctypes.byref(info)):
            return None
        idle_ms = (self.kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF
        return time.monotonic() - idle_ms / 1000


class Win32FocusInfo(FocusInfo):
    name = "user32"

    def __init__(self, api=None):
        self.api = api or User32()

    def active_window(self) -> WindowInfo | None:
        hwnd = self.api.foreground()
        if not hwnd:
            return None
        pid = self.api.pid(hwnd)
        exe = self.api.exe_name(pid) if pid else ""
        app = exe[:-4] if exe.lower().endswith(".exe") else exe
        return WindowInfo(window_id=hwnd, app_name=app.lower(), wm_class=self.api.class_name(hwnd),
                          title=self.api.title(hwnd), pid=pid or None)


class Win32Clipboard(Clipboard):
    """Every memory format saved by name (registered formats by their registered name)."""

    name = "win32clipboard"

    def __init__(self, module=None, retries: int = 10, retry_delay: float = 0.02):
        if module is None:
            import win32clipboard as module  # pywin32
        self.cb = module
        self.retries = retries
        self.retry_delay = retry_delay

    def _open(self) -> None:
        # another program may hold the clipboard open for a moment: retry, then give up clearly
        for attempt in range(self.retries):
            try:
                self.cb.OpenClipboard()
                return
            except Exception:
                if attempt == self.retries - 1:
                    raise RuntimeError("the clipboard is busy (another program keeps it open)")
                time.sleep(self.retry_delay)

    def _format_name(self, fmt: int) -> str:
        if fmt in STANDARD_FORMATS:
            return STANDARD_FORMATS[fmt]
        try:
            return self.cb.GetClipboardFormatName(fmt)
        except Exception:
            return f"#{fmt}"

    def _format_id(self, name: str) -> int:
        for fmt, known in STANDARD_FORMATS.items():
            if known == name:
                return fmt
        if name.startswith("#"):
            return int(name[1:])
        return self.cb.RegisterClipboardFormat(name)

    def save(self) -> ClipboardSnapshot:
        formats = {}
        self._open()
        try:
            fmt = self.cb.EnumClipboardFormats(0)
            while fmt:
                if fmt not in HANDLE_FORMATS and fmt not in (1, 7, 16):  # text variants are synthesised
                    try:
                        data = self.cb.GetClipboardData(fmt)
                    except Exception:
                        data = None
                    if isinstance(data, str):
                        data = data.encode("utf-16-le")
                    if isinstance(data, (bytes, bytearray)):
                        formats[self._format_name(fmt)] = bytes(data)
                fmt = self.cb.EnumClipboardFormats(fmt)
        finally:
            self.cb.CloseClipboard()
        return ClipboardSnapshot(formats=formats)

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        self._open()
        try:
            self.cb.EmptyClipboard()
            for name, data in snapshot.formats.items():
                fmt = self._format_id(name)
                if fmt == CF_UNICODETEXT:
                    self.cb.SetClipboardData(fmt, data.decode("utf-16-le"))
                else:
                    self.cb.SetClipboardData(fmt, data)
        finally:
            self.cb.CloseClipboard()

    def set_text(self, text: str) -> None:
        self._open()
        try:
            self.cb.EmptyClipboard()
            self.cb.SetClipboardData(CF_UNICODETEXT, text)
        finally:
            self.cb.CloseClipboard()

    def get_text(self) -> str:
        self._open()
        try:
            try:
                data = self.cb.GetClipboardData(CF_UNICODETEXT)
            except Exception:
                return ""
            return data if isinstance(data, str) else bytes(data).decode("utf-16-le", "replace")
        finally:
            self.cb.CloseClipboard()


class Win32KeySender(KeySender):
    name = "keyboard"

    def __init__(self, keyboard_module=None, guard: InjectionGuard | None = None, type_delay_s: float = 0.0):
        if keyboard_module is None:
            import keyboard as keyboard_module
        self.kb = keyboard_module
        self.guard = guard or InjectionGuard()
        self.type_delay_s = type_delay_s

    def _release_held_modifiers(self) -> None:
        for name in ("ctrl", "alt", "shift", "windows"):
            if self.kb.is_pressed(name):
                self.kb.release(name)

    def press(self, combo: Combo) -> None:
        with self.guard.injecting():
            self._release_held_modifiers()
            self.kb.send(keyboard_combo(combo))

    def type_text(self, text: str) -> None:
        if "\n" in text:
            raise ValueError("type_text takes one line; line breaks are the inserter's job")
        with self.guard.injecting():
            self._release_held_modifiers()
            self.kb.write(text, delay=self.type_delay_s)  # Unicode input: exact on any layout


class Win32Hotkeys(Hotkeys):
    """`keyboard` hotkeys; before taking one, Windows is asked whether another program holds it."""

    name = "keyboard"

    def __init__(self, keyboard_module=None, api=None):
        if keyboard_module is None:
            import keyboard as keyboard_module
        self.kb = keyboard_module
        self.api = api
        self._handles: dict[str, object] = {}

    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        try:
            parsed = parse_combo(combo)
        except ComboError as exc:
            return str(exc)
        key = str(parsed)
        if key in self._handles:
            return f"{combo} is already used by assist for something else"
        if self.api is not None and self._taken(parsed):
            return f"{combo} is taken by another program"
        try:
            self._handles[key] = self.kb.add_hotkey(keyboard_combo(parsed), callback, suppress=False)
        except Exception as exc:
            return f"{combo} could not be registered ({exc})"
        return None

    def _taken(self, combo: Combo) -> bool:
        mods = 0
        for name, flag in (("ctrl", MOD_CONTROL), ("alt", MOD_ALT), ("shift", MOD_SHIFT), ("super", MOD_WIN)):
            if name in combo.modifiers:
                mods |= flag
        key = combo.key
        vk = VK.get(key) or (ord(key.upper()) if len(key) == 1 and key.isalnum() else 0)
        if key.startswith("F") and key[1:].isdigit():
            vk = 0x6F + int(key[1:])
        return bool(vk) and self.api.hotkey_taken(mods, vk)

    def unregister_all(self) -> None:
        for handle in self._handles.values():
            try:
                self.kb.remove_hotkey(handle)
            except Exception:
                pass
        self._handles.clear()


class KeyboardHook:
    """The `keyboard` package's low-level hook as a KeyHook: the callback only translates and queues."""

    name = "keyboard-hook"

    def __init__(self, keyboard_module=None):
        if keyboard_module is None:
            import keyboard as keyboard_module
        self.kb = keyboard_module
        self.last_event_at = 0.0
        self._handle = None
        self._held: set[str] = set()

    @property
    def alive(self) -> bool:
        listener = getattr(self.kb, "_listener", None)
        thread = getattr(listener, "listening_thread", None)
        return self._handle is not None and (thread is None or thread.is_alive())

    def start(self, deliver: Callable[[object], None]) -> None:
        def on_event(event):  # runs inside Windows' hook: a few dict lookups and a queue put
            self.last_event_at = time.monotonic()
            name = (event.name or "").lower()
            pressed = event.event_type == "down"
            modifier = MODIFIERS.get(name)
            if modifier:
                (self._held.add if pressed else self._held.discard)(modifier)
            char = event.name if event.name and len(event.name) == 1 else ("" if name != "space" else " ")
            deliver(Key(name=FROM_KEYBOARD.get(name, name), char=char, pressed=pressed,
                        modifiers=frozenset(self._held - ({modifier} if modifier else set()))))
        self._handle = self.kb.hook(on_event)

    def stop(self) -> None:
        if self._handle is not None:
            try:
                self.kb.unhook(self._handle)
            except Exception:
                pass
            self._handle = None


# UI Automation ids (UIAutomationClient.h)
UIA_VALUE_PATTERN, UIA_TEXT_PATTERN = 10002, 10014
UIA_EDIT, UIA_DOCUMENT, UIA_LIST = 50004, 50030, 50008
UIA_ARIA_ROLE = 30101
TREE_SCOPE_CHILDREN = 2


class UIAWatcher(PollingChatWatcher):
    """The focused text through UI Automation, polled every 30 ms on a thread: keystroke to draft
    stays under the 50 ms target, and one element's value is cheap to read (UIA's own event
    handlers need a COM apartment per thread and die with the target application)."""

    name = "uia"

    def __init__(self, allowed_apps: list[str], focus: FocusInfo, uia=None, interval: float = 0.03):
        self.allowed_apps = list(allowed_apps)
        self.focus = focus
        self._uia = uia  # IUIAutomation; made on the watcher's thread when None
        self.interval = interval
        self._emit: Callable[[WatchEvent], None] | None = None
        self._paused = False
        self._last: tuple | None = None  # (window id, draft)
        self._last_customer: str | None = None

    def _prepare(self) -> bool:
        # COM objects belong to the thread that made them: UI Automation is created on the poller's.
        if self._uia is None:
            try:
                import comtypes
                import comtypes.client
                comtypes.CoInitialize()
                comtypes.client.GetModule("UIAutomationCore.dll")
                from comtypes.gen import UIAutomationClient as uia_client
                self._uia = comtypes.client.CreateObject(uia_client.CUIAutomation,
                                                        interface=uia_client.IUIAutomation)
            except Exception as exc:
                self._emit(BackendWarning("uia", f"UI Automation is unavailable ({exc})"))
                return False
        return True

    def poll(self) -> None:
        """One look at the focused element (public for tests)."""
        element = self._uia.GetFocusedElement()
        window = self.focus.active_window()
        if element is None or window is None:
            return
        from assist.platform.keystrokes import app_allowed
        password = bool(element.CurrentIsPassword)
        editable = element.CurrentControlType in (UIA_EDIT, UIA_DOCUMENT)
        watched = editable and not password and app_allowed(window, self.allowed_apps)
        key = (window.window_id, element.CurrentControlType, bool(watched))
        if self._last is None or self._last[0] != key:
            self._last = (key, None)
            self._send(FocusChanged(window=window, watched=watched), always=True)
            if watched:
                self._customer(element, window)
        if not watched:
            return  # a password field is never read: not even its value pattern is asked for
        text = self._text(element)
        if text is not None and text != self._last[1]:
            self._last = (key, text)
            self._send(DraftChanged(text=text, window=window, source="uia"))

    @staticmethod
    def _text(element) -> str | None:
        pattern = element.GetCurrentPattern(UIA_VALUE_PATTERN)
        if pattern is not None:
            return pattern.CurrentValue
        pattern = element.GetCurrentPattern(UIA_TEXT_PATTERN)
        if pattern is not None:
            return pattern.DocumentRange.GetText(-1)
        return None

    def _customer(self, element, window) -> None:
        walker_parent = getattr(self._uia, "ControlViewWalker", None)
        node, log_list = element, None
        for _ in range(12):  # up from the input, looking at each ancestor's children for the log
            parent = walker_parent.GetParentElement(node) if walker_parent is not None else None
            if parent is None:
                break
            node = parent
            children = node.FindAll(TREE_SCOPE_CHILDREN, self._uia.CreateTrueCondition())
            for index in range(children.Length):
                child = children.GetElement(index)
                role = child.GetCurrentPropertyValue(UIA_ARIA_ROLE)
                if role == "log" or (log_list is None and child.CurrentControlType == UIA_LIST):
                    log_list = child
                    if role == "log":
                        break
            if log_list is not None:
                break
        if log_list is None:
            return
        items = log_list.FindAll(TREE_SCOPE_CHILDREN, self._uia.CreateTrueCondition())
        for index in range(items.Length - 1, -1, -1):
            item = items.GetElement(index)
            if item.CurrentIsPassword:
                continue
            label = (item.CurrentName or "").strip()
            if label.lower() in ("agent", "you", "me"):
                continue
            self._send_customer(label, window, "uia-log")
            return



def create_backends(settings, guard: InjectionGuard, warnings: list):
    """The Windows backends, each optional: a missing package becomes a warning."""
    from assist.platform.factory import Backends, _get
    from assist.platform.inserter import AutoInserter
    from assist.platform.keystrokes import KeystrokeWatcher
    from assist.platform.null import NullClipboard, NullHotkeys
    from assist.platform.watchdog import HookWatchdog

    api = User32()
    focus = Win32FocusInfo(api)

    def attempt(slot, build):
        try:
            return build()
        except Exception as exc:
            warnings.append(BackendWarning(slot, f"{type(exc).__name__}: {exc}"))
            return None
    clipboard = attempt("clipboard", Win32Clipboard)
    keys = attempt("keys", lambda: Win32KeySender(guard=guard))
    hotkeys = attempt("hotkeys", lambda: Win32Hotkeys(api=api))
    watchers, watchdogs = [], []
    if _get(settings, "watching.enabled"):
        allowed = _get(settings, "watching.allowed_apps")
        source = _get(settings, "watching.draft_source")
        if source in ("auto", "atspi"):
            watchers.append(UIAWatcher(allowed, focus))
        if source == "keystrokes":
            hook_watcher = attempt("keystrokes", lambda: KeystrokeWatcher(KeyboardHook(), focus, allowed, guard))
            if hook_watcher is not None:
                watchers.append(hook_watcher)
                watchdogs.append(HookWatchdog(hook_watcher, api.last_input_at))
    inserter = AutoInserter(focus, clipboard, keys)
    return Backends(focus, clipboard or NullClipboard(), inserter, hotkeys or NullHotkeys(), watchers, warnings,
                    guard=guard, watchdogs=watchdogs)
