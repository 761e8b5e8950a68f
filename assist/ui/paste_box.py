"""A box for a customer message typed or pasted by hand, for chat tools assist cannot read."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class PasteBox(QWidget):
    submitted = Signal(str)  # the customer's message
    finished = Signal()  # closed: the overlay gives keyboard focus back
    size_changed = Signal()  # opened or closed: the overlay takes the height it needs

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.toggle = QPushButton("✎  Paste a customer message…", self)
        self.toggle.setObjectName("paste-toggle")
        self.toggle.setProperty("flat-action", True)
        self.toggle.setAccessibleName("Paste a customer message")
        self.toggle.setCursor(Qt.PointingHandCursor)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("paste-box")
        self.editor.setAccessibleName("Customer message to analyse")
        self.editor.setPlaceholderText("Type or paste what the customer wrote, then Ctrl+Enter")
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(64)
        self.analyse = QPushButton("Analyse", self)
        self.analyse.setObjectName("paste-analyse")
        self.analyse.setProperty("primary", True)
        self.analyse.setAccessibleName("Analyse the pasted message")
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("paste-cancel")
        self.cancel.setProperty("flat-action", True)
        self.cancel.setAccessibleName("Close the paste box")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        row.addWidget(self.analyse)
        layout.addWidget(self.toggle, 0, Qt.AlignLeft)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self._row_widgets = (self.editor, self.analyse, self.cancel)
        self.toggle.clicked.connect(self.open)
        self.analyse.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.close_box)
        self.editor.installEventFilter(self)  # Ctrl+Enter sends, Escape closes
        self._set_open(False)

    def is_open(self) -> bool:
        return not self.editor.isHidden()

    def _set_open(self, value: bool) -> None:
        for widget in self._row_widgets:
            widget.setVisible(value)
        self.toggle.setVisible(not value)
        self.size_changed.emit()

    def open(self) -> None:
        self._set_open(True)
        self.editor.setFocus(Qt.OtherFocusReason)

    def close_box(self) -> None:
        self.editor.clear()
        self._set_open(False)
        self.finished.emit()

    def eventFilter(self, obj, event) -> bool:
        if obj is self.editor and event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key_Return, Qt.Key_Enter) and event.modifiers() & Qt.ControlModifier:
                self.submit()
                return True
            if event.key() == Qt.Key_Escape:
                self.close_box()
                return True
        return super().eventFilter(obj, event)

    def submit(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text:
            return
        self.submitted.emit(text)
        self.close_box()
