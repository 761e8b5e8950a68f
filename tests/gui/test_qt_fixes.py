"""A whole shift of widget updates must not abort the interpreter (PySide6 6.12 on Python 3.11)."""

from __future__ import annotations

import os
import subprocess
import sys

MANY_CALLS = r"""
import sys
import assist.ui  # applies the fix, as every assist window does
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for i in range(100_000):  # far more than None's references: each call used to take one away
    label.setText("x")
    label.setVisible(False)
print("alive")
"""


def test_many_qt_calls_do_not_kill_the_interpreter():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", MANY_CALLS], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "alive"


def test_the_fix_is_a_no_op_where_none_is_immortal():
    from assist.ui.qt_fixes import keep_none_alive

    before = sys.getrefcount(None)
    applied = keep_none_alive()
    assert applied == (sys.version_info < (3, 12) and sys.implementation.name == "cpython")
    if not applied:
        assert sys.getrefcount(None) == before
    else:
        assert sys.getrefcount(None) >= 1 << 40  # already done at import, idempotent
