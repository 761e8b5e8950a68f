"""The overlay's widgets with real Qt: what the agent sees for an analysis, and what a click does."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QLineEdit, QPlainTextEdit, QWidget,
)

from assist.core.types import Analysis, Cue
from assist.ui import ack, theme
from assist.ui.cues import highlighted_html, reasons_text
from assist.ui.overlay import COLLAPSED_WIDTH, WIDTH, OverlayWindow
from assist.ui.placement import beside_position
from assist.ui.search import PhraseHit

from fake_engine import fake_analysis


def make_overlay(qtbot, tmp_path=None):
    overlay = OverlayWindow(state_dir=tmp_path)
    qtbot.addWidget(overlay)
    overlay.show()
    qtbot.waitExposed(overlay)
    return overlay


def test_the_window_never_takes_focus(qtbot):
    overlay = make_overlay(qtbot)
    flags = overlay.windowFlags()
    for flag in (Qt.Tool, Qt.FramelessWindowHint, Qt.WindowStaysOnTopHint, Qt.WindowDoesNotAcceptFocus):
        assert flags & flag, flag
    assert overlay.testAttribute(Qt.WA_ShowWithoutActivating)
    assert overlay.windowHandle().flags() & Qt.WindowDoesNotAcceptFocus


def test_angry_customer_shows_badge_cues_topics_trend_and_warning(qtbot, angry):
    text, analysis = angry
    analysis = Analysis(**{**{f: getattr(analysis, f) for f in analysis.__dataclass_fields__},
                           "acknowledged": False})
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis, text)
    assert overlay.badge.emotion == "anger"
    assert "Angry" in overlay.badge.accessibleName() and analysis.level in overlay.badge.accessibleName()
    assert overlay.badge.filled_steps() == round(analysis.intensity * 5)
    shown = overlay.cues.message.text()
    for cue in analysis.cues:
        assert f">{cue.text}</span>" in shown
    assert overlay.topics.topics == ("delivery",)
    assert len(overlay.trend.points) == 1 and overlay.trend.trend == "rising"
    assert overlay.ack_banner.isVisible() and overlay.ack_banner.state == ack.MISSING
    assert overlay.missing_acknowledgment()
    assert [b.objectName() for b in overlay.suggestions.visible_buttons()] == [
        "suggestion-1", "suggestion-2", "suggestion-3", "suggestion-4"]


def test_the_warning_clears_as_soon_as_the_draft_acknowledges(qtbot, angry):
    text, _ = angry
    overlay = make_overlay(qtbot)
    overlay.show_analysis(fake_analysis(text, draft="Let me check"), text)
    assert overlay.ack_banner.state == ack.MISSING
    overlay.show_analysis(fake_analysis(text, draft="I'm so sorry, let me check"), text)
    assert overlay.ack_banner.state == ack.OK
    assert not overlay.missing_acknowledgment()
    overlay.show_analysis(fake_analysis(text), text)  # no draft yet: a hint, not a warning
    assert overlay.ack_banner.state == ack.HINT


def test_neutral_message_has_no_warning(qtbot):
    overlay = make_overlay(qtbot)
    overlay.show_analysis(fake_analysis("Hello, can you tell me the opening hours?"), "Hello")
    assert overlay.ack_banner.state == ack.HIDDEN and not overlay.ack_banner.isVisible()
    assert overlay.badge.emotion == "neutral"


def test_trend_keeps_one_point_per_message(qtbot):
    overlay = make_overlay(qtbot)
    first, second = "Where is my order?", "This is ridiculous, I'm furious!!!"
    overlay.show_analysis(fake_analysis(first), first)
    overlay.show_analysis(fake_analysis(first, "typing"), first)  # a draft re-analysis: same message
    overlay.show_analysis(fake_analysis(second), second)
    points = overlay.trend.points
    assert len(points) == 2
    assert points[0].height < points[1].height


def test_cue_html_escapes_the_message_and_merges_overlaps():
    text = "<b>STILL</b> broken!!"
    cues = (Cue(3, 8, "STILL", "frustration", "shouting"), Cue(3, 14, "STILL</b> b", "frustration", "lexicon"),
            Cue(19, 21, "!!", "anger", "punctuation"))
    out = highlighted_html(text, cues, theme.LIGHT)
    assert "<b>STILL" not in out and "&lt;b&gt;" in out
    assert out.count("<span") == 3  # the overlap continues the first cue, never repeats text
    # Overlapping cues are named once, by the longer one.
    assert reasons_text(cues) == "“STILL</b> b” emotion word · “!!” punctuation"


def test_long_messages_are_cut_around_the_first_cue():
    text = "x " * 300 + "I am furious"
    start = text.index("furious")
    out = highlighted_html(text, (Cue(start, start + 7, "furious", "anger", "lexicon"),), theme.LIGHT)
    assert "furious</span>" in out and out.startswith("… ")
    assert len(out) < len(text)


def test_click_hover_and_right_click_on_a_suggestion(qtbot, angry):
    text, analysis = angry
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis, text)
    button = overlay.suggestions.buttons[1]
    with qtbot.waitSignal(overlay.suggestion_chosen) as blocker:
        qtbot.mouseClick(button, Qt.LeftButton)
    assert blocker.args == [1, analysis.suggestions[1]]
    tip = button.toolTip()
    assert "Let me look into it right now." in tip and "delivery delay mentioned" in tip
    assert button.accessibleName() == "suggestion-2"
    assert analysis.suggestions[1].text in button.accessibleDescription()
    menu = overlay.suggestions.build_menu(button)
    names = {a.objectName(): a for a in menu.actions()}
    with qtbot.waitSignal(overlay.favourite_requested) as fav:
        names["favourite"].trigger()
    assert fav.args == [analysis.suggestions[1], True]
    with qtbot.waitSignal(overlay.hide_phrase_requested):
        names["hide"].trigger()
    with qtbot.waitSignal(overlay.edit_phrase_requested):
        names["edit"].trigger()


def test_long_suggestions_are_elided_to_two_lines_but_inserted_whole(qtbot, angry):
    text, analysis = angry
    long_one = analysis.suggestions[0].__class__("long", "word " * 120, "acknowledge", "why")
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis.with_suggestions([long_one, *analysis.suggestions[1:3]]), text)
    button = overlay.suggestions.buttons[0]
    assert button.body.text().endswith("…")
    assert button.body.height() <= 2 * button.body.fontMetrics().lineSpacing() + 1
    with qtbot.waitSignal(overlay.suggestion_chosen) as blocker:
        qtbot.mouseClick(button, Qt.LeftButton)
    assert blocker.args[1].text == "word " * 120


def test_three_to_five_suggestions(qtbot, angry):
    text, analysis = angry
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis.with_suggestions(analysis.suggestions[:3]), text)
    assert len(overlay.suggestions.visible_buttons()) == 3
    five = analysis.suggestions + (analysis.suggestions[0].__class__("x5", "Fifth.", "check_back", "why"),)
    overlay.show_analysis(analysis.with_suggestions(five + five), text)
    assert len(overlay.suggestions.visible_buttons()) == 5
    overlay.show_analysis(analysis.with_suggestions(()), text)
    assert overlay.suggestions.empty.isVisible()


def test_search_finds_phrases_as_you_type_and_enter_chooses(qtbot):
    overlay = make_overlay(qtbot)
    library = [PhraseHit("a", "sry", "I'm so sorry about that."), PhraseHit("b", "thx", "Thanks for waiting!")]
    overlay.search.set_provider(lambda q: [h for h in library if q.lower() in (h.title + h.text).lower()])
    qtbot.mouseClick(overlay.search.field, Qt.LeftButton)
    assert overlay.in_input_mode()
    assert not (overlay.windowHandle().flags() & Qt.WindowDoesNotAcceptFocus)
    qtbot.keyClicks(overlay.search.field, "thank")
    assert overlay.search.results.count() == 1
    with qtbot.waitSignal(overlay.phrase_chosen) as blocker:
        qtbot.keyClick(overlay.search.field, Qt.Key_Return)
    assert blocker.args == ["b", "Thanks for waiting!"]
    assert not overlay.in_input_mode()  # focus is handed back after a choice
    assert overlay.windowHandle().flags() & Qt.WindowDoesNotAcceptFocus
    qtbot.keyClicks(overlay.search.field, "nothing like this")
    assert overlay.search.results.item(0).text() == "No phrase matches."


def test_paste_box_sends_a_typed_customer_message(qtbot):
    overlay = make_overlay(qtbot)
    qtbot.mouseClick(overlay.paste_box.toggle, Qt.LeftButton)
    assert overlay.paste_box.is_open() and overlay.in_input_mode()
    qtbot.keyClicks(overlay.paste_box.editor, "  Where is my refund???  ")
    with qtbot.waitSignal(overlay.customer_text_entered) as blocker:
        qtbot.keyClick(overlay.paste_box.editor, Qt.Key_Return, Qt.ControlModifier)
    assert blocker.args == ["Where is my refund???"]
    assert not overlay.paste_box.is_open() and not overlay.in_input_mode()


def test_collapse_to_a_slim_badge_and_back(qtbot, angry):
    text, analysis = angry
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis, text)
    full_height = overlay.height()
    qtbot.mouseClick(overlay.collapse_button, Qt.LeftButton)
    assert overlay.is_collapsed()
    assert overlay.width() == COLLAPSED_WIDTH and overlay.height() < full_height / 4
    assert "Angry" in overlay.collapsed_badge.accessibleName()
    qtbot.mouseClick(overlay.collapsed_badge.expand, Qt.LeftButton)
    assert not overlay.is_collapsed() and overlay.width() == WIDTH


def test_hide_button_asks_to_hide(qtbot):
    overlay = make_overlay(qtbot)
    with qtbot.waitSignal(overlay.hide_requested):
        qtbot.mouseClick(overlay.hide_button, Qt.LeftButton)


def test_every_control_has_an_accessible_name(qtbot, angry):
    text, analysis = angry
    overlay = make_overlay(qtbot)
    overlay.show_analysis(analysis, text)
    overlay.paste_box.open()
    controls = [w for w in overlay.findChildren(QWidget)
                if isinstance(w, (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractItemView))]
    assert len(controls) > 10
    unnamed = [w.objectName() or type(w).__name__ for w in controls if not w.accessibleName().strip()]
    assert unnamed == []


def test_position_is_remembered_per_screen(qtbot, tmp_path):
    overlay = make_overlay(qtbot, tmp_path)
    available = overlay.screen().availableGeometry()
    target = QPoint(available.left() + 200, available.top() + 150)
    overlay.move(target)
    overlay._remember_position()
    again = make_overlay(qtbot, tmp_path)
    assert again.pos() == target
    # Dropped near an edge, it sticks to the edge.
    again.move(available.right() - again.width() - 10, available.top() + 150)
    again._remember_position()
    assert again.geometry().right() == available.right()


def test_docks_to_the_chosen_edge_without_a_saved_place(qtbot, tmp_path):
    overlay = OverlayWindow(state_dir=tmp_path, dock="left")
    qtbot.addWidget(overlay)
    overlay.show()
    available = overlay.screen().availableGeometry()
    assert overlay.x() - available.left() < 40
    overlay.set_dock("right")
    assert available.right() - overlay.geometry().right() < 40


def test_beside_position_prefers_the_right_then_the_left_and_never_leaves_the_screen():
    available = QRect(0, 0, 1920, 1040)
    size = QSize(352, 500)
    right = beside_position(QRect(100, 100, 1000, 800), size, available)
    assert right.x() > 1100 and right.y() + size.height() - 1 == 899  # right of it, bottom-aligned
    left = beside_position(QRect(900, 100, 1000, 800), size, available)
    assert left.x() + size.width() < 900
    over = beside_position(QRect(0, 0, 1920, 1040), size, available)
    assert available.contains(QRect(over, size))


def test_beside_window_dock_follows_the_chat_window(qtbot, tmp_path):
    overlay = OverlayWindow(state_dir=tmp_path, dock="beside_window")
    qtbot.addWidget(overlay)
    overlay.show()
    available = overlay.screen().availableGeometry()
    ratio = overlay.devicePixelRatioF()
    chat = (available.left() + 20, available.top() + 40, 300, 420)  # logical pixels
    overlay.follow_window(tuple(round(v * ratio) for v in chat))  # given in physical pixels, as X11 does
    assert overlay.x() >= available.left() + 20 + 300  # beside, not over, the chat window
    assert overlay.geometry().bottom() <= available.bottom()
    docked = OverlayWindow(state_dir=tmp_path, dock="right")
    qtbot.addWidget(docked)
    docked.show()
    before = docked.pos()
    docked.follow_window(chat)
    assert docked.pos() == before  # the other dock settings ignore the active window


def test_dark_theme_changes_colours(qtbot, angry):
    overlay = make_overlay(qtbot)
    overlay.set_palette(theme.DARK)
    assert theme.DARK.window in overlay.styleSheet()
    assert overlay.palette_in_use.dark
    assert theme.palette_for("light") is theme.LIGHT and theme.palette_for("dark") is theme.DARK


def test_status_line_shows_problems_and_pause(qtbot):
    overlay = make_overlay(qtbot)
    overlay.set_watch_state(False, ["draft: AT-SPI bus not reachable"])
    assert "limited" in overlay.watch_label.text()
    assert "AT-SPI" in overlay.status.text() and overlay.status.isVisible()
    overlay.set_watch_state(True)
    assert "paused" in overlay.watch_label.text()
    overlay.set_status("Not inserted: focus moved", error=True)
    assert overlay.status.text() == "Not inserted: focus moved"


def test_search_hotkey_brings_the_overlay_back_ready_to_type(qtbot, angry):
    text, analysis = angry
    overlay = make_overlay(qtbot)
    overlay.set_collapsed(True)
    overlay.hide()
    overlay.focus_search()
    assert overlay.isVisible() and not overlay.is_collapsed() and overlay.in_input_mode()
    qtbot.waitUntil(lambda: overlay.search.field.hasFocus(), timeout=2000)
    qtbot.keyClick(overlay.search.field, Qt.Key_Escape)
    assert not overlay.in_input_mode()


def test_dragging_is_remembered_but_docking_moves_are_not(qtbot, tmp_path):
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtCore import QEvent, QPointF

    overlay = make_overlay(qtbot, tmp_path)
    overlay.move(overlay.pos() + QPoint(-30, -30))  # as when the content grows or it docks
    qtbot.wait(700)
    assert not (tmp_path / "overlay-position.json").exists()

    def send(kind, global_pos, buttons):
        local = overlay.drag.mapFromGlobal(global_pos)
        event = QMouseEvent(kind, QPointF(local), QPointF(global_pos), Qt.LeftButton, buttons, Qt.NoModifier)
        QApplication.sendEvent(overlay.drag, event)

    from PySide6.QtWidgets import QApplication

    start = overlay.drag.mapToGlobal(overlay.drag.rect().center())
    send(QEvent.MouseButtonPress, start, Qt.LeftButton)
    send(QEvent.MouseMove, start + QPoint(-120, -80), Qt.LeftButton)
    send(QEvent.MouseButtonRelease, start + QPoint(-120, -80), Qt.NoButton)
    qtbot.waitUntil(lambda: (tmp_path / "overlay-position.json").exists(), timeout=3000)
    again = make_overlay(qtbot, tmp_path)
    assert again.pos() == overlay.pos()


def test_search_results_and_paste_box_make_room_instead_of_squeezing(qtbot):
    overlay = make_overlay(qtbot)
    hits = [PhraseHit(str(i), f"title {i}", f"Phrase number {i}") for i in range(6)]
    overlay.search.set_provider(lambda q: hits)
    before = overlay.height()
    overlay.search.field.setText("phrase")
    assert overlay.height() > before + 100
    assert overlay.search.field.height() >= overlay.search.field.sizeHint().height()
    overlay.search.reset()
    assert overlay.height() == before
    overlay.paste_box.open()
    assert overlay.height() > before + 40
    assert overlay.paste_box.editor.height() == 64
