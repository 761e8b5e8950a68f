"""Small rounded labels for the conversation's topics (styled by the overlay's style sheet)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from . import theme

MAX_CHIPS = 3


class TopicChips(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("topics")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # A fixed set of labels, shown or hidden: creating and styling widgets per message is slow.
        self._chips = []
        for _ in range(MAX_CHIPS):
            chip = QLabel(self)
            chip.setObjectName("topic-chip")
            chip.hide()
            layout.addWidget(chip)
            self._chips.append(chip)
        layout.addStretch(1)
        self._topics: tuple[str, ...] = ()
        self.setAccessibleName("Topics: none")

    @property
    def topics(self) -> tuple[str, ...]:
        return self._topics

    def set_palette(self, palette: theme.Palette) -> None:
        pass  # colours come from the overlay's style sheet (#topic-chip)

    def set_topics(self, topics) -> None:
        topics = tuple(t for t in topics if t != "other")[:MAX_CHIPS]
        if topics == self._topics:
            return
        self._topics = topics
        for i, chip in enumerate(self._chips):
            if i < len(topics):
                title = theme.topic_title(topics[i])
                chip.setText(title)
                chip.setAccessibleName(f"Topic: {title}")
                chip.show()
            else:
                chip.hide()
        names = ", ".join(theme.topic_title(t) for t in topics) or "none"
        self.setAccessibleName(f"Topics: {names}")
