"""A global key and mouse-button hook on X11 through the RECORD extension (python-xlib).

RECORD needs two connections: one blocks inside record_enable_context and calls us per batch of
events; the other disables the context to stop. The callback only decodes and queues.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from Xlib import X
from Xlib import display as xdisplay
from Xlib.ext import record
from Xlib.protocol import rq

from assist.platform.keystrokes import Click, Key
from assist.platform.x11 import keysym_name

log = logging.getLogger(__name__)

MASKS = ((X.ControlMask, "ctrl"), (X.Mod1Mask, "alt"), (X.ShiftMask, "shift"), (X.Mod4Mask, "super"))


def keysym_char(keysym: int) -> str:
    """The character a keysym types (Latin-1 and Unicode keysyms), "" for function keys."""
    if 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF:
        return chr(keysym)
    if 0x01000100 <= keysym <= 0x0110FFFF:
        return chr(keysym - 0x01000000)
    return ""


class XRecordHook:
    name = "xrecord"

    def __init__(self, display_name: str | None = None):
        self.display_name = display_name
        self.last_event_at = 0.0
        self._thread: threading.Thread | None = None
        self._control = None
        self._record = None
        self._context = None
        self._deliver: Callable[[object], None] | None = None
        self._lookup = xdisplay.Display(display_name)  # keycode -> keysym, cached by python-xlib
        if not self._lookup.has_extension("RECORD"):
            raise RuntimeError("the X server has no RECORD extension")

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, deliver: Callable[[object], None]) -> None:
        self._deliver = deliver
        self._control = xdisplay.Display(self.display_name)
        self._record = xdisplay.Display(self.display_name)
        self._context = self._control.record_create_context(0, [record.AllClients], [{
            "core_requests": (0, 0), "core_replies": (0, 0),
            "ext_requests": (0, 0, 0, 0), "ext_replies": (0, 0, 0, 0),
            "delivered_events": (0, 0), "device_events": (X.KeyPress, X.ButtonPress),
            "errors": (0, 0), "client_started": False, "client_died": False}])
        self._control.sync()
        self._thread = threading.Thread(target=self._run, name="xrecord-hook", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._record.record_enable_context(self._context, self._on_reply)
        except Exception:
            log.warning("the XRecord hook stopped", exc_info=True)

    def _on_reply(self, reply) -> None:
        if reply.category != record.FromServer or reply.client_swapped or not reply.data:
            return
        data = reply.data
        while len(data):
            event, data = rq.EventField(None).parse_binary_value(data, self._record.display, None, None)
            self.last_event_at = time.monotonic()
            if event.type in (X.KeyPress, X.KeyRelease):
                self._deliver(self._key(event))
            elif event.type == X.ButtonPress and event.detail in (1, 2, 3):
                self._deliver(Click())

    def _key(self, event) -> Key:
        base = self._lookup.keycode_to_keysym(event.detail, 0)
        shifted = bool(event.state & X.ShiftMask) ^ bool(event.state & X.LockMask)
        typed = self._lookup.keycode_to_keysym(event.detail, 1 if shifted else 0) or base
        modifiers = frozenset(name for mask, name in MASKS if event.state & mask)
        return Key(name=keysym_name(base), char=keysym_char(typed),
                   pressed=event.type == X.KeyPress, modifiers=modifiers)

    def stop(self) -> None:
        if self._control is None:
            return
        try:
            self._control.record_disable_context(self._context)
            self._control.sync()
            if self._thread is not None:
                self._thread.join(2)
            self._control.record_free_context(self._context)
            self._control.sync()
        except Exception:
            log.debug("stopping XRecord", exc_info=True)
        for conn in (self._record, self._control):
            try:
                conn.close()
            except Exception:
                pass
        self._control = self._record = None
