"""A small sparkline of the conversation's emotion over the last customer messages.

Each point is one customer message: its height is the intensity of a negative emotion (positive
and neutral sit at the bottom), its dot is the emotion's colour. The arrow says where it is going.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QWidget

from ..core.labels import NEGATIVE_EMOTIONS
from . import theme

MAX_POINTS = 8
ARROWS = {"rising": "↗", "steady": "→", "falling": "↘"}
TREND_WORDS = {"rising": "getting worse", "steady": "steady", "falling": "calming down"}


@dataclass(frozen=True)
class TrendPoint:
    key: int  # hash of the message, in memory only: a re-analysis of the same message updates it
    emotion: str
    intensity: float

    @property
    def height(self) -> float:
        return self.intensity if self.emotion in NEGATIVE_EMOTIONS else 0.0


class TrendSparkline(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trend-sparkline")
        self._points: list[TrendPoint] = []
        self._trend = "steady"
        self._palette = theme.LIGHT
        self.setFixedHeight(26)
        self.setMinimumWidth(90)
        self._update_accessible()

    @property
    def points(self) -> list[TrendPoint]:
        return list(self._points)

    @property
    def trend(self) -> str:
        return self._trend

    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        self.update()

    def clear(self) -> None:
        self._points.clear()
        self._trend = "steady"
        self._update_accessible()
        self.update()

    def record(self, message_key: int, emotion: str, intensity: float, trend: str) -> None:
        """The latest analysis of a customer message: a new message adds a point, the same one updates it."""
        point = TrendPoint(message_key, emotion, max(0.0, min(1.0, intensity)))
        if self._points and self._points[-1].key == message_key:
            self._points[-1] = point
        else:
            self._points.append(point)
            del self._points[:-MAX_POINTS]
        self._trend = trend if trend in ARROWS else "steady"
        self._update_accessible()
        self.update()

    def _update_accessible(self) -> None:
        count = len(self._points)
        text = (f"Conversation trend: {TREND_WORDS[self._trend]} over the last {count} messages"
                if count else "Conversation trend: no messages yet")
        self.setAccessibleName(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:
        return QSize(120, 26)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        arrow_w = 18
        caption_w = 34
        small = painter.font()
        small.setPointSizeF(small.pointSizeF() * 0.8)
        painter.setFont(small)
        painter.setPen(QColor(self._palette.muted))
        painter.drawText(QRectF(0, 0, caption_w, self.height()), Qt.AlignVCenter | Qt.AlignLeft, "trend")
        area = QRectF(caption_w + 2, 5, self.width() - arrow_w - caption_w - 8, self.height() - 10)
        # Baseline so an empty or calm conversation still reads as a chart.
        painter.setPen(QPen(QColor(self._palette.border), 1, Qt.DashLine))
        painter.drawLine(QPointF(area.left(), area.bottom()), QPointF(area.right(), area.bottom()))
        points = self._points
        if points:
            n = len(points)
            step = area.width() / max(1, MAX_POINTS - 1)
            start_x = area.right() - step * (n - 1)
            coords = [QPointF(start_x + i * step, area.bottom() - p.height * area.height())
                      for i, p in enumerate(points)]
            if n > 1:
                path = QPainterPath(coords[0])
                for c in coords[1:]:
                    path.lineTo(c)
                painter.setPen(QPen(QColor(self._palette.muted), 1.6, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
                painter.setBrush(Qt.NoBrush)
                painter.drawPath(path)
            painter.setPen(QPen(QColor(self._palette.window), 1.2))
            for i, (c, p) in enumerate(zip(coords, points)):
                painter.setBrush(theme.emotion_color(p.emotion))
                radius = 3.8 if i == n - 1 else 2.8
                painter.drawEllipse(c, radius, radius)
        color = {"rising": QColor(theme.EMOTION_COLORS["anger"]),
                 "falling": QColor(theme.EMOTION_COLORS["positive"])}.get(self._trend, QColor(self._palette.muted))
        painter.setPen(color)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        painter.setFont(font)
        painter.drawText(QRectF(self.width() - arrow_w - 2, 0, arrow_w, self.height()), Qt.AlignCenter,
                         ARROWS[self._trend] if points else "")
        painter.end()
