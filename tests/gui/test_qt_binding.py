"""A whole shift of widget updates must not abort the interpreter.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that returns nothing, so
after a few thousand overlay updates the interpreter aborts ("none_dealloc"); pyproject.toml keeps
PySide6 below 6.12 for that reason. This test fails on such a binding.
"""

from __future__ import annotations

import os
import subprocess
import sys

MANY_CALLS = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(100_000):  # far more than None's references on Python 3.11
    label.setText("x")
    label.setVisible(False)
    label.isVisible()
    if i % 100 == 0:
        QTimer(singleShot=True, interval=100).start()
print("alive")
"""


def test_many_qt_calls_do_not_kill_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", MANY_CALLS], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "alive"
