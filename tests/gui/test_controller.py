"""The overlay's behaviour end to end inside the process: desktop events in, overlay and inserter out.

The analysis engine is the small fake of fake_engine.py; the phrase library is the real one (shipped
phrasebank plus a personal store in a temporary folder). The platform parts are recording fakes
here: the real X11 backends are proven in tests/e2e.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading

import pytest
from PySide6.QtCore import Qt

from assist.platform.base import (
    BackendWarning, Clipboard, ClipboardSnapshot, CustomerMessage, DraftChanged, FocusChanged, FocusInfo,
    Hotkeys, Inserter, InsertResult, MessageSent, Watcher, WindowInfo,
)
from assist.ui import ack
from assist.ui.bridge import Bridge
from assist.ui.controller import Controller, PlatformParts
from assist.ui.overlay import OverlayWindow
from assist.ui.phrase_actions import PhraseActions
from assist.ui.worker import AnalysisWorker

from fake_engine import FakeEngine

CHAT = WindowInfo(window_id=42, app_name="chromium", wm_class="chromium", title="Support chat", pid=1)
ANGRY = "This is the third time I write!!! I'm furious, where is my order?"


class RecordingInserter(Inserter):
    name = "recording"

    def __init__(self, result=None):
        self.calls = []
        self.threads = []
        self.result = result

    def insert(self, text, target):
        self.calls.append((text, target))
        self.threads.append(threading.current_thread().name)
        return self.result or InsertResult(True, method="paste", elapsed_ms=3.0)


class ActiveWindow(FocusInfo):
    def __init__(self, window):
        self.window = window

    def active_window(self):
        return self.window


class Selection(Clipboard):
    def __init__(self, text):
        self.text = text

    def save(self):
        return ClipboardSnapshot()

    def restore(self, snapshot):
        pass

    def set_text(self, text):
        self.text = text

    def get_text(self):
        return self.text


class RecordingWatcher(Watcher):
    name = "recording-watcher"

    def __init__(self):
        self.emit = None
        self.paused = []

    def start(self, emit):
        self.emit = emit

    def stop(self):
        self.emit = None

    def set_paused(self, paused):
        self.paused.append(paused)


class RecordingHotkeys(Hotkeys):
    def __init__(self, taken=()):
        self.callbacks = {}
        self.taken = set(taken)

    def register(self, combo, callback):
        if combo in self.taken:
            return "taken by another program"
        self.callbacks[combo] = callback
        return None

    def unregister_all(self):
        self.callbacks.clear()


@pytest.fixture
def rig(qtbot, paths):
    overlay = OverlayWindow(state_dir=paths.state)
    qtbot.addWidget(overlay)
    overlay.show()
    bridge = Bridge()
    worker = AnalysisWorker(FakeEngine(), debounce_ms=40)
    with qtbot.waitSignal(worker.ready):
        worker.start()
    from assist.config import Settings

    controller = Controller(overlay, worker, bridge, Settings.load(paths), PhraseActions(paths))
    watcher, inserter = RecordingWatcher(), RecordingInserter()
    controller.attach_platform(PlatformParts(watchers=[watcher], inserter=inserter, clipboard=Selection(ANGRY),
                                             focus=ActiveWindow(CHAT), hotkeys=RecordingHotkeys()))
    controller.start_watchers()
    yield controller, watcher, inserter
    controller.shutdown()
    worker.stop()


def analysed(qtbot, controller, predicate=lambda a: True):
    qtbot.waitUntil(lambda: controller.analysis is not None and predicate(controller.analysis), timeout=3000)
    return controller.analysis


def test_customer_message_then_draft_drive_the_warning(qtbot, rig):
    controller, watcher, _ = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    assert controller.overlay.badge.emotion == "anger"
    assert controller.overlay.ack_banner.state == ack.HINT
    for partial in ("Let", "Let me", "Let me check"):
        watcher.emit(DraftChanged(partial, CHAT, "atspi"))
    analysed(qtbot, controller, lambda a: a.acknowledged is False)
    assert controller.overlay.ack_banner.state == ack.MISSING
    watcher.emit(DraftChanged("I'm so sorry, let me check", CHAT, "atspi"))
    analysed(qtbot, controller, lambda a: a.acknowledged is True)
    assert controller.overlay.ack_banner.state == ack.OK
    watcher.emit(MessageSent(CHAT))
    analysed(qtbot, controller, lambda a: a.acknowledged is None)
    assert controller.session.draft == ""


def test_click_inserts_into_the_window_the_agent_was_in_off_the_gui_thread(qtbot, rig, paths):
    controller, watcher, inserter = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysis = analysed(qtbot, controller)
    qtbot.mouseClick(controller.overlay.suggestions.buttons[0], Qt.LeftButton)
    qtbot.waitUntil(lambda: controller.session.used_phrase_ids == [analysis.suggestions[0].id], timeout=3000)
    assert inserter.calls == [(analysis.suggestions[0].text, CHAT)]
    assert inserter.threads[0].startswith("assist-insert")
    usage = json.loads((paths.data / "usage.json").read_text())
    assert usage["phrases"][analysis.suggestions[0].id]["count"] == 1
    assert "Inserted" in controller.overlay.status.text()


def test_when_the_overlay_itself_is_active_the_last_chat_window_is_the_target(qtbot, rig):
    controller, watcher, inserter = rig
    ours = WindowInfo(window_id=7, app_name="assist", pid=os.getpid())
    controller.platform.focus = ActiveWindow(ours)
    watcher.emit(FocusChanged(CHAT, True))
    watcher.emit(FocusChanged(ours, False))
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    controller.insert_suggestion(1, "click")
    qtbot.waitUntil(lambda: len(inserter.calls) == 1, timeout=3000)
    assert inserter.calls[0][1] == CHAT


def test_a_refused_insertion_says_why(qtbot, rig):
    controller, watcher, inserter = rig
    inserter.result = InsertResult(False, reason="focus moved to Terminal")
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    controller.insert_suggestion(0, "hotkey")
    qtbot.waitUntil(lambda: "focus moved to Terminal" in controller.overlay.status.text(), timeout=3000)
    assert controller.session.used_phrase_ids == []


def test_hotkey_number_without_a_suggestion_is_explained(qtbot, rig):
    controller, _, inserter = rig
    controller.insert_suggestion(4, "hotkey")
    assert "no suggestion 5" in controller.overlay.status.text()
    assert inserter.calls == []


def test_hotkey_after_an_acknowledging_reply_says_none_is_needed(qtbot, rig):
    controller, watcher, inserter = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    watcher.emit(DraftChanged("I'm so sorry, let me check", CHAT, "atspi"))
    done = analysed(qtbot, controller, lambda a: a.acknowledged is True)
    # The real suggester returns nothing once the draft acknowledges (tests/unit cover that rule).
    controller.analysis = dataclasses.replace(done, suggestions=())
    controller.insert_suggestion(0, "hotkey")
    assert "already acknowledges" in controller.overlay.status.text()
    assert inserter.calls == []


def test_hotkey_callbacks_from_another_thread_run_on_the_gui_thread(qtbot, rig):
    controller, watcher, inserter = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    ran_on = []
    thread = threading.Thread(target=lambda: controller.bridge.post(
        lambda: (ran_on.append(threading.current_thread()), controller.insert_suggestion(0, "hotkey"))))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(inserter.calls) == 1, timeout=3000)
    assert ran_on == [threading.main_thread()]


def test_analyse_selection_reads_the_selection_as_the_customer_message(qtbot, rig):
    controller, _, _ = rig
    controller.analyse_selection()
    analysis = analysed(qtbot, controller)
    assert controller.session.customer == ANGRY and analysis.emotion == "anger"


def test_empty_selection_is_said_plainly(qtbot, rig):
    controller, _, _ = rig
    controller.platform.clipboard = Selection("   ")
    controller.analyse_selection()
    qtbot.waitUntil(lambda: "Nothing to analyse" in controller.overlay.status.text(), timeout=3000)


def test_pause_stops_watching_but_not_explicit_actions(qtbot, rig):
    controller, watcher, _ = rig
    controller.toggle_pause()
    assert watcher.paused == [True] and "paused" in controller.overlay.watch_label.text()
    watcher.emit(DraftChanged("typing", CHAT, "atspi"))
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    qtbot.wait(150)
    assert controller.analysis is None  # watched events are ignored while paused
    controller.customer_text(ANGRY, "overlay")  # the paste box still works
    analysed(qtbot, controller)
    controller.toggle_pause()
    assert watcher.paused == [True, False]


def test_backend_warnings_are_shown_with_their_reason(qtbot, rig):
    controller, watcher, _ = rig
    seen = []
    controller.problems_changed.connect(seen.append)
    watcher.emit(BackendWarning("draft", "AT-SPI bus not reachable"))
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[-1] == ["draft: AT-SPI bus not reachable"]
    assert "AT-SPI bus not reachable" in controller.overlay.watch_label.toolTip()


def test_favourite_and_hide_from_the_overlay_change_the_library(qtbot, rig, paths):
    controller, watcher, _ = rig
    shipped = controller.phrases.all()[0]
    suggestion = type("S", (), {"id": shipped.id})()
    controller._favourite(suggestion, True)
    qtbot.waitUntil(lambda: shipped.id in controller.phrases.favourite_ids(), timeout=3000)
    qtbot.waitUntil(lambda: "favourites" in controller.overlay.status.text(), timeout=3000)
    controller._hide_phrase(suggestion)
    qtbot.waitUntil(lambda: controller.phrases.get(shipped.id).hidden, timeout=3000)
    assert shipped.id in (paths.data / "phrases.yaml").read_text()


def test_search_inserts_a_library_phrase_with_placeholders_filled(qtbot, rig):
    controller, _, inserter = rig
    controller.session.placeholders["customer_name"] = "Ana"
    hits = controller.phrases.search("sorry")
    assert hits
    controller.overlay.search.set_provider(controller.phrases.search)
    controller.overlay.phrase_chosen.emit(hits[0].id, "Hi {customer_name}, I'm sorry.")
    qtbot.waitUntil(lambda: len(inserter.calls) == 1, timeout=3000)
    assert inserter.calls[0][0] == "Hi Ana, I'm sorry."


def test_new_chat_forgets_everything(qtbot, rig):
    controller, watcher, _ = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    controller.new_chat()
    assert controller.session.customer == "" and controller.analysis is None
    assert controller.overlay.trend.points == [] and not controller.overlay.suggestions.visible_buttons()


def test_search_phrase_goes_to_the_chat_that_was_active_before_the_overlay_took_the_keyboard(qtbot, rig):
    controller, _, inserter = rig
    focus = ActiveWindow(CHAT)
    controller.platform.focus = focus
    qtbot.mouseClick(controller.overlay.search.field, Qt.LeftButton)  # chat still active at this moment
    focus.window = WindowInfo(window_id=7, app_name="assist", pid=os.getpid())  # now the overlay is

    def give_back():
        focus.window = CHAT  # what the window manager does once the overlay lets go

    controller.overlay.search.finished.connect(give_back)
    controller.overlay.phrase_chosen.emit("some.id", "Thanks for waiting.")
    controller.overlay.search.finished.emit()
    qtbot.waitUntil(lambda: len(inserter.calls) == 1, timeout=3000)
    assert inserter.calls[0] == ("Thanks for waiting.", CHAT)


def test_watchers_start_even_before_the_gui_thread_attached_them(qtbot, paths, monkeypatch):
    """The app makes the backends on a thread and starts their watchers there at once, while
    attaching them to the controller waits for the GUI thread: the watchers must start anyway."""
    import argparse

    from PySide6.QtWidgets import QApplication

    import assist.app as app_module
    from assist.config import Settings

    watcher = RecordingWatcher()
    parts = PlatformParts(watchers=[watcher], inserter=RecordingInserter(), focus=ActiveWindow(CHAT),
                          hotkeys=RecordingHotkeys())
    monkeypatch.setattr(app_module, "_platform_parts", lambda settings: parts)
    args = argparse.Namespace(temp_basedir=True, basedir=None, json_logging=False, debug=False)
    overlay_app = app_module.OverlayApp(args, paths, Settings.load(paths), QApplication.instance())
    qtbot.addWidget(overlay_app.overlay)
    overlay_app._make_platform()  # as its thread does: nothing has reached the GUI thread yet
    assert watcher.emit is not None
    qtbot.waitUntil(lambda: overlay_app.controller.platform is parts, timeout=3000)
    assert set(parts.hotkeys.callbacks) >= {"ctrl+alt+1", "ctrl+alt+a", "ctrl+alt+space", "ctrl+alt+p"}
    overlay_app.controller.shutdown()


def test_the_same_message_read_again_is_not_analysed_again(qtbot, rig):
    controller, watcher, _ = rig
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    analysed(qtbot, controller)
    first = controller.analysis
    watcher.emit(CustomerMessage(ANGRY, CHAT, "atspi-log"))
    qtbot.wait(150)
    assert controller.analysis is first and list(controller.session.history) == []
    controller.customer_text(ANGRY, "overlay")  # the agent asking explicitly is always answered
    qtbot.waitUntil(lambda: controller.analysis is not first, timeout=3000)


def test_an_application_that_is_not_watched_is_said_so(qtbot, rig):
    controller, watcher, _ = rig
    terminal = WindowInfo(window_id=9, app_name="xterm", pid=2)
    watcher.emit(FocusChanged(terminal, False))
    qtbot.waitUntil(lambda: "not watching" in controller.overlay.watch_label.text(), timeout=2000)
    watcher.emit(FocusChanged(CHAT, True))
    qtbot.waitUntil(lambda: controller.overlay.watch_label.text() == "· watching", timeout=2000)
