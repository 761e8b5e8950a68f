"""The overlay and its windows: the only package that imports PySide6 (with app.py, the composition root)."""

from .qt_fixes import keep_none_alive

keep_none_alive()  # before any Qt call: see qt_fixes (PySide6 6.12 on Python 3.11)
