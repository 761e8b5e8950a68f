"""The overlay and its windows: the only package that imports PySide6 (with app.py, the composition root)."""
