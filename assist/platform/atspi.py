"""AT-SPI (Linux accessibility): the focused chat input's text as it changes, the chat's message
list (an ARIA log or list above the input), and exact insertion through EditableText.

Runs a GLib main loop on its own thread with its own main context, so the Qt main loop (which may
also use GLib) never runs our callbacks. The AT-SPI Python bindings (gi) come from the system's
python3-gi/gir1.2-atspi-2.0; inside a virtualenv we add Debian's dist-packages to the path here,
and only here, when its gi was built for this Python. The PyInstaller bundle carries its own gi,
typelibs and libatspi (packaging/assist.spec). Without them, `load()` says why and the factory
falls back.

Privacy: a password field is never read (role "password text", checked before every read), text
stays in memory, nothing of it is logged.
"""

from __future__ import annotations

import logging
import sys
import threading
from concurrent.futures import Future
from typing import Callable

from assist.platform.base import (ChatWatcher, DraftChanged, FocusChanged, FocusInfo, WatchEvent,
                                  WindowInfo)

log = logging.getLogger(__name__)

SYSTEM_PACKAGES = ("/usr/lib/python3/dist-packages",)
Atspi = None
GLib = None


def load() -> str | None:
    """Import the AT-SPI bindings; returns None, or the reason they are unavailable."""
    global Atspi, GLib
    if Atspi is not None:
        return None
    try:
        import gi  # noqa: F401
    except ImportError:
        reason = _system_gi()
        if reason:
            return reason
    try:
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi as _Atspi, GLib as _GLib
    except (ImportError, ValueError) as exc:
        return f"the AT-SPI bindings are missing ({exc}); install gir1.2-atspi-2.0"
    Atspi, GLib = _Atspi, _GLib
    return None


def _system_gi() -> str | None:
    """Import the system's gi (Debian's python3-gi) if it fits this Python; None, or why not."""
    import os
    from importlib.machinery import EXTENSION_SUFFIXES
    # the ABI is in the extension's name: _gi.cpython-311-x86_64-linux-gnu.so
    suffixes = [suffix for suffix in EXTENSION_SUFFIXES if suffix != ".so"]
    fitting = [path for path in SYSTEM_PACKAGES
               if any(os.path.isfile(os.path.join(path, "gi", "_gi" + suffix)) for suffix in suffixes)]
    added = [path for path in fitting if path not in sys.path]
    sys.path.extend(added)
    try:
        import gi  # noqa: F401
        return None
    except ImportError as exc:
        for path in added:
            sys.path.remove(path)
        if fitting:
            return f"the AT-SPI bindings could not be loaded ({exc})"
    if getattr(sys, "frozen", False):
        return "this assist was built without the AT-SPI bindings (PyGObject)"
    if any(os.path.isdir(os.path.join(path, "gi")) for path in SYSTEM_PACKAGES):
        return ("the system's python3-gi is built for another Python than assist's "
                "(Python %d.%d)" % sys.version_info[:2])
    return "the AT-SPI bindings are missing (install python3-gi and gir1.2-atspi-2.0)"


def is_password(acc) -> bool:
    try:
        if acc.get_role() == Atspi.Role.PASSWORD_TEXT:
            return True
        # some toolkits mark a masked entry only by its name or attributes
        attributes = acc.get_attributes() or {}
        return attributes.get("text-input-type") == "password" or attributes.get("input-type") == "password"
    except Exception:
        return True  # when in doubt, do not read


def is_editable_text(acc) -> bool:
    try:
        states = acc.get_state_set()
        return states.contains(Atspi.StateType.EDITABLE) and "Text" in (acc.get_interfaces() or [])
    except Exception:
        return False


def _has_focus(acc) -> bool:
    try:
        return acc.get_state_set().contains(Atspi.StateType.FOCUSED)
    except Exception:
        return False


def read_text(acc) -> str | None:
    """The whole text of an accessible, or None for a password field or a failure."""
    if acc is None or is_password(acc):
        return None
    try:
        return Atspi.Text.get_text(acc, 0, -1)
    except Exception:
        return None


def app_allowed(window: WindowInfo | None, app_name: str, allowed: list[str]) -> bool:
    haystack = " ".join(filter(None, [app_name, window and window.app_name, window and window.wm_class])).lower()
    return any(entry.strip().lower() in haystack for entry in allowed if entry.strip())


class _Loop:
    """A GLib main loop on its own thread and main context."""

    def __init__(self, name: str):
        self.context = GLib.MainContext.new()
        self.loop = GLib.MainLoop.new(self.context, False)
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.ready = threading.Event()

    def start(self, setup: Callable[[], None]) -> None:
        self._setup = setup
        self.thread.start()
        self.ready.wait(5)

    def _run(self) -> None:
        self.context.push_thread_default()
        # init first: libatspi attaches its bus to the context it has when set_main_context is
        # called, and init alone would attach it to the default context (Qt's, maybe)
        Atspi.init()
        try:
            Atspi.set_main_context(self.context)
        except AttributeError:  # libatspi older than 2.34: events go through the default context
            pass
        try:
            self._setup()
        finally:
            self.ready.set()
        self.loop.run()
        self.context.pop_thread_default()

    def call(self, func: Callable, timeout: float = 2.0):
        if threading.current_thread() is self.thread or not self.thread.is_alive():
            return func()
        future: Future = Future()

        def run(*_user_data):
            try:
                future.set_result(func())
            except Exception as exc:
                future.set_exception(exc)
            return False
        source = GLib.idle_source_new()
        source.set_callback(run)
        source.attach(self.context)
        return future.result(timeout)

    def stop(self) -> None:
        self.loop.quit()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(2)


EVENTS = ("window:activate", "object:state-changed:focused", "object:text-changed", "object:text-caret-moved",
          "object:children-changed")


class AtspiWatcher(ChatWatcher):
    """Emits FocusChanged, DraftChanged and CustomerMessage from AT-SPI events, on its own thread."""

    name = "atspi"

    def __init__(self, allowed_apps: list[str], focus: FocusInfo | None = None):
        reason = load()
        if reason:
            raise RuntimeError(reason)
        self.allowed_apps = list(allowed_apps)
        self.focus = focus
        self._emit: Callable[[WatchEvent], None] | None = None
        self._paused = False
        self._loop: _Loop | None = None
        self._listener = None
        self._focused = None  # the focused editable text we watch (never a password field)
        self._current = None  # the focused editable text, watched or not
        self._window: WindowInfo | None = None
        self._log = None  # the chat's message list, when the page has one
        self._last_draft: str | None = None
        self._last_customer: str | None = None
        self.last_event_at = 0.0

    # -- Watcher --
    def start(self, emit: Callable[[WatchEvent], None]) -> None:
        self._emit = emit
        self._loop = _Loop("atspi-watcher")
        self._loop.start(self._setup)

    def stop(self) -> None:
        if self._loop is None:
            return
        try:
            self._loop.call(self._teardown)
        except Exception:
            pass
        self._loop.stop()
        self._loop = None

    # -- for the inserter, called from any thread --
    def _ensure_focus(self):
        """The watched input, looked up again if we have none, it lost the focus, or it belongs
        to another application than the active window (a browser keeps its text box "focused"
        while the agent works in another window)."""
        active = self.focus.active_window() if self.focus is not None else None
        acc = self._current
        stale = acc is None or not _has_focus(acc)
        if not stale and active is not None and active.pid:
            try:
                stale = acc.get_process_id() != active.pid
            except Exception:
                stale = True
        if stale:
            self._adopt_current_focus(active.pid if active is not None else None)
        return self._focused

    def text_around_caret(self) -> tuple[str, str] | None:
        def read():
            acc = self._ensure_focus()
            text = read_text(acc)
            if text is None:
                return None
            caret = Atspi.Text.get_caret_offset(acc)
            return text[:caret], text[caret:]
        return self._call(read)

    def can_insert(self, target: WindowInfo | None) -> bool:
        def check():
            acc = self._ensure_focus()
            if acc is None or is_password(acc) or "EditableText" not in (acc.get_interfaces() or []):
                return False
            if target is not None and target.pid and acc.get_process_id() != target.pid:
                return False
            return True
        return bool(self._call(check))

    def insert_at_caret(self, text: str) -> bool:
        def insert():
            acc = self._focused
            if acc is None or is_password(acc):
                return False
            caret = Atspi.Text.get_caret_offset(acc)
            if not Atspi.EditableText.insert_text(acc, caret, text, len(text.encode("utf-8"))):
                return False
            Atspi.Text.set_caret_offset(acc, caret + len(text))
            return True
        return bool(self._call(insert))

    def _call(self, func):
        if self._loop is None:
            return None
        try:
            return self._loop.call(func)
        except Exception:
            log.debug("AT-SPI call failed", exc_info=True)
            return None

    # -- the loop's thread --
    def _setup(self) -> None:
        self._listener = Atspi.EventListener.new(self._on_event)
        for event in EVENTS:
            self._listener.register(event)
        self._adopt_current_focus()

    def _teardown(self) -> None:
        if self._listener is not None:
            for event in EVENTS:
                self._listener.deregister(event)
            self._listener = None

    def _adopt_current_focus(self, pid: int | None = None) -> None:
        """The input that has the focus now (events only tell about changes), in the
        application with `pid` when it is known."""
        try:
            desktop = Atspi.get_desktop(0)
            log.debug("looking for the focused input among %d applications", desktop.get_child_count())
            for index in range(desktop.get_child_count()):
                app = desktop.get_child_at_index(index)
                if app is None or (pid and app.get_process_id() != pid):
                    continue
                found = self._find_focused(app, depth=0)
                if found is not None:
                    self._focus_to(found)
                    return
        except Exception:
            log.debug("could not find the focused input at start", exc_info=True)

    def _find_focused(self, acc, depth: int):
        if acc is None or depth > 40:
            return None
        states = acc.get_state_set()
        if states.contains(Atspi.StateType.FOCUSED) and is_editable_text(acc):
            return acc
        if depth > 1 and states.contains(Atspi.StateType.DEFUNCT):
            return None
        for index in range(min(acc.get_child_count(), 200)):
            found = self._find_focused(acc.get_child_at_index(index), depth + 1)
            if found is not None:
                return found
        return None

    def _on_event(self, event) -> None:
        import time
        self.last_event_at = time.monotonic()
        try:
            kind = event.type
            if kind.startswith("window:activate"):
                found = self._find_focused(event.source, depth=0)
                if found is not None:
                    self._focus_to(found)
            elif kind.startswith("object:state-changed:focused"):
                if event.detail1:
                    self._focus_to(event.source)
            elif kind.startswith("object:text-changed") or kind.startswith("object:text-caret-moved"):
                if self._focused is not None and event.source == self._focused:
                    self._emit_draft()
                elif event.source != self._current and _has_focus(event.source):
                    self._focus_to(event.source)  # we missed its focus event (started later)
            elif kind.startswith("object:children-changed"):
                if self._log is not None and event.source == self._log:
                    self._emit_customer()
        except Exception:
            log.debug("AT-SPI event not handled", exc_info=True)

    def _focus_to(self, acc) -> None:
        if not is_editable_text(acc):
            return  # focus on a button or link inside the chat window: keep the input we had
        window = self.focus.active_window() if self.focus is not None else None
        app = acc.get_application()
        app_name = app.get_name() if app is not None else ""
        if window is None:
            window = WindowInfo(window_id=f"atspi:{acc.get_process_id()}", app_name=app_name.lower(),
                                pid=acc.get_process_id())
        if acc == self._current and window == self._window:
            return  # the same input again (our start-up scan, then its focus event)
        password = is_password(acc)
        watched = (not password) and app_allowed(window, app_name, self.allowed_apps)
        log.debug("focus: role=%s password=%s watched=%s same_pid=%s", acc.get_role_name(), password, watched,
                  window.pid == acc.get_process_id())
        self._current = acc
        self._focused = acc if watched else None
        self._window = window
        self._log = self._find_message_list(acc) if watched else None
        self._last_draft = None
        self._send(FocusChanged(window=window, watched=watched), always=True)
        if watched:
            self._emit_draft()
            self._emit_customer()

    def _emit_draft(self) -> None:
        text = read_text(self._focused)
        if text is None or text == self._last_draft:
            return
        self._last_draft = text
        self._send(DraftChanged(text=text, window=self._window, source="atspi"))

    # -- the chat's message list --
    def _find_message_list(self, acc):
        """The chat's ARIA log in the input's document; else the list nearest to the input (a
        help desk's conversation sits next to its reply box, the navigation menu further away)."""
        document = acc
        for _ in range(30):
            parent = document.get_parent()
            if parent is None:
                break
            document = parent
            if document.get_role() in (Atspi.Role.DOCUMENT_WEB, Atspi.Role.DOCUMENT_FRAME, Atspi.Role.FRAME):
                break
        found = {"log": None}
        self._search_log(document, found, 0)
        if found["log"] is not None:
            return found["log"]
        node = acc
        for _ in range(30):
            parent = node.get_parent()
            if parent is None:
                return None
            for index in range(min(parent.get_child_count(), 200)):
                child = parent.get_child_at_index(index)
                if child is None or child == node:
                    continue
                near = _first_list(child, 0)
                if near is not None:
                    return near
            if parent == document:
                return None
            node = parent
        return None

    def _search_log(self, acc, found: dict, depth: int) -> None:
        if acc is None or depth > 25 or found["log"] is not None:
            return
        if acc.get_role() == Atspi.Role.LOG:
            found["log"] = acc
            return
        for index in range(min(acc.get_child_count(), 500)):
            self._search_log(acc.get_child_at_index(index), found, depth + 1)

    def _emit_customer(self) -> None:
        self._send_customer(latest_customer_message(self._log), self._window, "atspi-log")



def _first_list(acc, depth: int):
    if acc is None or depth > 12:
        return None
    if acc.get_role() == Atspi.Role.LIST and acc.get_child_count() >= 2:
        return acc
    for index in range(min(acc.get_child_count(), 200)):
        found = _first_list(acc.get_child_at_index(index), depth + 1)
        if found is not None:
            return found
    return None


AGENT_MARKERS = ("agent", "you", "me", "outgoing", "sent", "support")


def latest_customer_message(message_list) -> str | None:
    """The text of the last message in the list that is not marked as the agent's own."""
    if message_list is None:
        return None
    try:
        count = message_list.get_child_count()
        for index in range(count - 1, max(-1, count - 50), -1):
            item = message_list.get_child_at_index(index)
            if item is None or is_password(item):
                continue
            label = f"{item.get_name() or ''} {item.get_description() or ''}".lower()
            if any(marker in label.split() for marker in AGENT_MARKERS):
                continue
            text = _item_text(item).strip().lstrip("•◦▪‣⁃·").strip()  # a list's bullet is not the message
            if text:
                return text
    except Exception:
        log.debug("message list not readable", exc_info=True)
    return None


def _item_text(acc, depth: int = 0) -> str:
    if depth > 6 or is_password(acc):
        return ""
    if "Text" in (acc.get_interfaces() or []):
        text = Atspi.Text.get_text(acc, 0, -1) or ""
        # embedded objects show as U+FFFC: read their children instead
        if "\ufffc" not in text:
            return text
    parts = [_item_text(acc.get_child_at_index(i), depth + 1) for i in range(min(acc.get_child_count(), 50))]
    return " ".join(p for p in parts if p)
