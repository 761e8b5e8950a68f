""""My shift": today's own numbers for the agent: upset customers acknowledged, how fast, phrases used.

A small view over a ShiftRecorder (assist.audit.shift). It shows, it never computes: every number
comes from `recorder.snapshot()`. The recorder may be fed from a worker thread, so its change
callback only emits a signal, and the refresh happens on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QGridLayout, QLabel, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

INTENT_TITLES = {
    "acknowledge": "acknowledge",
    "apologize": "apologise",
    "appreciate_patience": "thanks for patience",
    "thank_reporting": "thanks for reporting",
    "take_ownership": "ownership",
    "reassure_next_step": "next step",
    "check_back": "check back",
}


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min"


class ShiftView(QWidget):
    changed = Signal()  # emitted from any thread by the recorder; refreshes on the GUI thread

    def __init__(self, recorder, parent=None):
        super().__init__(parent)
        self.recorder = recorder
        self.setObjectName("shift-view")
        self.setAccessibleName("My shift")

        self.title = QLabel()
        self.title.setObjectName("shift-title")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600;")

        self.acknowledged = self._value("shift-acknowledged")
        self.rate_bar = QProgressBar()
        self.rate_bar.setObjectName("shift-rate")
        self.rate_bar.setRange(0, 100)
        self.rate_bar.setTextVisible(True)
        self.rate_bar.setAccessibleName("Share of upset customers acknowledged")
        self.time_to_ack = self._value("shift-time-to-ack")
        self.phrases = self._value("shift-phrases")
        self.phrase_detail = QLabel()
        self.phrase_detail.setObjectName("shift-phrase-detail")
        self.phrase_detail.setWordWrap(True)
        self.storage = QLabel()
        self.storage.setObjectName("shift-storage")
        self.storage.setWordWrap(True)
        self.storage.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        self.reset_button = QPushButton("Reset today's numbers")
        self.reset_button.setObjectName("shift-reset")
        self.reset_button.clicked.connect(self.reset)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.addWidget(QLabel("Upset customers acknowledged"), 0, 0)
        grid.addWidget(self.acknowledged, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.rate_bar, 1, 0, 1, 2)
        grid.addWidget(QLabel("Median time to acknowledge"), 2, 0)
        grid.addWidget(self.time_to_ack, 2, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(QLabel("Phrases used"), 3, 0)
        grid.addWidget(self.phrases, 3, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.phrase_detail, 4, 0, 1, 2)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(line)
        layout.addWidget(self.storage)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self._listener = self.changed.emit  # kept: the same callable must be removed again
        recorder.add_listener(self._listener)
        # The day can change while the view is open; a slow timer notices without an event.
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setStyleSheet("font-weight: 600;")
        return label

    def refresh(self) -> None:
        stats = self.recorder.snapshot()
        self.title.setText(f"My shift · {stats.day}")
        self.acknowledged.setText(f"{stats.acknowledged} of {stats.upset_customers}")
        rate = stats.acknowledged_rate
        self.rate_bar.setValue(round(rate * 100) if rate is not None else 0)
        self.rate_bar.setFormat(f"{rate:.0%}" if rate is not None else "no upset customers yet")
        self.time_to_ack.setText(format_seconds(stats.median_ack_seconds))
        self.phrases.setText(str(stats.phrases_used))
        by_intent = sorted(stats.phrases_by_intent.items(), key=lambda item: -item[1])
        self.phrase_detail.setText(" · ".join(f"{INTENT_TITLES.get(k, k)} {v}" for k, v in by_intent))
        self.phrase_detail.setVisible(bool(by_intent))
        if self.recorder.record:
            self.storage.setText("Kept on this computer until tomorrow: counts and times only, never chat text.")
        else:
            self.storage.setText("Not saved: these numbers are gone when assist closes. Turn on "
                                 "“Keep today's statistics” in Settings to keep them (counts only).")

    def reset(self) -> None:
        self.recorder.reset()  # notifies; refresh now too so the click shows at once
        self.refresh()

    def detach(self) -> None:
        """Stop listening to the recorder (the view is going away)."""
        self.recorder.remove_listener(self._listener)

    def closeEvent(self, event) -> None:
        self.detach()
        super().closeEvent(event)


class ShiftDialog(QDialog):
    def __init__(self, recorder, parent=None):
        super().__init__(parent)
        self.setWindowTitle("My shift")
        self.setObjectName("shift-dialog")
        self.view = ShiftView(recorder, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.setMinimumWidth(340)

    def done(self, result: int) -> None:
        self.view.detach()
        super().done(result)


def open_shift_dialog(recorder, parent=None) -> ShiftDialog:
    """Show the My shift dialog (non-modal: the agent keeps chatting) and return it."""
    dialog = ShiftDialog(recorder, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    return dialog
