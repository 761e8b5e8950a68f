"""A search field over the whole phrase library (title, text, abbreviation), results as you type."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QToolButton, QVBoxLayout, QWidget

from .icons import search_icon

MAX_RESULTS = 6


@dataclass(frozen=True)
class PhraseHit:
    id: str
    title: str
    text: str  # the phrase as written (placeholders are filled when it is inserted)
    preview: str = ""  # what the agent reads in the list: placeholders filled with what is known


class SearchBox(QWidget):
    phrase_chosen = Signal(str, str)  # phrase id, text
    finished = Signal()  # Escape or a choice: the overlay gives keyboard focus back
    size_changed = Signal()  # results appeared or went: the overlay takes the height it needs

    def __init__(self, parent=None):
        super().__init__(parent)
        self._provider = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.field = QLineEdit(self)
        self.field.setObjectName("phrase-search")
        self.field.setPlaceholderText("Search all phrases…")
        self._search_action = self.field.addAction(search_icon("#888888"), QLineEdit.LeadingPosition)
        self.field.setAccessibleName("Search phrases")
        self.field.setAccessibleDescription("Finds phrases by title, text or abbreviation as you type")
        self.field.setClearButtonEnabled(True)
        # The line edit's own icon buttons (magnifier, clear) need names for screen readers too.
        for button in self.field.findChildren(QToolButton):
            is_clear = button.defaultAction() is not None and button.defaultAction() is not self._search_action
            button.setAccessibleName("Clear the search" if is_clear else "Search")
        self.results = QListWidget(self)
        self.results.setObjectName("search-results")
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.results.setUniformItemSizes(False)
        self.results.hide()
        layout.addWidget(self.field)
        layout.addWidget(self.results)
        self.field.textChanged.connect(self._search)
        self.field.returnPressed.connect(self._choose_current)
        self.results.itemClicked.connect(self._choose)
        self.results.itemActivated.connect(self._choose)
        self.field.installEventFilter(self)

    def set_palette(self, palette) -> None:
        self._search_action.setIcon(search_icon(palette.muted))

    def set_provider(self, provider) -> None:
        """provider(query) -> list[PhraseHit]; called on the GUI thread, so it must be fast."""
        self._provider = provider

    def _search(self, query: str) -> None:
        self.results.clear()
        query = query.strip()
        hits = list(self._provider(query))[:MAX_RESULTS] if (query and self._provider) else []
        for hit in hits:
            shown = " ".join((hit.preview or hit.text).split())
            snippet = shown if len(shown) <= 80 else shown[:79] + "…"
            item = QListWidgetItem(f"{hit.title}\n{snippet}" if hit.title else snippet)
            item.setData(Qt.UserRole, hit)
            item.setToolTip(hit.text)
            self.results.addItem(item)
        if not hits and query:
            empty = QListWidgetItem("No phrase matches.")
            empty.setFlags(Qt.NoItemFlags)
            self.results.addItem(empty)
        if hits:
            self.results.setCurrentRow(0)
        self.results.setVisible(bool(query))
        rows = max(1, self.results.count())
        self.results.setFixedHeight(min(rows, 4) * 44 + 6)
        self.size_changed.emit()

    def _choose_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._choose(item)

    def _choose(self, item) -> None:
        hit = item.data(Qt.UserRole)
        if hit is None:
            return
        self.phrase_chosen.emit(hit.id, hit.text)
        self.reset()
        self.finished.emit()

    def reset(self) -> None:
        self.field.clear()
        self.results.hide()
        self.size_changed.emit()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.field and event.type() == event.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key_Down, Qt.Key_Up) and self.results.count():
                row = self.results.currentRow() + (1 if key == Qt.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(self.results.count() - 1, row)))
                return True
            if key == Qt.Key_Escape:
                self.reset()
                self.finished.emit()
                return True
        return super().eventFilter(obj, event)
