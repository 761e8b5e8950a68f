"""The overlay: a small always-on-top window that never takes keyboard focus from the chat.

It shows the customer's emotion (badge, highlighted cues, topics, trend), warns when the reply
misses an acknowledgment, and offers suggestions; it only *shows* and *forwards* the agent's
choices as signals. `app.py` decides what they do.

Focus: the window is a frameless tool window that does not accept focus and shows without
activating, so a click on a suggestion leaves the keyboard in the chat box. Only when the agent
clicks into the search field or the paste box does it accept focus for a moment ("input mode"), and
it gives focus back when they are done.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QSizePolicy, QStackedWidget, QToolButton, QVBoxLayout, QWidget,
)

from . import ack, theme
from .badge import EmotionBadge
from .chips import TopicChips
from .cues import CueView
from .icons import app_icon
from .paste_box import PasteBox
from .placement import PositionStore, beside_position, clamp_and_snap, docked_position, screen_key
from .search import SearchBox
from .suggestions import ACKNOWLEDGED_TEXT, EMPTY_TEXT, SuggestionList
from .trend import TrendSparkline

WIDTH = 352
COLLAPSED_WIDTH = 236
STATUS_SECONDS = 6


def no_focus_flags() -> Qt.WindowType:
    return (Qt.Tool | Qt.FramelessWindowHint | Qt.WindowStaysOnTopHint | Qt.WindowDoesNotAcceptFocus)


def _set_windows_noactivate(widget: QWidget) -> None:
    """On Windows, WindowDoesNotAcceptFocus is not enough: a click still activates the window
    unless it carries the WS_EX_NOACTIVATE extended style."""
    if sys.platform != "win32":
        return
    import ctypes

    GWL_EXSTYLE, WS_EX_NOACTIVATE, WS_EX_TOOLWINDOW = -20, 0x08000000, 0x00000080
    hwnd = int(widget.winId())
    user32 = ctypes.windll.user32
    style = user32.GetWindowLongW(hwnd, GWL_EXSTYLE)
    user32.SetWindowLongW(hwnd, GWL_EXSTYLE, style | WS_EX_NOACTIVATE | WS_EX_TOOLWINDOW)


def _header_button(text: str, name: str, accessible: str, tip: str, parent) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setObjectName("header-button")
    button.setProperty("role", name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.setCursor(Qt.PointingHandCursor)
    button.setFixedSize(QSize(24, 24))
    return button


class DragArea(QWidget):
    """Drags the frameless window: by the window system where it can (Wayland, X11), else by hand.
    A press and release without movement is a click (the collapsed badge expands on it)."""

    clicked = Signal()

    def __init__(self, window: QWidget, parent=None):
        super().__init__(parent)
        self._window = window
        self._press: QPoint | None = None
        self._origin: QPoint | None = None
        self._moved = False
        self.setCursor(Qt.OpenHandCursor)

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return super().mousePressEvent(event)
        self._press = event.globalPosition().toPoint()
        self._origin = self._window.pos()
        self._moved = False

    def mouseMoveEvent(self, event) -> None:
        if self._press is None:
            return
        delta = event.globalPosition().toPoint() - self._press
        if not self._moved and delta.manhattanLength() < QGuiApplication.styleHints().startDragDistance():
            return
        if not self._moved:
            self._moved = True
            self._window.user_moving = True  # only the agent's own moves are remembered
            handle = self._window.windowHandle()
            if handle is not None and handle.startSystemMove():
                self._press = None  # the window manager moves it from here
                return
        self._window.move(self._origin + delta)

    def mouseReleaseEvent(self, event) -> None:
        if self._press is not None and not self._moved and event.button() == Qt.LeftButton:
            self.clicked.emit()
        self._press = None


class CollapsedBadge(QFrame):
    """The slim form: a dot in the emotion's colour, the emotion and level, a warning sign."""

    expand_requested = Signal()

    def __init__(self, window: QWidget, parent=None):
        super().__init__(parent)
        self.setObjectName("collapsed-badge")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        self.drag = DragArea(window, self)
        self.drag.clicked.connect(self.expand_requested)
        inner = QHBoxLayout(self.drag)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(8)
        self.dot = QLabel(self.drag)
        self.dot.setFixedSize(12, 12)
        self.label = QLabel("assist", self.drag)
        self.label.setObjectName("collapsed-label")
        self.warning = QLabel("⚠", self.drag)
        self.warning.setAccessibleName("Missing acknowledgment")
        self.warning.setToolTip("The reply does not acknowledge the customer yet")
        inner.addWidget(self.dot)
        inner.addWidget(self.label, 1)
        inner.addWidget(self.warning)
        self.expand = _header_button("⤢", "expand", "Expand the overlay", "Expand", self)
        self.expand.clicked.connect(self.expand_requested)
        layout.addWidget(self.drag, 1)
        layout.addWidget(self.expand)
        self.setAccessibleName("assist, collapsed")
        self.show_state("neutral", "", False, theme.LIGHT)

    def show_state(self, emotion: str, level: str, missing_ack: bool, palette: theme.Palette) -> None:
        color = theme.emotion_color(emotion).name()
        self.dot.setStyleSheet(f"QLabel {{ background: {color}; border-radius: 6px; }}")
        words = theme.emotion_title(emotion) + (f" · {level}" if level else "")
        self.label.setText(f"<b>{words}</b>")
        self.warning.setStyleSheet(f"QLabel {{ color: {palette.warning_border}; font-weight: 700; }}")
        self.warning.setVisible(missing_ack)
        self.setAccessibleName(f"assist, collapsed: {words}" + (", missing acknowledgment" if missing_ack else ""))


class OverlayWindow(QWidget):
    suggestion_chosen = Signal(int, object)  # 0-based index, Suggestion
    phrase_chosen = Signal(str, str)  # a search result: phrase id, text
    customer_text_entered = Signal(str)  # typed or pasted into the paste box
    edit_phrase_requested = Signal(object)
    favourite_requested = Signal(object, bool)
    hide_phrase_requested = Signal(object)
    hide_requested = Signal()
    collapsed_changed = Signal(bool)
    visibility_changed = Signal(bool)
    first_painted = Signal()  # the window is on screen with its content: start-up is measured to here
    taking_focus = Signal()  # about to take the keyboard (search, paste box): remember the chat window now
    geometry_changed = Signal()  # moved or resized (by us, the agent or the window manager)

    def __init__(self, state_dir=None, dock: str = "right", parent=None):
        super().__init__(parent, no_focus_flags())
        self.setObjectName("overlay")
        self.setWindowTitle("assist")
        self.setWindowIcon(app_icon())
        self.setAccessibleName("assist overlay")
        self.setAttribute(Qt.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WA_StyledBackground)
        self._palette = theme.LIGHT
        self._analysis = None
        self._dock = dock
        self._positions = PositionStore(state_dir)
        self._input_mode = False
        self._placed = False
        self._collapsed = False
        self._painted = False
        self.user_moving = False  # set by a drag; programmatic moves (docking, growing) are not saved

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages)
        self.full = QWidget(self)
        self.full.setObjectName("overlay-full")
        self.collapsed_badge = CollapsedBadge(self, self)
        self.collapsed_badge.expand_requested.connect(lambda: self.set_collapsed(False))
        self.pages.addWidget(self.full)
        self.pages.addWidget(self.collapsed_badge)
        self._build_full(self.full)

        self._status_timer = QTimer(self, singleShot=True, interval=STATUS_SECONDS * 1000)
        self._status_timer.timeout.connect(self._clear_transient_status)
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self._remember_position)
        self._watch_text = ""
        self.set_palette(theme.LIGHT)
        self.setFixedWidth(WIDTH)

    # -- building ------------------------------------------------------------------------------
    def _build_full(self, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(4)
        self.drag = DragArea(self, page)
        self.drag.setObjectName("overlay-header")
        self.drag.setAccessibleName("Drag to move the overlay")
        drag_row = QHBoxLayout(self.drag)
        drag_row.setContentsMargins(0, 0, 0, 0)
        drag_row.setSpacing(6)
        logo = QLabel(self.drag)
        logo.setPixmap(app_icon().pixmap(QSize(18, 18), self.devicePixelRatioF()))
        logo.setAccessibleName("assist logo")
        title = QLabel("assist", self.drag)
        title.setObjectName("overlay-title")
        self.watch_label = QLabel(self.drag)
        self.watch_label.setObjectName("watch-state")
        self.watch_label.setAccessibleName("Watching state")
        drag_row.addWidget(logo)
        drag_row.addWidget(title)
        drag_row.addWidget(self.watch_label)
        drag_row.addStretch(1)
        self.menu_button = _header_button("⋯", "menu", "assist menu", "Menu: pause, phrases, settings…", page)
        self.menu_button.setPopupMode(QToolButton.InstantPopup)
        self.menu_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.collapse_button = _header_button("–", "collapse", "Collapse to a slim badge", "Collapse", page)
        self.collapse_button.clicked.connect(lambda: self.set_collapsed(True))
        self.hide_button = _header_button("✕", "hide", "Hide the overlay", "Hide (Ctrl+Alt+Space)", page)
        self.hide_button.clicked.connect(self.hide_requested)
        header.addWidget(self.drag, 1)
        header.addWidget(self.menu_button)
        header.addWidget(self.collapse_button)
        header.addWidget(self.hide_button)
        layout.addLayout(header)

        self.badge = EmotionBadge(page)
        layout.addWidget(self.badge)
        self.cues = CueView(page)
        layout.addWidget(self.cues)

        context = QHBoxLayout()
        context.setSpacing(6)
        self.topics = TopicChips(page)
        self.trend = TrendSparkline(page)
        self.trend.setFixedWidth(130)
        context.addWidget(self.topics, 1)
        context.addWidget(self.trend)
        layout.addLayout(context)

        self.ack_banner = ack.AckBanner(page)
        layout.addWidget(self.ack_banner)

        section = QLabel("SUGGESTIONS", page)
        section.setObjectName("section-title")
        section.setAccessibleName("Suggestions")
        layout.addWidget(section)
        self.suggestions = SuggestionList(page)
        self.suggestions.set_text_width(WIDTH - 24)
        self.suggestions.chosen.connect(self.suggestion_chosen)
        self.suggestions.edit_requested.connect(self.edit_phrase_requested)
        self.suggestions.favourite_requested.connect(self.favourite_requested)
        self.suggestions.hide_requested.connect(self.hide_phrase_requested)
        layout.addWidget(self.suggestions)

        self.search = SearchBox(page)
        self.search.phrase_chosen.connect(self.phrase_chosen)
        self.search.finished.connect(self.leave_input_mode)
        self.search.size_changed.connect(self._fit)
        layout.addWidget(self.search)
        self.paste_box = PasteBox(page)
        self.paste_box.submitted.connect(self.customer_text_entered)
        self.paste_box.finished.connect(self.leave_input_mode)
        self.paste_box.size_changed.connect(self._fit)
        self.paste_box.toggle.clicked.connect(self.enter_input_mode)
        layout.addWidget(self.paste_box)
        # Clicking into a text field is the one moment the overlay may take the keyboard.
        self.search.field.installEventFilter(self)
        self.paste_box.editor.installEventFilter(self)

        self.status = QLabel(page)
        self.status.setObjectName("status-line")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.status.hide()
        layout.addWidget(self.status)

    # -- showing an analysis -------------------------------------------------------------------
    @property
    def analysis(self):
        return self._analysis

    def show_analysis(self, analysis, customer_text: str) -> None:
        self._analysis = analysis
        if customer_text:
            self.badge.set_emotion(analysis.emotion, analysis.intensity, analysis.level,
                                   analysis.confidence, analysis.lang)
            self.cues.set_message(customer_text, analysis.cues)
            self.topics.set_topics(analysis.topics)
            self.trend.record(hash(customer_text), analysis.emotion, analysis.intensity, analysis.trend)
        self.ack_banner.show_for(analysis if customer_text else None)
        self.suggestions.set_empty_text(ACKNOWLEDGED_TEXT if self.ack_banner.state == ack.OK else EMPTY_TEXT)
        self.suggestions.set_suggestions(analysis.suggestions)
        self._update_collapsed()
        self._fit()

    def reset(self) -> None:
        """A new chat: forget what was shown."""
        self._analysis = None
        self.badge.set_waiting()
        self.cues.clear()
        self.topics.set_topics(())
        self.trend.clear()
        self.ack_banner.show_for(None)
        self.suggestions.set_empty_text(EMPTY_TEXT)
        self.suggestions.set_suggestions(())
        self._update_collapsed()
        self._fit()

    def missing_acknowledgment(self) -> bool:
        return self.ack_banner.state == ack.MISSING

    def _update_collapsed(self) -> None:
        if not self._collapsed:
            return  # brought up to date when it collapses
        a = self._analysis
        if a is None or self.badge.caption().startswith("Waiting"):
            self.collapsed_badge.show_state("neutral", "", False, self._palette)
            self.collapsed_badge.label.setText("<b>assist</b> · waiting")
        else:
            self.collapsed_badge.show_state(a.emotion, a.level, self.ack_banner.state == ack.MISSING,
                                            self._palette)

    # -- status --------------------------------------------------------------------------------
    def set_status(self, text: str, error: bool = False, transient: bool = True) -> None:
        """A line under the suggestions: "Inserted", "Not inserted: focus moved", a backend problem."""
        if self.status.property("error") != error:
            self.status.setProperty("error", error)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setVisible(bool(text))
        if transient and text:
            self._status_timer.start()
        else:
            self._status_timer.stop()
        self._fit()

    def _clear_transient_status(self) -> None:
        self.set_status(self._watch_text, error=bool(self._watch_text), transient=False)

    def set_watch_state(self, paused: bool, problems=(), here: bool = True) -> None:
        """Paused, or a backend missing: shown in the header and, with the reason, in the status line.
        `here`: whether the application the agent is in is one assist watches by itself."""
        if paused:
            self.watch_label.setText("· paused")
            self.watch_label.setStyleSheet(f"QLabel {{ color: {self._palette.muted}; }}")
            self.watch_label.setAccessibleName("Watching is paused")
        elif not here:
            self.watch_label.setText("· not watching this app")
            self.watch_label.setStyleSheet(f"QLabel {{ color: {self._palette.muted}; }}")
            self.watch_label.setAccessibleName("This application is not watched (see Settings, allowed apps)")
        elif problems:
            self.watch_label.setText("· limited")
            self.watch_label.setStyleSheet(f"QLabel {{ color: {self._palette.warning_border}; }}")
            self.watch_label.setAccessibleName("Some watching is unavailable")
        else:
            self.watch_label.setText("· watching")
            self.watch_label.setStyleSheet(f"QLabel {{ color: {theme.EMOTION_COLORS['positive']}; }}")
            self.watch_label.setAccessibleName("Watching the chat")
        self._watch_text = "; ".join(problems)
        self.watch_label.setToolTip(self._watch_text or self.watch_label.accessibleName())
        if not self._status_timer.isActive():
            self._clear_transient_status()

    # -- theme ---------------------------------------------------------------------------------
    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        self.setStyleSheet(theme.style_sheet(palette))
        for widget in (self.badge, self.cues, self.topics, self.trend, self.suggestions, self.search):
            widget.set_palette(palette)
        self._update_collapsed()

    @property
    def palette_in_use(self) -> theme.Palette:
        return self._palette

    # -- collapse, size, place -----------------------------------------------------------------
    def is_collapsed(self) -> bool:
        return self._collapsed

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed == self._collapsed:
            return
        self._collapsed = collapsed
        # Keep the corner nearest the screen edge where it was, so a docked overlay stays docked.
        right_edge = self.geometry().right()
        self._update_collapsed()
        self.pages.setCurrentWidget(self.collapsed_badge if collapsed else self.full)
        self.setFixedWidth(COLLAPSED_WIDTH if collapsed else WIDTH)
        self._fit()
        if self._placed and self._dock != "left":
            self.move(right_edge - self.width() + 1, self.y())
            self._keep_on_screen()
        self.collapsed_changed.emit(collapsed)

    def _fit(self) -> None:
        """Take the height the content needs (labels wrap, sections appear and disappear)."""
        page = self.pages.currentWidget()
        page.layout().activate()
        height = page.heightForWidth(self.width()) if page.hasHeightForWidth() else -1
        if height <= 0:
            height = page.sizeHint().height()
        if self.height() != height or self.pages.height() != height:
            self.pages.setFixedHeight(height)
            self.setFixedHeight(height)
        if self._placed:
            self._keep_on_screen()

    def set_dock(self, dock: str) -> None:
        self._dock = dock
        if self._placed:
            self.place()

    def place(self) -> None:
        """Where the agent left it on this screen, else docked by the overlay.dock setting."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        self._fit()
        available = screen.availableGeometry()
        saved = self._positions.get(screen_key(screen))
        if saved is not None and available.contains(saved):
            pos = clamp_and_snap(saved, self.size(), available)
        else:
            side = "left" if self._dock == "left" else "right"
            pos = docked_position(available, self.size(), side)
        self.move(pos)
        self._placed = True

    def follow_window(self, geometry: tuple[int, int, int, int] | None) -> None:
        """With the dock setting "beside_window", sit beside the chat window the agent works in.
        `geometry` is the platform's (x, y, width, height) in physical pixels."""
        if self._dock != "beside_window" or geometry is None or not self._placed:
            return
        ratio = self.devicePixelRatioF() or 1.0
        x, y, width, height = (round(value / ratio) for value in geometry)
        window = QRect(x, y, width, height)
        screen = QGuiApplication.screenAt(window.center()) or self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        self.move(beside_position(window, self.size(), screen.availableGeometry()))

    def _keep_on_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        x = min(max(self.x(), available.left()), available.right() - self.width() + 1)
        y = min(max(self.y(), available.top()), available.bottom() - self.height() + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def moveEvent(self, event) -> None:
        super().moveEvent(event)
        if self._placed and self.isVisible() and self.user_moving:
            self._save_timer.start()
        self.geometry_changed.emit()

    def _remember_position(self) -> None:
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        snapped = clamp_and_snap(self.pos(), self.size(), available)
        self.user_moving = False
        if snapped != self.pos():
            self.move(snapped)
        self._positions.set(screen_key(screen), snapped)

    def forget_position(self) -> None:
        screen = self.screen()
        if screen is not None:
            self._positions.forget(screen_key(screen))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.geometry_changed.emit()

    # -- showing without focus -----------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        _set_windows_noactivate(self)
        if not self._placed:
            self.place()
        self.visibility_changed.emit(True)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.visibility_changed.emit(False)

    def toggle_visible(self) -> None:
        if self.isVisible():
            self.hide()
        else:
            self.show()
            self.raise_()

    def focus_search(self) -> None:
        """The search hotkey: show the overlay and take the keyboard for the search field."""
        if not self.isVisible():
            self.show()
        self.set_collapsed(False)
        self.raise_()
        self.enter_input_mode()
        self.search.field.setFocus(Qt.ShortcutFocusReason)
        self.search.field.selectAll()

    def in_input_mode(self) -> bool:
        return self._input_mode

    def enter_input_mode(self) -> None:
        """The agent clicked into the search field or paste box: accept the keyboard for now."""
        if self._input_mode:
            return
        self._input_mode = True
        self.taking_focus.emit()  # while the chat still has the keyboard
        handle = self.windowHandle()
        if handle is not None:
            handle.setFlag(Qt.WindowDoesNotAcceptFocus, False)
        self.activateWindow()

    def leave_input_mode(self) -> None:
        """Done typing here: stop accepting focus and hand the keyboard back to the chat."""
        if not self._input_mode:
            return
        self._input_mode = False
        handle = self.windowHandle()
        if handle is not None:
            handle.setFlag(Qt.WindowDoesNotAcceptFocus, True)
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()
        if self.isActiveWindow() and QGuiApplication.platformName() != "offscreen":
            # A quick hide and show lets the window manager give focus back to the window the agent
            # was in before; showing again does not activate (WA_ShowWithoutActivating).
            self.hide()
            self.show()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == event.Type.MouseButtonPress and obj in (self.search.field, self.paste_box.editor):
            self.enter_input_mode()
            obj.setFocus(Qt.MouseFocusReason)
        return super().eventFilter(obj, event)

    # -- geometry for tests and the end-to-end journeys ----------------------------------------
    def suggestion_geometry(self) -> list[dict]:
        """Where each visible suggestion button is on screen (physical pixels), to click it for real."""
        ratio = self.devicePixelRatioF()
        out = []
        for button in self.suggestions.visible_buttons():
            top_left = button.mapToGlobal(QPoint(0, 0))
            out.append({"name": button.objectName(), "id": button.suggestion.id,
                        "x": round(top_left.x() * ratio), "y": round(top_left.y() * ratio),
                        "w": round(button.width() * ratio), "h": round(button.height() * ratio)})
        return out
