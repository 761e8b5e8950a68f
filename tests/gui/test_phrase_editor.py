"""The phrase editor over the real library: shipped phrasebank + a personal store in a temp folder."""

from __future__ import annotations

import yaml
from PySide6.QtCore import Qt

from assist.paths import Paths
from assist.ui.phrase_actions import PhraseActions
from assist.ui.phrase_editor import PhraseEditor


def editor_for(qtbot, paths):
    editor = PhraseEditor(PhraseActions(paths))
    qtbot.addWidget(editor)
    editor.show()
    return editor


def personal(paths) -> dict:
    return yaml.safe_load((paths.data / "phrases.yaml").read_text(encoding="utf-8"))


def rows(editor) -> list[str]:
    return [editor.tree.topLevelItem(i).data(0, Qt.UserRole) for i in range(editor.tree.topLevelItemCount())]


def test_lists_the_library_and_search_narrows_it(qtbot, paths):
    editor = editor_for(qtbot, paths)
    everything = rows(editor)
    assert len(everything) > 100
    qtbot.keyClicks(editor.filter, "courier")
    found = rows(editor)
    assert 0 < len(found) < len(everything)
    assert all("courier" in editor.actions.get(i).text.lower() for i in found)
    editor.filter.setText("delivery sorry")  # words match anywhere: tags, intent, text
    assert rows(editor)


def test_add_a_phrase_with_tags(qtbot, paths):
    editor = editor_for(qtbot, paths)
    changed = []
    editor.library_changed.connect(lambda: changed.append(1))
    qtbot.mouseClick(editor.add_button, Qt.LeftButton)
    editor.text.setPlainText("Hi {customer_name}, I can see why this is frustrating. Ich kümmere mich darum 🙂")
    editor.intent.setCurrentIndex(editor.intent.findData("acknowledge"))
    editor.emotions.setText("frustration, Anger")
    editor.topics.setText("delivery")
    editor.abbreviation.setText("frus")
    editor.favourite.setChecked(True)
    qtbot.mouseClick(editor.save_button, Qt.LeftButton)
    assert editor.message.text() == "Saved." and changed == [1]
    entry = personal(paths)["phrases"][0]
    assert entry["text"].endswith("darum 🙂") and entry["emotions"] == ["frustration", "anger"]
    assert entry["topics"] == ["delivery"] and entry["abbreviation"] == "frus" and entry["favourite"] is True
    assert editor.actions.search("frus")[0].id == entry["id"]


def test_a_bad_phrase_is_refused_with_the_reason_and_nothing_written(qtbot, paths):
    editor = editor_for(qtbot, paths)
    editor.new_phrase()
    editor.text.setPlainText("Hello {unknown_thing}")
    editor.emotions.setText("grumpy")
    assert not editor.save()
    assert editor.message.text().startswith("Not saved:")
    assert not (paths.data / "phrases.yaml").exists()


def test_editing_a_shipped_phrase_keeps_a_personal_version(qtbot, paths):
    editor = editor_for(qtbot, paths)
    shipped = next(p for p in editor.actions.all() if p.source == "shipped")
    assert editor.select(shipped.id)
    editor.text.setPlainText(shipped.text + " (edited)")
    assert editor.save()
    saved = editor.actions.get(shipped.id)
    assert saved.source == "personal" and saved.text.endswith("(edited)")
    assert "replaces the shipped version" in editor.origin.text()
    assert editor.delete_button.isEnabled()
    assert editor.delete_current()
    assert editor.actions.get(shipped.id).source == "shipped"  # the original is back


def test_favourite_and_hide_a_shipped_phrase(qtbot, paths):
    editor = editor_for(qtbot, paths)
    first, second = [p for p in editor.actions.all() if p.source == "shipped"][:2]
    editor.select(first.id)
    editor.favourite.setChecked(True)
    assert editor.save()
    editor.select(second.id)
    editor.hidden.setChecked(True)
    assert editor.save()
    document = personal(paths)
    assert first.id in document["favourites"] and second.id in document["hidden"]
    assert document["phrases"] == []  # no copies: flags only
    assert second.id not in rows(editor)
    editor.show_hidden.setChecked(True)
    assert second.id in rows(editor)
    assert all(hit.id != second.id for hit in editor.actions.search(second.text[:20]))


def test_export_then_import_into_another_library(qtbot, paths, tmp_path):
    editor = editor_for(qtbot, paths)
    editor.new_phrase()
    editor.text.setPlainText("Thanks for bearing with me, ça marche.")
    editor.intent.setCurrentIndex(editor.intent.findData("appreciate_patience"))
    assert editor.save()
    exported = tmp_path / "mine.yaml"
    assert editor.export_to(exported) == 1
    other = editor_for(qtbot, Paths.for_basedir(tmp_path / "other"))
    assert other.import_from(exported) == 1
    assert "Imported 1" in other.message.text()
    assert any(p.text == "Thanks for bearing with me, ça marche." for p in other.actions.all())
    assert other.import_from(exported) == 0  # the same again: skipped, said so
    assert other.message.text().startswith("Imported 0")


def test_importing_a_broken_file_says_so(qtbot, paths, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("phrases: [ {id: x, text: 'unclosed", encoding="utf-8")
    editor = editor_for(qtbot, paths)
    assert editor.import_from(broken) == 0
    assert editor.message.text()


def test_keyboard_names_for_every_control(qtbot, paths):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QWidget

    editor = editor_for(qtbot, paths)
    controls = [w for w in editor.findChildren(QWidget)
                if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractItemView, QComboBox))
                and w.isVisible() and not isinstance(w.parent(), (QLineEdit, QComboBox))]
    unnamed = [type(w).__name__ for w in controls if not w.accessibleName()]
    assert unnamed == []
