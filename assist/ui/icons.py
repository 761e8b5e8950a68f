"""The app and tray icons, drawn in code: sharp at every size and scale, no image files to ship."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap

SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
NORMAL, PAUSED, WARNING = "normal", "paused", "warning"
_COLORS = {NORMAL: "#2F6FEB", PAUSED: "#7A818C", WARNING: "#2F6FEB"}


def _paint(size: int, state: str) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.Antialiasing)
    s = float(size)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(_COLORS[state]))
    p.drawRoundedRect(QRectF(s * 0.04, s * 0.04, s * 0.92, s * 0.92), s * 0.24, s * 0.24)
    # A speech bubble with a small heart: "someone is talking and feels something".
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(s * 0.2, s * 0.22, s * 0.6, s * 0.44), s * 0.14, s * 0.14)
    tail = QPainterPath(QPointF(s * 0.32, s * 0.6))
    tail.lineTo(QPointF(s * 0.28, s * 0.8))
    tail.lineTo(QPointF(s * 0.48, s * 0.62))
    tail.closeSubpath()
    p.setBrush(QColor("white"))
    p.drawPath(bubble.united(tail))
    if state == PAUSED:
        p.setBrush(QColor(_COLORS[PAUSED]))
        p.drawRect(QRectF(s * 0.4, s * 0.32, s * 0.07, s * 0.24))
        p.drawRect(QRectF(s * 0.53, s * 0.32, s * 0.07, s * 0.24))
    else:
        heart = QPainterPath()
        cx, cy, r = s * 0.5, s * 0.42, s * 0.075
        heart.addEllipse(QPointF(cx - r, cy), r, r)
        heart.addEllipse(QPointF(cx + r, cy), r, r)
        tip = QPainterPath(QPointF(cx - 2 * r, cy + r * 0.2))
        tip.lineTo(QPointF(cx, cy + r * 2.6))
        tip.lineTo(QPointF(cx + 2 * r, cy + r * 0.2))
        tip.closeSubpath()
        p.setBrush(QColor("#E8505B"))
        p.drawPath(heart.united(tip))
    if state == WARNING:
        p.setBrush(QColor("#F0A23B"))
        p.setPen(QColor("white"))
        p.drawEllipse(QRectF(s * 0.6, s * 0.6, s * 0.38, s * 0.38))
    p.end()
    return pixmap


def app_icon(state: str = NORMAL) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(_paint(size, state))
    return icon


def search_icon(color: str) -> QIcon:
    """A magnifier in `color`, for the search field."""
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.Antialiasing)
        s = float(size)
        pen = p.pen()
        pen.setColor(QColor(color))
        pen.setWidthF(max(1.5, s * 0.1))
        pen.setCapStyle(Qt.RoundCap)
        p.setPen(pen)
        p.drawEllipse(QRectF(s * 0.18, s * 0.18, s * 0.46, s * 0.46))
        p.drawLine(QPointF(s * 0.58, s * 0.58), QPointF(s * 0.82, s * 0.82))
        p.end()
        icon.addPixmap(pixmap)
    return icon
