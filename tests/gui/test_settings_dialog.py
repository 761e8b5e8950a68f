"""The settings dialog is generated from the declared options: no per-option UI code."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QKeySequenceEdit, QLineEdit, QPlainTextEdit, QSpinBox

from assist.config import OPTIONS, Option, Settings
from assist.config.options import BY_KEY
from assist.ui.settings_dialog import SettingsDialog, hotkey_to_sequence, sequence_to_hotkey

EXPECTED_WIDGET = {"bool": QCheckBox, "int": QSpinBox, "choice": QComboBox, "list": QPlainTextEdit,
                   "hotkey": QKeySequenceEdit, "str": QLineEdit}


def dialog_for(qtbot, paths, options=OPTIONS):
    dialog = SettingsDialog(Settings.load(paths), options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_every_declared_option_has_a_field_of_its_type_showing_its_value(qtbot, paths):
    dialog = dialog_for(qtbot, paths)
    assert set(dialog.fields) == {o.key for o in OPTIONS}
    sections = {o.section for o in OPTIONS}
    assert dialog.tabs.count() == len(sections)
    for option in OPTIONS:
        field = dialog.fields[option.key]
        if option.type in EXPECTED_WIDGET:
            assert isinstance(field.widget, EXPECTED_WIDGET[option.type]), option.key
        assert field.value() == option.default, option.key
        assert field.widget.accessibleName() == option.description


def declare(monkeypatch, option):
    """As if the option were one more line in assist/config/options.py."""
    monkeypatch.setitem(BY_KEY, option.key, option)


def test_a_new_option_needs_no_ui_code(qtbot, paths, monkeypatch):
    extra = Option("overlay.sparkle", "choice", "some", "How much sparkle", choices=("none", "some", "lots"))
    declare(monkeypatch, extra)
    dialog = dialog_for(qtbot, paths, OPTIONS + (extra,))
    field = dialog.fields["overlay.sparkle"]
    assert [field.widget.itemData(i) for i in range(field.widget.count())] == ["none", "some", "lots"]
    assert field.value() == "some"


def test_apply_saves_only_changes_and_reports_them(qtbot, paths):
    dialog = dialog_for(qtbot, paths)
    dialog.fields["overlay.suggestions"].widget.setValue(5)
    dialog.fields["overlay.theme"].set_value("dark")
    dialog.fields["hotkeys.pause"].widget.setKeySequence(QKeySequence("Ctrl+Alt+Q"))
    dialog.fields["watching.allowed_apps"].widget.setPlainText("slack\n\n  zendesk  \n")
    with qtbot.waitSignal(dialog.applied) as blocker:
        assert dialog.apply()
    assert sorted(blocker.args[0]) == ["hotkeys.pause", "overlay.suggestions", "overlay.theme",
                                       "watching.allowed_apps"]
    on_disk = json.loads((paths.config / "settings.json").read_text())
    assert on_disk["overlay.suggestions"] == 5 and on_disk["hotkeys.pause"] == "ctrl+alt+q"
    assert on_disk["watching.allowed_apps"] == ["slack", "zendesk"]
    assert Settings.load(paths).get("overlay.theme") == "dark"


def test_an_invalid_value_is_named_and_nothing_is_saved(qtbot, paths, monkeypatch):
    bad = Option("general.count", "int", 1, "A number", minimum=0, maximum=10)
    declare(monkeypatch, bad)
    dialog = dialog_for(qtbot, paths, OPTIONS + (bad,))
    dialog.fields["overlay.suggestions"].widget.setValue(3)
    dialog.fields["general.count"].value = lambda: 99  # as if a widget let it through
    assert not dialog.apply()
    assert "general.count" in dialog.error.text() and dialog.error.isVisible()
    assert not (paths.config / "settings.json").exists()


def test_restore_defaults_on_the_current_tab(qtbot, paths):
    dialog = dialog_for(qtbot, paths)
    dialog.fields["overlay.suggestions"].widget.setValue(5)
    dialog.fields["watching.enabled"].widget.setChecked(False)
    overlay_tab = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())].index("Overlay")
    dialog.tabs.setCurrentIndex(overlay_tab)
    dialog.restore_tab_defaults()
    assert dialog.fields["overlay.suggestions"].value() == 4
    assert dialog.fields["watching.enabled"].value() is False  # another tab: untouched


def test_hotkey_text_round_trips():
    for combo in ("ctrl+alt+1", "ctrl+alt+space", "ctrl+alt+a", "ctrl+shift+f5"):
        assert sequence_to_hotkey(hotkey_to_sequence(combo)) == combo


def test_keyboard_only_use(qtbot, paths):
    dialog = dialog_for(qtbot, paths)
    dialog.activateWindow()
    first = dialog.fields["watching.enabled"].widget
    first.setFocus()
    qtbot.keyClick(first, Qt.Key_Space)
    assert first.isChecked() is False
    qtbot.keyClick(first, Qt.Key_Tab)
    assert dialog.focusWidget() is not first
