"""The customer's emotion as a coloured pill, with how strong it is (level word + five-step meter)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import QSizePolicy, QWidget

from . import theme

METER_STEPS = 5


class EmotionBadge(QWidget):
    """Painted rather than styled so it stays crisp at any scale and needs no images."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("emotion-badge")
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self._emotion = "neutral"
        self._intensity = 0.0
        self._level = "low"
        self._confidence = 1.0
        self._lang = "en"
        self._palette = theme.LIGHT
        self._waiting = True  # nothing analysed yet
        self._update_accessible()

    # -- state ---------------------------------------------------------------------------------
    @property
    def emotion(self) -> str:
        return self._emotion

    @property
    def intensity(self) -> float:
        return self._intensity

    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        self.update()

    def set_waiting(self) -> None:
        self._waiting = True
        self._emotion, self._intensity, self._level = "neutral", 0.0, "low"
        self._update_accessible()
        self.update()

    def set_emotion(self, emotion: str, intensity: float, level: str, confidence: float = 1.0,
                    lang: str = "en") -> None:
        self._waiting = False
        self._emotion = emotion
        self._intensity = max(0.0, min(1.0, float(intensity)))
        self._level = level
        self._confidence = confidence
        self._lang = lang
        self._update_accessible()
        self.update()

    def filled_steps(self) -> int:
        """How many meter steps are lit: at least one for any non-neutral emotion."""
        if self._waiting:
            return 0
        steps = round(self._intensity * METER_STEPS)
        if self._emotion != "neutral":
            steps = max(1, steps)
        return min(METER_STEPS, steps)

    def caption(self) -> str:
        if self._waiting:
            return "Waiting for a customer message"
        parts = [f"{self._level} · {round(self._intensity * 100)}%"]
        if self._lang not in ("en", ""):
            parts.append(f"{self._lang}?")
        elif self._confidence < 0.5:
            parts.append("unsure")
        return "  ".join(parts)

    def _update_accessible(self) -> None:
        if self._waiting:
            text = "Customer emotion: no message analysed yet"
        else:
            text = (f"Customer emotion: {theme.emotion_title(self._emotion)}, {self._level} intensity, "
                    f"{round(self._intensity * 100)} percent")
            if self._confidence < 0.5:
                text += ", low confidence"
        self.setAccessibleName(text)
        self.setToolTip(text)

    # -- painting ------------------------------------------------------------------------------
    def _pill_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._pill_font())
        return QSize(260, metrics.height() + 14)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        pill_font = self._pill_font()
        metrics = QFontMetrics(pill_font)
        height = self.height()
        title = "—" if self._waiting else theme.emotion_title(self._emotion)
        pill_w = metrics.horizontalAdvance(title) + 30
        color = QColor(self._palette.border) if self._waiting else theme.emotion_color(self._emotion)
        if self._waiting:
            color = QColor(self._palette.muted)
        pill = QRectF(0.5, 0.5, pill_w, height - 1)
        path = QPainterPath()
        path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.fillPath(path, color)
        # A small white dot, like a status light, before the word.
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.drawEllipse(QRectF(10, height / 2 - 3, 6, 6))
        painter.setPen(QColor("white"))
        painter.setFont(pill_font)
        painter.drawText(QRectF(20, 0, pill_w - 22, height), Qt.AlignVCenter | Qt.AlignLeft, title)

        # Meter: five rounded steps, lit in the emotion's colour.
        x = pill_w + 12
        step_w, step_h, gap = 9, 12, 3
        y = (height - step_h) / 2
        dim = QColor(self._palette.border)
        for i in range(METER_STEPS):
            painter.setBrush(color if i < self.filled_steps() else dim)
            painter.drawRoundedRect(QRectF(x + i * (step_w + gap), y, step_w, step_h), 2, 2)
        x += METER_STEPS * (step_w + gap) + 8
        painter.setPen(QColor(self._palette.muted))
        painter.setFont(self.font())
        painter.drawText(QRectF(x, 0, self.width() - x, height), Qt.AlignVCenter | Qt.AlignLeft,
                         self.caption())
        painter.end()
