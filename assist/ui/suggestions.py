"""Three to five suggestion buttons: one click inserts, hover explains, right click edits.

Each button is named "suggestion-N" (object name and accessible name) so that screen readers and
the end-to-end tests find it; N is also the hotkey number (Ctrl+Alt+N).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from . import theme

MAX_SUGGESTIONS = 5
EMPTY_TEXT = "Suggestions appear here once the customer's message is analysed."
ACKNOWLEDGED_TEXT = "Your reply already acknowledges the customer. Search below for any other phrase."
INTENT_TITLES = {
    "acknowledge": "acknowledge",
    "apologize": "apologise",
    "appreciate_patience": "thank for patience",
    "thank_reporting": "thank for reporting",
    "take_ownership": "take ownership",
    "reassure_next_step": "next step",
    "check_back": "check back",
}


def elide_lines(text: str, metrics: QFontMetrics, width: int, lines: int = 2) -> str:
    """`text` cut with an ellipsis to fit about `lines` lines of `width` pixels."""
    flat = " ".join(text.split())
    if width <= 0:
        return flat
    # Word wrap loses some width at every line end; 0.9 keeps the last line from spilling.
    return metrics.elidedText(flat, Qt.ElideRight, int(width * lines * 0.9))


class SuggestionButton(QPushButton):
    def __init__(self, number: int, parent=None):
        super().__init__(parent)
        self.number = number
        self.suggestion = None
        self.favourite = False
        self.setObjectName(f"suggestion-{number}")
        self.setProperty("suggestion", True)
        self.setCursor(Qt.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 7, 9, 7)
        layout.setSpacing(8)
        self.number_label = QLabel(str(number), self)
        self.number_label.setAlignment(Qt.AlignCenter)
        self.number_label.setFixedSize(20, 20)
        self.body = QLabel(self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.PlainText)
        self.body.setAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.intent = QLabel(self)
        self.intent.setAlignment(Qt.AlignRight | Qt.AlignTop)
        for label in (self.number_label, self.body, self.intent):
            label.setAttribute(Qt.WA_TransparentForMouseEvents)  # the button gets every click
        layout.addWidget(self.number_label, 0, Qt.AlignTop)
        text_column = QVBoxLayout()
        text_column.setSpacing(1)
        text_column.addWidget(self.body)
        text_column.addWidget(self.intent)
        layout.addLayout(text_column, 1)
        self.setAccessibleName(f"suggestion-{number}")
        self.text_width = 0  # set by the list: the overlay has a fixed width, known before layout

    def set_palette(self, palette: theme.Palette) -> None:
        self.number_label.setStyleSheet(
            f"QLabel {{ background: {palette.accent}; color: white; border-radius: 10px;"
            f" font-weight: 700; font-size: 8pt; }}")
        self.body.setStyleSheet(f"QLabel {{ color: {palette.text}; }}")
        self.intent.setStyleSheet(f"QLabel {{ color: {palette.muted}; font-size: 8pt; }}")

    def set_suggestion(self, suggestion, favourite: bool = False) -> None:
        if suggestion == self.suggestion and favourite == self.favourite:
            return  # typing re-analyses often; the same suggestion costs nothing
        self.suggestion = suggestion
        if favourite != self.favourite or self.property("favourite") is None:
            self.favourite = favourite
            self.setProperty("favourite", favourite)
            self.style().unpolish(self)
            self.style().polish(self)
        intent = INTENT_TITLES.get(suggestion.intent, suggestion.intent.replace("_", " "))
        self.intent.setText(("★ " if favourite else "") + intent)
        self._refresh_body()
        self.setToolTip(
            f"<p style='white-space:pre-wrap; max-width:360px'><b>{html.escape(suggestion.text)}</b></p>"
            f"<p><i>Why:</i> {html.escape(suggestion.why)}</p>"
            f"<p style='color:gray'>Click or Ctrl+Alt+{self.number} to insert · right click for more</p>")
        # The accessible name starts with the stable id the tests look for, then says what it does.
        self.setAccessibleName(f"suggestion-{self.number}")
        self.setAccessibleDescription(f"Insert: {suggestion.text}. Why: {suggestion.why}")

    def _refresh_body(self) -> None:
        if self.suggestion is None:
            return
        outer = self.text_width or self.width()
        width = max(80, outer - 9 * 2 - 20 - 8 - 2)
        metrics = QFontMetrics(self.body.font())
        text = elide_lines(self.suggestion.text, metrics, width)
        self.body.setText(text)
        # One or two lines, measured, so the button is exactly as tall as its text.
        needed = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextWordWrap, text).height()
        height = min(needed, metrics.lineSpacing() * 2 + 1)
        if (self.body.height(), self.body.width()) != (height, width) or self.body.minimumHeight() != height:
            self.body.setFixedHeight(height)
            self.body.setFixedWidth(width)
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        # QPushButton sizes itself by its own text; ours is in the child labels.
        hint = self.layout().sizeHint()
        return QSize(max(200, hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class SuggestionList(QWidget):
    chosen = Signal(int, object)  # 0-based index, Suggestion
    edit_requested = Signal(object)
    favourite_requested = Signal(object, bool)  # Suggestion, make it a favourite?
    hide_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("suggestions")
        self.setAccessibleName("Suggestions")
        self._palette = theme.LIGHT
        self._favourites: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("suggestions-empty")
        self.empty.setProperty("muted", True)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(EMPTY_TEXT)
        layout.addWidget(self.empty)
        self.buttons: list[SuggestionButton] = []
        for number in range(1, MAX_SUGGESTIONS + 1):
            button = SuggestionButton(number, self)
            button.clicked.connect(lambda _=False, b=button: self._clicked(b))
            button.customContextMenuRequested.connect(lambda pos, b=button: self._menu(b, pos))
            button.hide()
            layout.addWidget(button)
            self.buttons.append(button)
        self._suggestions: tuple = ()

    @property
    def suggestions(self) -> tuple:
        return self._suggestions

    def visible_buttons(self) -> list[SuggestionButton]:
        return [b for b in self.buttons if not b.isHidden()]

    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        for button in self.buttons:
            button.set_palette(palette)

    def set_text_width(self, width: int) -> None:
        for button in self.buttons:
            button.text_width = width

    def set_favourites(self, ids) -> None:
        self._favourites = set(ids)
        self.set_suggestions(self._suggestions)

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.setAccessibleName(text)

    def set_suggestions(self, suggestions) -> None:
        self._suggestions = tuple(suggestions)[:MAX_SUGGESTIONS]
        for i, button in enumerate(self.buttons):
            if i < len(self._suggestions):
                s = self._suggestions[i]
                button.set_suggestion(s, s.id in self._favourites)
                if button.isHidden():
                    button.show()
            else:
                button.suggestion = None
                if not button.isHidden():
                    button.hide()
        if self.empty.isHidden() == (not self._suggestions):
            self.empty.setVisible(not self._suggestions)

    def _clicked(self, button: SuggestionButton) -> None:
        if button.suggestion is not None:
            self.chosen.emit(button.number - 1, button.suggestion)

    def _menu(self, button: SuggestionButton, pos) -> None:
        if button.suggestion is None:
            return
        menu = self.build_menu(button)
        menu.exec(button.mapToGlobal(pos))

    def build_menu(self, button: SuggestionButton) -> QMenu:
        """The right-click menu of one suggestion (separate so tests can trigger its actions)."""
        suggestion = button.suggestion
        menu = QMenu(button)
        menu.setAccessibleName(f"Actions for suggestion {button.number}")
        insert = menu.addAction(f"Insert\tCtrl+Alt+{button.number}")
        insert.triggered.connect(lambda: self.chosen.emit(button.number - 1, suggestion))
        menu.addSeparator()
        edit = menu.addAction("Edit phrase…")
        edit.setObjectName("edit")
        edit.triggered.connect(lambda: self.edit_requested.emit(suggestion))
        fav = menu.addAction("Remove from favourites" if button.favourite else "Add to favourites")
        fav.setObjectName("favourite")
        fav.triggered.connect(lambda: self.favourite_requested.emit(suggestion, not button.favourite))
        hide = menu.addAction("Hide this phrase")
        hide.setObjectName("hide")
        hide.triggered.connect(lambda: self.hide_requested.emit(suggestion))
        return menu
