"""The app menu (tray icon and the overlay's ⋯ button share it) and the tray icon's state.

The tray icon says at a glance whether assist is watching, paused, or missing a backend (with the
reason in its tooltip). Where the desktop has no tray (some Linux sessions), the same menu is on
the overlay's ⋯ button, so nothing is out of reach.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from . import icons


def shift_view_available() -> bool:
    """The "My shift" view is an optional module (written separately); offer it when it is there."""
    try:
        return importlib.util.find_spec("assist.ui.shift_view") is not None
    except (ImportError, ValueError):
        return False


class AppMenu(QMenu):
    pause_toggled = Signal(bool)
    show_overlay = Signal()
    search = Signal()
    new_chat = Signal()
    open_phrase_editor = Signal()
    open_settings = Signal()
    open_shift = Signal()
    open_about = Signal()
    quit_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("app-menu")
        self.setAccessibleName("assist menu")
        self.status_action = self.addAction("Watching")
        self.status_action.setEnabled(False)
        self.addSeparator()
        self.pause_action = self._add("Pause watching", "pause", "Ctrl+Alt+P")
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.pause_toggled)
        self._add("Show or hide the overlay", "toggle-overlay", "Ctrl+Alt+Space").triggered.connect(
            self.show_overlay)
        self._add("Search phrases…", "search", "Ctrl+Alt+F").triggered.connect(self.search)
        self._add("New chat (forget this conversation)", "new-chat").triggered.connect(self.new_chat)
        self.addSeparator()
        self._add("Phrase editor…", "phrase-editor").triggered.connect(self.open_phrase_editor)
        self.shift_action = None
        if shift_view_available():
            self.shift_action = self._add("My shift…", "my-shift")
            self.shift_action.triggered.connect(self.open_shift)
        self._add("Settings…", "settings").triggered.connect(self.open_settings)
        self._add("About assist", "about").triggered.connect(self.open_about)
        self.addSeparator()
        self._add("Quit assist", "quit").triggered.connect(self.quit_requested)

    def _add(self, text: str, name: str, shortcut: str = "") -> QAction:
        action = self.addAction(text + (f"\t{shortcut}" if shortcut else ""))
        action.setObjectName(name)
        return action

    def action(self, name: str) -> QAction | None:
        for action in self.actions():
            if action.objectName() == name:
                return action
        return None

    def set_state(self, paused: bool, problems) -> None:
        if self.pause_action.isChecked() != paused:
            self.pause_action.blockSignals(True)
            self.pause_action.setChecked(paused)
            self.pause_action.blockSignals(False)
        if paused:
            self.status_action.setText("Paused: not watching the chat")
        elif problems:
            self.status_action.setText("Limited: " + "; ".join(problems))
        else:
            self.status_action.setText("Watching the chat")


class Tray(QObject):
    """The tray icon; absent (and harmless) where the desktop has no tray."""

    activated = Signal()

    def __init__(self, menu: AppMenu, parent=None):
        super().__init__(parent)
        self.icon = None
        self.tooltip = "assist"
        self.state = icons.NORMAL
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon = QSystemTrayIcon(icons.app_icon(), self)
            self.icon.setContextMenu(menu)
            self.icon.activated.connect(self._on_activated)
            self.icon.show()

    def _on_activated(self, reason) -> None:
        if reason in (QSystemTrayIcon.Trigger, QSystemTrayIcon.DoubleClick):
            self.activated.emit()

    def set_state(self, paused: bool, problems) -> None:
        if paused:
            self.state, self.tooltip = icons.PAUSED, "assist: paused"
        elif problems:
            self.state = icons.WARNING
            self.tooltip = "assist: some things are unavailable\n" + "\n".join(problems)
        else:
            self.state, self.tooltip = icons.NORMAL, "assist: watching"
        if self.icon is not None:
            self.icon.setIcon(icons.app_icon(self.state))
            self.icon.setToolTip(self.tooltip)
