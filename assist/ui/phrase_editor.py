"""The phrase editor: the agent's whole library with search, add, edit, tags, favourite, hide,
import and export. Storage is `assist.phrases` (through PhraseActions); this is only the window.

Shipped and team phrases can be favourited and hidden; editing one saves the agent's own version
of it (same id), which then wins over the shipped one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPlainTextEdit, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from ..core.labels import EMOTIONS, PHRASE_INTENTS, TOPICS
from ..phrases import EntryError, StoreError
from ..phrases.interchange import InterchangeError
from ..phrases.model import TONES, phrase_from_entry
from .icons import app_icon

COLUMNS = ("★", "Phrase", "Intent", "Tags", "From")
SOURCE_TITLES = {"shipped": "assist", "team": "team", "personal": "mine"}


def _tags(text: str) -> list[str]:
    return [t.strip().lower().replace(" ", "_") for t in text.replace(";", ",").split(",") if t.strip()]


class PhraseEditor(QWidget):
    library_changed = Signal()

    def __init__(self, actions, parent=None):
        super().__init__(parent, Qt.Window)
        self.actions = actions
        self._current_id: str | None = None  # None: a new phrase is being written
        self.setObjectName("phrase-editor")
        self.setWindowTitle("assist phrases")
        self.setWindowIcon(app_icon())
        self.setAccessibleName("Phrase editor")
        self.resize(900, 560)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.filter = QLineEdit(self)
        self.filter.setObjectName("editor-search")
        self.filter.setPlaceholderText("Search by text, id, abbreviation or tag…")
        self.filter.setAccessibleName("Search the phrase library")
        self.filter.setClearButtonEnabled(True)
        self.show_hidden = QCheckBox("Show hidden", self)
        self.show_hidden.setAccessibleName("Show hidden phrases")
        self.add_button = QPushButton("New phrase", self)
        self.add_button.setAccessibleName("New phrase")
        self.import_button = QPushButton("Import…", self)
        self.import_button.setAccessibleName("Import phrases from a file")
        self.export_button = QPushButton("Export…", self)
        self.export_button.setAccessibleName("Export my phrases to a file")
        for widget in (self.filter, self.show_hidden, self.add_button, self.import_button, self.export_button):
            top.addWidget(widget, 1 if widget is self.filter else 0)
        layout.addLayout(top)

        splitter = QSplitter(self)
        self.tree = QTreeWidget(splitter)
        self.tree.setObjectName("phrase-list")
        self.tree.setAccessibleName("Phrases")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.header().setAccessibleName("Columns: favourite, phrase, intent, tags, from")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 28)
        self.tree.setColumnWidth(1, 300)
        self.tree.setColumnWidth(2, 120)

        form_host = QWidget(splitter)
        form = QFormLayout(form_host)
        self.text = QPlainTextEdit(form_host)
        self.text.setObjectName("phrase-text")
        self.text.setAccessibleName("Phrase text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("What you would write. Placeholders: {customer_name}, {agent_name}, "
                                     "{order_id}, {product}; [optional parts]")
        self.intent = QComboBox(form_host)
        self.intent.setAccessibleName("Intent")
        for intent in PHRASE_INTENTS:
            self.intent.addItem(intent.replace("_", " "), intent)
        self.emotions = QLineEdit(form_host)
        self.emotions.setAccessibleName("Emotion tags")
        self.emotions.setPlaceholderText("e.g. anger, frustration (empty: any)")
        self.emotions.setToolTip("Comma-separated: " + ", ".join(EMOTIONS))
        self.topics = QLineEdit(form_host)
        self.topics.setAccessibleName("Topic tags")
        self.topics.setPlaceholderText("e.g. delivery, refund (empty: any)")
        self.topics.setToolTip("Comma-separated: " + ", ".join(TOPICS))
        self.tone = QComboBox(form_host)
        self.tone.setAccessibleName("Tone")
        for tone in TONES:
            self.tone.addItem(tone, tone)
        self.abbreviation = QLineEdit(form_host)
        self.abbreviation.setAccessibleName("Abbreviation")
        self.abbreviation.setPlaceholderText("a short word to find it fast, e.g. sry")
        self.favourite = QCheckBox("Favourite (offered first)", form_host)
        self.favourite.setAccessibleName("Favourite")
        self.hidden = QCheckBox("Hidden (never suggested)", form_host)
        self.hidden.setAccessibleName("Hidden")
        self.origin = QLabel(form_host)
        self.origin.setWordWrap(True)
        self.origin.setEnabled(False)
        self.message = QLabel(form_host)
        self.message.setObjectName("editor-message")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Editor message")
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save", form_host)
        self.save_button.setObjectName("editor-save")
        self.save_button.setAccessibleName("Save the phrase")
        self.save_button.setDefault(True)
        self.delete_button = QPushButton("Delete", form_host)
        self.delete_button.setAccessibleName("Delete my phrase")
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        form.addRow("&Text", self.text)
        form.addRow("&Intent", self.intent)
        form.addRow("&Emotions", self.emotions)
        form.addRow("To&pics", self.topics)
        form.addRow("T&one", self.tone)
        form.addRow("&Abbreviation", self.abbreviation)
        form.addRow(self.favourite)
        form.addRow(self.hidden)
        form.addRow(self.origin)
        form.addRow(self.message)
        form.addRow(buttons)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of phrases shown")
        layout.addWidget(self.count)

        self.filter.textChanged.connect(self.refresh)
        self.show_hidden.toggled.connect(self.refresh)
        self.tree.currentItemChanged.connect(lambda item, _: self._load(item))
        self.add_button.clicked.connect(self.new_phrase)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_dialog)
        self.export_button.clicked.connect(self.export_dialog)
        self.refresh()

    # -- list ------------------------------------------------------------------------------------
    def _matches(self, phrase, query: str) -> bool:
        if not query:
            return True
        haystack = " ".join((phrase.text, phrase.id, phrase.abbreviation, phrase.intent,
                             *phrase.emotions, *phrase.topics, phrase.note)).lower()
        return all(word in haystack for word in query.lower().split())

    def refresh(self) -> None:
        query = self.filter.text().strip()
        keep = self._current_id
        self.tree.blockSignals(True)
        self.tree.clear()
        shown = 0
        for phrase in self.actions.all():
            if phrase.hidden and not self.show_hidden.isChecked():
                continue
            if not self._matches(phrase, query):
                continue
            tags = ", ".join((*phrase.emotions, *phrase.topics)) or "any"
            item = QTreeWidgetItem(["★" if phrase.favourite else "", " ".join(phrase.text.split()),
                                    phrase.intent.replace("_", " "), tags,
                                    SOURCE_TITLES.get(phrase.source, phrase.source)
                                    + (" (hidden)" if phrase.hidden else "")])
            item.setData(0, Qt.UserRole, phrase.id)
            item.setToolTip(1, phrase.text)
            if phrase.hidden:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, self.palette().placeholderText())
            self.tree.addTopLevelItem(item)
            shown += 1
        self.tree.blockSignals(False)
        self.count.setText(f"{shown} phrases shown")
        if keep is not None:
            self.select(keep, reveal=False)

    def select(self, phrase_id: str, reveal: bool = True) -> bool:
        """Select a phrase in the list; `reveal` shows hidden phrases when it is one of them."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.UserRole) == phrase_id:
                self.tree.setCurrentItem(item)
                self._load(item)
                return True
        phrase = self.actions.get(phrase_id)
        if reveal and phrase is not None and phrase.hidden and not self.show_hidden.isChecked():
            self.show_hidden.setChecked(True)  # refreshes, then selects
            return self.select(phrase_id)
        return False

    # -- form ------------------------------------------------------------------------------------
    def _load(self, item) -> None:
        if item is None:
            return
        phrase = self.actions.get(item.data(0, Qt.UserRole))
        if phrase is None:
            return
        self._current_id = phrase.id
        self.text.setPlainText(phrase.text)
        self.intent.setCurrentIndex(max(0, self.intent.findData(phrase.intent)))
        self.emotions.setText(", ".join(phrase.emotions))
        self.topics.setText(", ".join(phrase.topics))
        self.tone.setCurrentIndex(max(0, self.tone.findData(phrase.tone)))
        self.abbreviation.setText(phrase.abbreviation)
        self.favourite.setChecked(phrase.favourite)
        self.hidden.setChecked(phrase.hidden)
        overrides = self.actions.library.overrides(phrase.id) if phrase.source == "personal" else []
        if phrase.source == "personal":
            self.origin.setText(f"Your phrase ({phrase.id})" +
                                (f"; replaces the {' and '.join(overrides)} version" if overrides else ""))
        else:
            self.origin.setText(f"From {SOURCE_TITLES.get(phrase.source, phrase.source)} ({phrase.id}); "
                                "saving an edit keeps your own version")
        self.delete_button.setEnabled(phrase.source == "personal")
        self.message.clear()

    def new_phrase(self) -> None:
        self._current_id = None
        self.tree.clearSelection()
        self.text.clear()
        self.emotions.clear()
        self.topics.clear()
        self.abbreviation.clear()
        self.favourite.setChecked(False)
        self.hidden.setChecked(False)
        self.origin.setText("A new phrase of your own")
        self.delete_button.setEnabled(False)
        self.message.clear()
        self.text.setFocus()

    def _entry(self) -> dict:
        entry = {"text": self.text.toPlainText(), "intent": self.intent.currentData(),
                 "emotions": _tags(self.emotions.text()), "topics": _tags(self.topics.text()),
                 "tone": self.tone.currentData(), "abbreviation": self.abbreviation.text().strip()}
        return {k: v for k, v in entry.items() if v not in ("", [])}

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #C62828;" if error else "")
        self.message.setText(text)

    def save(self) -> bool:
        entry = self._entry()
        try:
            if self._current_id is None:
                phrase = self.actions.add(entry)
            else:
                old = self.actions.get(self._current_id)
                phrase, _ = phrase_from_entry({**entry, "id": self._current_id}, "personal")
                content_changed = old is None or any(
                    getattr(old, f) != getattr(phrase, f)
                    for f in ("text", "intent", "emotions", "topics", "tone", "abbreviation"))
                if content_changed:
                    phrase = self.actions.save(phrase.with_(group=old.group if old else "",
                                                            length=old.length if old else "short",
                                                            note=old.note if old else ""))
            self._current_id = phrase.id
            if self.favourite.isChecked() != bool(self.actions.get(phrase.id).favourite):
                self.actions.set_favourite(phrase.id, self.favourite.isChecked())
            if self.hidden.isChecked() != bool(self.actions.get(phrase.id).hidden):
                self.actions.set_hidden(phrase.id, self.hidden.isChecked())
        except (EntryError, StoreError, OSError) as exc:
            self._say(f"Not saved: {exc}", error=True)
            return False
        self.refresh()
        self._say("Saved.")
        self.library_changed.emit()
        return True

    def delete(self) -> None:
        phrase = self.actions.get(self._current_id) if self._current_id else None
        if phrase is None or phrase.source != "personal":
            return
        answer = QMessageBox.question(self, "Delete phrase", "Delete this phrase of yours?")
        if answer != QMessageBox.Yes:
            return
        self.delete_current()

    def delete_current(self) -> bool:
        try:
            removed = self.actions.remove(self._current_id)
        except (StoreError, OSError) as exc:
            self._say(f"Not deleted: {exc}", error=True)
            return False
        self._current_id = None
        self.refresh()
        self.new_phrase()
        self._say("Deleted.")
        self.library_changed.emit()
        return removed

    # -- files -----------------------------------------------------------------------------------
    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import phrases", "", "Phrase files (*.yaml *.yml *.csv);;All files (*)")
        if path:
            self.import_from(path)

    def import_from(self, path) -> int:
        try:
            report = self.actions.import_file(path)
        except (InterchangeError, StoreError, EntryError, OSError) as exc:
            self._say(f"Nothing imported: {exc}", error=True)
            return 0
        added = report.taken
        problems = [f"{where}: {reason}" for where, reason in report.skipped]
        self.refresh()
        text = f"Imported {len(added)} phrases ({report.format})."
        if problems:
            text += " " + "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        self._say(text, error=not added and bool(problems))
        if added:
            self.library_changed.emit()
        return len(added)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export my phrases", "my-phrases.yaml",
                                              "assist phrases (*.yaml);;Spreadsheet (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path) -> int:
        try:
            count = self.actions.export_file(path)
        except (InterchangeError, OSError) as exc:
            self._say(f"Not exported: {exc}", error=True)
            return 0
        self._say(f"Exported {count} of your phrases to {path}.")
        return count
