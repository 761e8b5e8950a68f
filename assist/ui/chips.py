"""Small rounded labels for the conversation's topics."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from . import theme

MAX_CHIPS = 3


class TopicChips(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("topics")
        self._palette = theme.LIGHT
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._topics: tuple[str, ...] = ()
        self.setAccessibleName("Topics: none")

    @property
    def topics(self) -> tuple[str, ...]:
        return self._topics

    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        self.set_topics(self._topics, force=True)

    def set_topics(self, topics, force: bool = False) -> None:
        topics = tuple(t for t in topics if t != "other")[:MAX_CHIPS]
        if topics == self._topics and not force and self._layout.count():
            return
        self._topics = topics
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        p = self._palette
        for topic in self._topics:
            chip = QLabel(theme.topic_title(topic), self)
            chip.setObjectName("topic-chip")
            chip.setAccessibleName(f"Topic: {theme.topic_title(topic)}")
            chip.setStyleSheet(
                f"QLabel {{ background: {p.surface}; color: {p.muted}; border: 1px solid {p.border};"
                f" border-radius: 9px; padding: 1px 8px; }}")
            self._layout.addWidget(chip)
        self._layout.addStretch(1)
        names = ", ".join(theme.topic_title(t) for t in self._topics) or "none"
        self.setAccessibleName(f"Topics: {names}")
