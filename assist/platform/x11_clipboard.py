"""The X11 clipboard: read every target, and own the selection to serve text or a saved snapshot.

X11 has no clipboard storage: the program that copied serves the data on request. So saving means
asking the owner for every target (TARGETS, then each one, INCR for big ones) and restoring means
becoming the owner ourselves and serving the saved bytes, from a thread that keeps answering
requests (in chunks for big images) for as long as we own the selection.
"""

from __future__ import annotations

import logging
import select
import threading
import time

from Xlib import X, Xatom, error as xerror
from Xlib import display as xdisplay
from Xlib.protocol import event as xevent, request

from assist.platform.base import Clipboard, ClipboardSnapshot
from assist.platform.x11_loop import XEventThread

log = logging.getLogger(__name__)

# Targets that describe the selection rather than hold data: never saved, answered by the owner.
META_TARGETS = {"TARGETS", "MULTIPLE", "TIMESTAMP", "SAVE_TARGETS", "DELETE", "INSERT_SELECTION",
                "INSERT_PROPERTY", "_GTK_INCR", "INCR", "ATOM", "ATOM_PAIR"}
TEXT_TARGETS = ("UTF8_STRING", "text/plain;charset=utf-8", "text/plain", "STRING", "TEXT")


class _SelectionOwner(XEventThread):
    """Owns CLIPBOARD with a given set of formats and answers every request for them."""

    name = "x11-clipboard-owner"

    def __init__(self, display_name: str | None):
        super().__init__(display_name)
        self.window = self.display.screen().root.create_window(
            0, 0, 1, 1, 0, X.CopyFromParent, event_mask=X.PropertyChangeMask)
        atom = self.display.intern_atom
        self.clipboard = atom("CLIPBOARD")
        self.targets_atom = atom("TARGETS")
        self.timestamp_atom = atom("TIMESTAMP")
        self.incr_atom = atom("INCR")
        self._formats: dict[int, tuple[int, bytes]] = {}  # target atom -> (type atom, data)
        self._owned_at = X.CurrentTime
        self.owning = False
        self.served = threading.Event()  # a data target was handed to some application
        self.last_request_at = 0.0  # applications read a paste in several requests (see wait_taken)
        self.chunk = min(262_000, self.display.display.info.max_request_length * 4 - 1024) // 2
        self._incr: dict[tuple[int, int], tuple[object, int, bytes, int]] = {}
        self.manager_atom = atom("CLIPBOARD_MANAGER")
        self.handed_over = threading.Event()
        self.start()

    def ask_manager_to_save(self) -> bool:
        """ICCCM clipboard manager: before we exit, ask it to copy what we serve (SAVE_TARGETS),
        so the agent's restored clipboard outlives assist. False when there is no manager."""
        if not self.owning or self.display.get_selection_owner(self.manager_atom) == X.NONE:
            return False
        self.handed_over.clear()
        self.window.convert_selection(self.manager_atom, self.display.intern_atom("SAVE_TARGETS"),
                                      self.display.intern_atom("ASSIST_SAVE"), X.CurrentTime)
        self.display.flush()
        return True

    # -- called through call() from other threads --
    def own(self, formats: dict[str, bytes], types: dict[str, str]) -> bool:
        atom = self.display.intern_atom
        self._formats = {atom(target): (atom(types.get(target, target)), data)
                         for target, data in formats.items()}
        self.served.clear()
        self.window.set_selection_owner(self.clipboard, X.CurrentTime)
        self.display.sync()
        owner = self.display.get_selection_owner(self.clipboard)
        self.owning = owner == self.window or getattr(owner, "id", None) == self.window.id
        return self.owning

    def disown(self) -> None:
        if self.owning:
            request.SetSelectionOwner(display=self.display.display, window=X.NONE,
                                      selection=self.clipboard, time=X.CurrentTime)
            self.display.sync()
        self.owning = False
        self._formats = {}

    def formats_by_name(self) -> tuple[dict[str, bytes], dict[str, str]]:
        name = self.display.get_atom_name
        formats, types = {}, {}
        for target, (type_atom, data) in self._formats.items():
            formats[name(target)] = data
            if type_atom != target:
                types[name(target)] = name(type_atom)
        return formats, types

    # -- the event loop --
    def handle_event(self, event) -> None:
        if event.type == X.SelectionRequest:
            self._answer(event)
        elif event.type == X.SelectionClear and event.atom == self.clipboard:
            self.owning = False  # another program copied something: its data now, not ours
            self._formats = {}
        elif event.type == X.PropertyNotify and event.state == X.PropertyDelete:
            self._continue_incr(event)
        elif event.type == X.SelectionNotify and event.selection == self.manager_atom:
            self.handed_over.set()  # the manager has copied our formats (or refused)

    def _answer(self, request) -> None:
        prop = request.property if request.property != X.NONE else request.target
        ok = False
        catcher = xerror.CatchError()
        requestor = request.requestor
        self.last_request_at = time.monotonic()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("selection request for %s at %.3f", self.display.get_atom_name(request.target),
                      time.monotonic())
        if request.selection == self.clipboard and self.owning:
            if request.target == self.targets_atom:
                atoms = [self.targets_atom, self.timestamp_atom, *self._formats]
                requestor.change_property(prop, Xatom.ATOM, 32, atoms, onerror=catcher)
                ok = True
            elif request.target == self.timestamp_atom:
                requestor.change_property(prop, Xatom.INTEGER, 32, [0], onerror=catcher)
                ok = True
            elif request.target in self._formats:
                type_atom, data = self._formats[request.target]
                if len(data) > self.chunk:
                    self._start_incr(requestor, prop, type_atom, data, catcher)
                else:
                    requestor.change_property(prop, type_atom, 8, data, onerror=catcher)
                    self.served.set()
                ok = True
        notify = xevent.SelectionNotify(
            time=request.time, requestor=requestor, selection=request.selection,
            target=request.target, property=prop if ok else X.NONE)
        requestor.send_event(notify, onerror=catcher)
        self.display.flush()

    def _start_incr(self, requestor, prop, type_atom, data, catcher) -> None:
        # Big data (a screenshot) goes in chunks: announce the size, then one chunk each time the
        # requestor deletes the property.
        requestor.change_attributes(event_mask=X.PropertyChangeMask, onerror=catcher)
        requestor.change_property(prop, self.incr_atom, 32, [len(data)], onerror=catcher)
        self._incr[(requestor.id, prop)] = (requestor, type_atom, data, 0)

    def _continue_incr(self, event) -> None:
        key = (event.window.id, event.atom)
        if key not in self._incr:
            return
        requestor, type_atom, data, offset = self._incr[key]
        piece = data[offset:offset + self.chunk]
        catcher = xerror.CatchError()
        requestor.change_property(event.atom, type_atom, 8, piece, onerror=catcher)
        if not piece:
            del self._incr[key]
            requestor.change_attributes(event_mask=X.NoEventMask, onerror=catcher)
            self.served.set()
        else:
            self._incr[key] = (requestor, type_atom, data, offset + len(piece))
        self.display.flush()


class _SelectionReader:
    """Asks the current owner of a selection for its data, from the caller's thread."""

    def __init__(self, display_name: str | None, timeout: float):
        self.display = xdisplay.Display(display_name)
        self.window = self.display.screen().root.create_window(
            0, 0, 1, 1, 0, X.CopyFromParent, event_mask=X.PropertyChangeMask)
        self.prop = self.display.intern_atom("ASSIST_SELECTION")
        self.incr = self.display.intern_atom("INCR")
        self.timeout = timeout
        self.lock = threading.Lock()

    def _wait(self, match, deadline: float):
        while True:
            while self.display.pending_events():
                event = self.display.next_event()
                if match(event):
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            select.select([self.display.fileno()], [], [], remaining)

    def convert(self, selection: int, target: int) -> tuple[int, bytes | list] | None:
        """(type atom, data) of one target, or None when the owner refuses or does not answer."""
        self.window.delete_property(self.prop)
        self.window.convert_selection(selection, target, self.prop, X.CurrentTime)
        self.display.flush()
        deadline = time.monotonic() + self.timeout
        notify = self._wait(lambda e: e.type == X.SelectionNotify and e.selection == selection
                            and e.target == target, deadline)
        if notify is None or notify.property == X.NONE:
            return None
        reply = self.window.get_full_property(self.prop, X.AnyPropertyType, sizehint=65536)
        if reply is None:
            return None
        if reply.property_type == self.incr:
            return self._read_incr(deadline)
        self.window.delete_property(self.prop)
        self.display.flush()
        return reply.property_type, _as_bytes(reply)

    def _read_incr(self, deadline: float):
        chunks: list[bytes] = []
        type_atom = None
        self.window.delete_property(self.prop)  # tells the owner to send the first chunk
        self.display.flush()
        while True:
            event = self._wait(lambda e: e.type == X.PropertyNotify and e.atom == self.prop
                               and e.state == X.PropertyNewValue, deadline + 5)
            if event is None:
                return None
            reply = self.window.get_full_property(self.prop, X.AnyPropertyType, sizehint=65536)
            self.window.delete_property(self.prop)
            self.display.flush()
            if reply is None:
                continue
            data = _as_bytes(reply)
            type_atom = reply.property_type
            if not data:
                return type_atom, b"".join(chunks)
            chunks.append(data)

    def close(self) -> None:
        self.display.close()


def _as_bytes(reply) -> bytes | list:
    value = reply.value
    if reply.format == 8:
        return bytes(value) if not isinstance(value, str) else value.encode("latin-1")
    return list(value)


class X11Clipboard(Clipboard):
    name = "x11-selection"

    def __init__(self, display_name: str | None = None, *, timeout: float = 0.5, save_budget: float = 1.5):
        self.save_budget = save_budget
        self._reader = _SelectionReader(display_name, timeout)
        self._owner = _SelectionOwner(display_name)
        self._clipboard = self._reader.display.intern_atom("CLIPBOARD")

    # -- Clipboard --
    def save(self) -> ClipboardSnapshot:
        if self._owner.owning:  # our own earlier restore or paste: no round trip needed
            formats, types = self._owner.call(self._owner.formats_by_name)
            return ClipboardSnapshot(formats=formats, types=types)
        with self._reader.lock:
            return self._save_from_owner()

    def _save_from_owner(self) -> ClipboardSnapshot:
        reader = self._reader
        if reader.display.get_selection_owner(self._clipboard) == X.NONE:
            return ClipboardSnapshot()
        answer = reader.convert(self._clipboard, reader.display.intern_atom("TARGETS"))
        if answer is None or isinstance(answer[1], bytes):
            return ClipboardSnapshot()
        formats, types = {}, {}
        # a hung owner must not hold the agent's click for seconds: one overall budget
        deadline = time.monotonic() + self.save_budget
        for target in dict.fromkeys(answer[1]):  # unique, in the owner's order
            if time.monotonic() > deadline:
                log.warning("the clipboard owner answers slowly: %d formats saved, the rest skipped", len(formats))
                break
            try:
                name = reader.display.get_atom_name(target)
            except xerror.XError:
                continue
            if name in META_TARGETS:
                continue
            got = reader.convert(self._clipboard, target)
            if got is None or not isinstance(got[1], bytes):
                continue  # refused, or 16/32-bit data that is not content
            formats[name] = got[1]
            type_name = reader.display.get_atom_name(got[0])
            if type_name != name:
                types[name] = type_name
        return ClipboardSnapshot(formats=formats, types=types)

    def restore(self, snapshot: ClipboardSnapshot) -> None:
        if not snapshot.formats:
            self._owner.call(self._owner.disown)
            return
        self._owner.call(lambda: self._owner.own(dict(snapshot.formats), dict(snapshot.types)))

    def set_text(self, text: str) -> None:
        data = text.encode("utf-8")
        formats = {target: data for target in TEXT_TARGETS}
        formats["STRING"] = text.encode("latin-1", "replace")
        types = {"TEXT": "UTF8_STRING"}
        if not self._owner.call(lambda: self._owner.own(formats, types)):
            raise RuntimeError("could not take the clipboard")

    @property
    def owner_window_id(self) -> int:
        """The window that owns the clipboard when we do (watchers ignore our own changes)."""
        return self._owner.window.id

    def wait_taken(self, timeout: float, quiet: float = 0.05) -> bool:
        """True once an application has read what set_text put there and stopped asking.

        One read is not enough: Chromium asks for TARGETS and the text, then again several times,
        and pastes what the later request returned; restoring the clipboard after the first one
        pastes the old clipboard. So we wait until requests have been quiet for `quiet` seconds.
        """
        deadline = time.monotonic() + timeout
        if not self._owner.served.wait(timeout):
            return False
        while True:
            now = time.monotonic()
            idle = now - self._owner.last_request_at
            if idle >= quiet or now >= deadline:
                return True
            time.sleep(min(quiet - idle, deadline - now) + 0.001)

    def get_text(self) -> str:
        return self._read_text("CLIPBOARD")

    def get_selection(self) -> str:
        return self._read_text("PRIMARY")

    def _read_text(self, selection_name: str) -> str:
        if selection_name == "CLIPBOARD" and self._owner.owning:
            formats, _types = self._owner.call(self._owner.formats_by_name)
            data = formats.get("UTF8_STRING") or formats.get("text/plain;charset=utf-8") or b""
            return data.decode("utf-8", "replace")
        with self._reader.lock:
            atom = self._reader.display.intern_atom
            for target, encoding in (("UTF8_STRING", "utf-8"), ("STRING", "latin-1")):
                got = self._reader.convert(atom(selection_name), atom(target))
                if got is not None and isinstance(got[1], bytes):
                    return got[1].decode(encoding, "replace")
        return ""

    def close(self, handover_timeout: float = 2.0) -> None:
        # We may be serving the agent's restored clipboard: let a clipboard manager keep it
        try:
            if self._owner.alive and self._owner.call(self._owner.ask_manager_to_save):
                self._owner.handed_over.wait(handover_timeout)
        except Exception:
            log.debug("clipboard hand-over failed", exc_info=True)
        self._owner.stop()
        self._reader.close()
