"""X11 through python-xlib: the active window (EWMH), keys sent by XTest (typing through xdotool),
and global hotkeys by XGrabKey."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from typing import Callable

from Xlib import X, XK, error as xerror
from Xlib import display as xdisplay
from Xlib.ext import xtest

from assist.platform.base import FocusInfo, Hotkeys, WindowInfo
from assist.platform.combos import Combo, ComboError, parse_combo
from assist.platform.keys import InjectionGuard, KeySender
from assist.platform.x11_loop import XEventThread

log = logging.getLogger(__name__)

MODIFIER_KEYSYMS = {"ctrl": "Control_L", "alt": "Alt_L", "shift": "Shift_L", "super": "Super_L"}
MODIFIER_MASKS = {"ctrl": X.ControlMask, "alt": X.Mod1Mask, "shift": X.ShiftMask, "super": X.Mod4Mask}
# Caps Lock and Num Lock must not stop a hotkey, so each grab is repeated with them.
LOCK_VARIANTS = (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask)


_KEYSYM_NAMES: dict[int, str] = {}


def keysym_name(keysym: int) -> str:
    """0xff0d -> "Return", 0x61 -> "a" (XK.keysym_to_string gives the character, not the name)."""
    if not _KEYSYM_NAMES:
        for attr, value in vars(XK).items():
            if attr.startswith("XK_") and isinstance(value, int):
                _KEYSYM_NAMES.setdefault(value, attr[3:])
    return _KEYSYM_NAMES.get(keysym, f"0x{keysym:x}")


def keysym_for(name: str) -> int:
    keysym = XK.string_to_keysym(name)
    if not keysym and len(name) == 1:
        keysym = XK.string_to_keysym(name.lower()) or ord(name)
    if not keysym:
        raise ComboError(f"unknown key {name!r}")
    return keysym


class X11FocusInfo(FocusInfo):
    """The active window as the window manager reports it (_NET_ACTIVE_WINDOW)."""

    def __init__(self, display_name: str | None = None):
        self._display = xdisplay.Display(display_name)
        self._lock = threading.Lock()
        atom = self._display.intern_atom
        self._net_active = atom("_NET_ACTIVE_WINDOW")
        self._net_name = atom("_NET_WM_NAME")
        self._net_pid = atom("_NET_WM_PID")
        self._utf8 = atom("UTF8_STRING")

    def active_window(self) -> WindowInfo | None:
        with self._lock:
            try:
                return self._active_window()
            except (xerror.XError, xerror.ConnectionClosedError) as exc:
                log.debug("active window unknown: %s", exc)
                return None

    def _active_window(self) -> WindowInfo | None:
        root = self._display.screen().root
        prop = root.get_full_property(self._net_active, X.AnyPropertyType)
        window = None
        if prop and prop.value and prop.value[0]:
            window = self._display.create_resource_object("window", prop.value[0])
        else:  # no EWMH window manager: the input focus, up to its top-level client
            window = self._client_of(self._display.get_input_focus().focus)
        if window is None or isinstance(window, int):
            return None
        wm_class = window.get_wm_class() or ("", "")
        title = ""
        name = window.get_full_property(self._net_name, self._utf8)
        if name and name.value:
            value = name.value
            title = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        else:
            title = window.get_wm_name() or ""
            if isinstance(title, bytes):
                title = title.decode("latin-1")
        pid_prop = window.get_full_property(self._net_pid, X.AnyPropertyType)
        pid = int(pid_prop.value[0]) if pid_prop and len(pid_prop.value) else None
        return WindowInfo(
            window_id=window.id,
            app_name=(wm_class[0] or wm_class[1] or "").lower(),
            wm_class=wm_class[1] or "",
            title=title,
            pid=pid,
            geometry=self._geometry(window, root),
        )

    @staticmethod
    def _geometry(window, root) -> tuple[int, int, int, int] | None:
        """Where the window is on the screen; None if the server cannot say (it just closed)."""
        try:
            size = window.get_geometry()
            origin = root.translate_coords(window, 0, 0)
        except (xerror.XError, xerror.ConnectionClosedError):
            return None
        return (origin.x, origin.y, size.width, size.height)

    def _client_of(self, window):
        while window and not isinstance(window, int):
            if window.get_wm_class():
                return window
            tree = window.query_tree()
            if not tree.parent or tree.parent == tree.root:
                return window
            window = tree.parent
        return None

    def close(self) -> None:
        self._display.close()


class X11KeySender(KeySender):
    """XTest for key combinations; xdotool for typing text (it maps keys for any character)."""

    name = "xtest"

    def __init__(self, display_name: str | None = None, guard: InjectionGuard | None = None,
                 type_delay_ms: int = 6):
        self._display = xdisplay.Display(display_name)
        self._display_name = display_name
        self._lock = threading.Lock()
        self.guard = guard or InjectionGuard()
        self.type_delay_ms = type_delay_ms
        if not self._display.has_extension("XTEST"):
            raise RuntimeError("the X server has no XTEST extension")

    def _keycode(self, keysym_name: str) -> int:
        keycode = self._display.keysym_to_keycode(keysym_for(keysym_name))
        if not keycode:
            raise ComboError(f"no key on this keyboard makes {keysym_name!r}")
        return keycode

    def wait_keys_released(self, timeout: float = 1.0) -> None:
        """Wait (briefly) until no key but modifiers is down: the "1" of Ctrl+Alt+1 still held
        would turn our Ctrl+V into Ctrl+V+1 in some applications."""
        modifier_codes = {c for codes in self._display.get_modifier_mapping() for c in codes if c}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            keymap = self._display.query_keymap()
            down = [code for code in range(8, 256) if keymap[code // 8] & (1 << (code % 8))]
            if all(code in modifier_codes for code in down):
                return
            time.sleep(0.01)

    def release_modifiers(self) -> None:
        """Let go of modifiers still held (the agent's Ctrl+Alt of Ctrl+Alt+1), as the server sees them."""
        keymap = self._display.query_keymap()
        for codes in self._display.get_modifier_mapping():
            for keycode in codes:
                if keycode and keymap[keycode // 8] & (1 << (keycode % 8)):
                    self._fake(X.KeyRelease, keycode, self._name_of(keycode))

    def _name_of(self, keycode: int) -> str:
        return keysym_name(self._display.keycode_to_keysym(keycode, 0))

    def _fake(self, kind: int, keycode: int, key_name: str) -> None:
        self.guard.expect(key_name, kind == X.KeyPress)
        xtest.fake_input(self._display, kind, keycode)

    def press(self, combo: Combo) -> None:
        with self._lock:  # each key is tagged exactly (guard.expect), no time window needed
            self.wait_keys_released()
            self.release_modifiers()
            mods = [(MODIFIER_KEYSYMS[m], self._keycode(MODIFIER_KEYSYMS[m]))
                    for m in ("ctrl", "alt", "shift", "super") if m in combo.modifiers]
            key = self._keycode(combo.key)
            for name, code in mods:
                self._fake(X.KeyPress, code, name)
            self._fake(X.KeyPress, key, combo.key)
            self._fake(X.KeyRelease, key, combo.key)
            for name, code in reversed(mods):
                self._fake(X.KeyRelease, code, name)
            self._display.sync()

    def type_text(self, text: str) -> None:
        if "\n" in text:
            raise ValueError("type_text takes one line; line breaks are the inserter's job")
        xdotool = shutil.which("xdotool")
        if not xdotool:
            raise RuntimeError("typing needs xdotool, which is not installed")
        with self._lock, self.guard.injecting():
            self.release_modifiers()
            self._display.sync()
            env = None
            if self._display_name:
                import os
                env = dict(os.environ, DISPLAY=self._display_name)
            subprocess.run([xdotool, "type", "--delay", str(self.type_delay_ms), "--", text],
                           check=True, env=env, timeout=60)

    def close(self) -> None:
        self._display.close()


class X11Hotkeys(Hotkeys, XEventThread):
    """Global hotkeys by XGrabKey on the root window; a combo another program holds is reported."""

    name = "xgrabkey"

    def __init__(self, display_name: str | None = None):
        XEventThread.__init__(self, display_name)
        self._root = self.display.screen().root
        self._bindings: dict[tuple[int, int], tuple[str, Callable[[], None]]] = {}
        self.start()

    def register(self, combo: str, callback: Callable[[], None]) -> str | None:
        try:
            parsed = parse_combo(combo)
            keycode = self.display.keysym_to_keycode(keysym_for(parsed.key))
        except ComboError as exc:
            return str(exc)
        if not keycode:
            return f"{combo}: no key on this keyboard makes {parsed.key!r}"
        mask = 0
        for mod in parsed.modifiers:
            mask |= MODIFIER_MASKS[mod]
        if (keycode, mask) in self._bindings:
            return f"{combo} is already used by assist for something else"
        return self.call(lambda: self._grab(combo, keycode, mask, callback))

    def _grab(self, combo: str, keycode: int, mask: int, callback) -> str | None:
        catcher = xerror.CatchError(xerror.BadAccess)
        for variant in LOCK_VARIANTS:
            self._root.grab_key(keycode, mask | variant, True, X.GrabModeAsync, X.GrabModeAsync,
                                onerror=catcher)
        self.display.sync()
        if catcher.get_error():
            for variant in LOCK_VARIANTS:
                self._root.ungrab_key(keycode, mask | variant)
            self.display.sync()
            log.warning("hotkey %s is taken by another program", combo)
            return f"{combo} is taken by another program"
        self._bindings[(keycode, mask)] = (combo, callback)
        log.info("hotkey %s registered", combo)
        return None

    def unregister_all(self) -> None:
        def ungrab():
            for keycode, mask in self._bindings:
                for variant in LOCK_VARIANTS:
                    self._root.ungrab_key(keycode, mask | variant)
            self._bindings.clear()
            self.display.sync()
        if self.alive:
            self.call(ungrab)

    def handle_event(self, event) -> None:
        if event.type != X.KeyPress:
            return
        state = event.state & ~(X.LockMask | X.Mod2Mask)
        binding = self._bindings.get((event.detail, state & 0xFF))
        if binding:
            # The passive grab became an active grab of the whole keyboard until the key goes up:
            # end it now, or the paste key sent in answer would come back to us, not the target.
            self.display.ungrab_keyboard(X.CurrentTime)
            self.display.flush()
            binding[1]()

    def close(self) -> None:
        self.unregister_all()
        self.stop()
