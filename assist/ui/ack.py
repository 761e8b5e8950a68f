"""The missing-acknowledgment warning: shown while the reply does not acknowledge a negative
emotion, replaced by a short confirmation as soon as the draft does."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from . import theme

HIDDEN, MISSING, HINT, OK = "hidden", "missing", "hint", "ok"


def ack_state(analysis) -> str:
    """Which banner an analysis calls for.

    missing: there is a draft and it does not acknowledge the customer's negative emotion.
    hint: the customer needs acknowledging and nothing is typed yet.
    ok: the draft acknowledges it.
    """
    if analysis is None or not analysis.needs_acknowledgment:
        if analysis is not None and analysis.acknowledged and analysis.emotion != "neutral":
            return OK
        return HIDDEN
    if analysis.acknowledged is True:
        return OK
    if analysis.acknowledged is None:
        return HINT
    return MISSING


class AckBanner(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.state = HIDDEN
        self._emotion = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 7, 10, 7)
        layout.setSpacing(8)
        self.icon = QLabel(self)
        self.icon.setAccessibleName("Acknowledgment status icon")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        self.hide()

    def show_for(self, analysis) -> None:
        state = ack_state(analysis)
        emotion = analysis.emotion if analysis is not None else ""
        if (state, emotion) == (self.state, self._emotion) and self.isHidden() == (state == HIDDEN):
            return  # typing re-analyses often: nothing to redo
        self.state, self._emotion = state, emotion
        if self.state == HIDDEN:
            self.hide()
            return
        feeling = theme.emotion_title(analysis.emotion).lower() if analysis.emotion != "neutral" else "upset"
        if self.state == MISSING:
            self.setObjectName("ack-warning")
            self.icon.setText("⚠")
            self.text.setText(f"<b>Acknowledge first.</b> Your reply doesn't address that the customer "
                              f"is {feeling} yet.")
            name = "Warning: missing acknowledgment"
        elif self.state == HINT:
            self.setObjectName("ack-hint")
            self.icon.setText("ℹ")
            self.text.setText(f"The customer is {feeling}: open your reply by acknowledging it.")
            name = "Hint: acknowledge the customer first"
        else:
            self.setObjectName("ack-ok")
            self.icon.setText("✓")
            self.text.setText("Your reply acknowledges how the customer feels.")
            name = "Reply acknowledges the customer"
        self.setAccessibleName(name)
        self.text.setAccessibleName(name)
        # The object name selects the style: re-polish so the change shows at once.
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
