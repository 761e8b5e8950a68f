"""Where the overlay sits: docked to a screen edge, or where the agent dragged it, per screen.

Positions are remembered per screen (name and size), so a laptop that is docked and undocked puts
the overlay back where the agent had it on each screen. Stored as JSON in the state folder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import QPoint, QRect

from ..atomic import atomic_write

log = logging.getLogger(__name__)

FILE_NAME = "overlay-position.json"
MARGIN = 16  # distance from the screen edge when docked
SNAP = 24  # dropped this close to an edge: stick to it


def screen_key(screen) -> str:
    geometry = screen.geometry()
    return f"{screen.name() or 'screen'}@{geometry.width()}x{geometry.height()}"


def docked_position(available: QRect, size, side: str) -> QPoint:
    """Top-left corner for a window of `size` docked on `side` ("left"/"right") of the available area."""
    x = available.left() + MARGIN if side == "left" else available.right() - size.width() - MARGIN + 1
    # Lower half: the chat box is usually at the bottom of the chat window; stay beside it, not over the header.
    y = available.top() + max(MARGIN, (available.height() - size.height()) * 2 // 3)
    return QPoint(x, y)


def beside_position(window: QRect, size, available: QRect) -> QPoint:
    """Top-left corner for the overlay beside the chat `window`: to its right where there is room,
    else to its left, else over its right edge (never off screen); bottom-aligned with the window,
    where the chat box usually is, so the agent's eyes travel least."""
    gap = MARGIN // 2
    if window.right() + gap + size.width() <= available.right():
        x = window.right() + gap + 1
    elif window.left() - gap - size.width() >= available.left():
        x = window.left() - gap - size.width()
    else:
        x = min(window.right(), available.right()) - size.width() - MARGIN + 1
    y = window.bottom() - size.height() + 1
    x = min(max(x, available.left()), available.right() - size.width() + 1)
    y = min(max(y, available.top()), available.bottom() - size.height() + 1)
    return QPoint(x, y)


def clamp_and_snap(pos: QPoint, size, available: QRect) -> QPoint:
    """Keep the whole window on screen; snap to an edge it was dropped near."""
    x = min(max(pos.x(), available.left()), available.right() - size.width() + 1)
    y = min(max(pos.y(), available.top()), available.bottom() - size.height() + 1)
    if x - available.left() < SNAP:
        x = available.left()
    elif available.right() - (x + size.width() - 1) < SNAP:
        x = available.right() - size.width() + 1
    if y - available.top() < SNAP:
        y = available.top()
    elif available.bottom() - (y + size.height() - 1) < SNAP:
        y = available.bottom() - size.height() + 1
    return QPoint(x, y)


class PositionStore:
    def __init__(self, state_dir: Path | None):
        self.path = Path(state_dir) / FILE_NAME if state_dir else None
        self._positions: dict[str, list[int]] = {}
        self._read()

    def _read(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self._positions = {k: list(v) for k, v in data.items()
                               if isinstance(v, list) and len(v) == 2 and all(isinstance(i, int) for i in v)}
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("overlay positions unreadable (%s); docking by default", exc)

    def get(self, key: str) -> QPoint | None:
        value = self._positions.get(key)
        return QPoint(*value) if value else None

    def set(self, key: str, pos: QPoint) -> None:
        self._positions[key] = [pos.x(), pos.y()]
        self._write()

    def forget(self, key: str) -> None:
        if self._positions.pop(key, None) is not None:
            self._write()

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write(self.path, json.dumps(self._positions, indent=1), backup=False)
        except OSError as exc:
            log.warning("could not remember the overlay position: %s", exc)
