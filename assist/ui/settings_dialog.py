"""The settings dialog, generated from `assist.config.OPTIONS`: one tab per section, one field per
option, chosen by the option's type. Adding an option needs no code here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QKeySequenceEdit,
    QLabel, QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from ..config import OPTIONS, SettingsError
from ..config.settings import validate

SECTION_TITLES = {"watching": "Watching", "inserting": "Inserting", "overlay": "Overlay", "hotkeys": "Hotkeys",
                  "phrases": "Phrases", "general": "General"}


def _label_for(option) -> str:
    """"overlay.debounce_ms" -> "Debounce ms": the description says the rest."""
    return option.key.split(".", 1)[1].replace("_", " ").capitalize()


def hotkey_to_sequence(combo: str) -> QKeySequence:
    return QKeySequence.fromString("+".join(part.capitalize() for part in combo.split("+")))


def sequence_to_hotkey(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.PortableText).lower().replace(" ", "")


class OptionField:
    """One option's editor: a widget plus how to read and write its value."""

    def __init__(self, option, parent):
        self.option = option
        kind = option.type
        if kind == "bool":
            self.widget = QCheckBox(option.description, parent)
        elif kind == "int":
            self.widget = QSpinBox(parent)
            self.widget.setRange(option.minimum if option.minimum is not None else -10**6,
                                 option.maximum if option.maximum is not None else 10**6)
        elif kind == "choice":
            self.widget = QComboBox(parent)
            for choice in option.choices:
                self.widget.addItem(str(choice).replace("_", " "), choice)
        elif kind == "list":
            self.widget = QPlainTextEdit(parent)
            self.widget.setTabChangesFocus(True)
            self.widget.setPlaceholderText("One per line")
            self.widget.setFixedHeight(110)
        elif kind == "hotkey":
            self.widget = QKeySequenceEdit(parent)
            self.widget.setMaximumSequenceLength(1)
            self.widget.setClearButtonEnabled(True)
        elif kind == "path":
            self.widget = QWidget(parent)
            row = QHBoxLayout(self.widget)
            row.setContentsMargins(0, 0, 0, 0)
            self.line = QLineEdit(self.widget)
            self.line.setAccessibleName(option.description)
            browse = QPushButton("Choose…", self.widget)
            browse.setAccessibleName(f"Choose a folder: {option.description}")
            browse.clicked.connect(self._browse)
            row.addWidget(self.line, 1)
            row.addWidget(browse)
        else:  # "str" and anything new that is text-like
            self.widget = QLineEdit(parent)
        self.widget.setObjectName(f"option-{option.key}")
        self.widget.setAccessibleName(option.description)
        self.widget.setToolTip(f"{option.description}\n({option.key}, default: {option.default!r})")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.widget, self.option.description, self.line.text())
        if folder:
            self.line.setText(folder)

    def set_value(self, value) -> None:
        kind = self.option.type
        if kind == "bool":
            self.widget.setChecked(bool(value))
        elif kind == "int":
            self.widget.setValue(int(value))
        elif kind == "choice":
            index = self.widget.findData(value)
            self.widget.setCurrentIndex(max(0, index))
        elif kind == "list":
            self.widget.setPlainText("\n".join(value))
        elif kind == "hotkey":
            self.widget.setKeySequence(hotkey_to_sequence(value) if value else QKeySequence())
        elif kind == "path":
            self.line.setText(str(value))
        else:
            self.widget.setText(str(value))

    def value(self):
        kind = self.option.type
        if kind == "bool":
            return self.widget.isChecked()
        if kind == "int":
            return self.widget.value()
        if kind == "choice":
            return self.widget.currentData()
        if kind == "list":
            return [line.strip() for line in self.widget.toPlainText().splitlines() if line.strip()]
        if kind == "hotkey":
            return sequence_to_hotkey(self.widget.keySequence())
        if kind == "path":
            return self.line.text().strip()
        return self.widget.text()


class SettingsDialog(QDialog):
    applied = Signal(list)  # keys whose value changed

    def __init__(self, settings, options=OPTIONS, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("settings-dialog")
        self.setWindowTitle("assist settings")
        self.setAccessibleName("assist settings")
        self.resize(640, 520)
        self.fields: dict[str, OptionField] = {}
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Settings sections")
        layout.addWidget(self.tabs)
        forms: dict[str, QFormLayout] = {}
        for option in options:
            if option.section not in forms:
                page = QWidget()
                column_of_rows = QVBoxLayout(page)
                form = QFormLayout()
                column_of_rows.addLayout(form)
                column_of_rows.addStretch(1)  # rows keep their height; spare room goes below them
                form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
                form.setRowWrapPolicy(QFormLayout.WrapAllRows)  # label above, field and hint full width
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                scroll.setFrameShape(QScrollArea.NoFrame)
                scroll.setWidget(page)
                self.tabs.addTab(scroll, SECTION_TITLES.get(option.section, option.section.title()))
                forms[option.section] = form
            field = OptionField(option, self)
            self.fields[option.key] = field
            if option.type == "bool":
                forms[option.section].addRow(field.widget)
            else:
                label = QLabel(_label_for(option), self)
                label.setToolTip(option.description)
                label.setBuddy(field.widget if option.type != "path" else field.line)
                hint = QLabel(option.description, self)
                hint.setWordWrap(False)  # one line: wrapped labels in nested form rows get clipped
                hint.setEnabled(False)  # greyed: a description, not a control
                column = QVBoxLayout()
                column.setSpacing(2)
                column.addWidget(field.widget)
                column.addWidget(hint)
                forms[option.section].addRow(label, column)
        self.error = QLabel(self)
        self.error.setObjectName("settings-error")
        self.error.setStyleSheet("color: #C62828;")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Settings problem")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Apply | QDialogButtonBox.Cancel
                                   | QDialogButtonBox.RestoreDefaults, self)
        for role, name in ((QDialogButtonBox.Ok, "Save and close"), (QDialogButtonBox.Apply, "Apply"),
                           (QDialogButtonBox.Cancel, "Close without saving"),
                           (QDialogButtonBox.RestoreDefaults, "Restore defaults on this tab")):
            buttons.button(role).setAccessibleName(name)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.Apply).clicked.connect(self.apply)
        buttons.button(QDialogButtonBox.RestoreDefaults).clicked.connect(self.restore_tab_defaults)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        for key, field in self.fields.items():
            field.set_value(self.settings.get(key))
        self.error.hide()

    def restore_tab_defaults(self) -> None:
        section = None
        for option_key, field in self.fields.items():
            if self.tabs.currentWidget().isAncestorOf(field.widget):
                section = field.option.section
                break
        for field in self.fields.values():
            if field.option.section == section:
                field.set_value(field.option.default)

    def apply(self) -> bool:
        """Check every field, then save; nothing is saved while one is wrong (it is named)."""
        values, problems = {}, []
        for key, field in self.fields.items():
            try:
                values[key] = validate(field.option, field.value())
            except SettingsError as exc:
                problems.append(str(exc))
        if problems:
            self.error.setText("Not saved: " + "; ".join(problems))
            self.error.show()
            return False
        changed = [key for key, value in values.items() if value != self.settings.get(key)]
        for key in changed:
            self.settings.set(key, values[key])
        try:
            self.settings.save()
        except OSError as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.show()
            return False
        self.error.hide()
        if changed:
            self.applied.emit(changed)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def reject(self) -> None:
        self.load()  # next time it opens with what is saved
        super().reject()
