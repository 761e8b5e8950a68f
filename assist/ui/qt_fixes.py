"""Keeps the interpreter alive under PySide6 6.12 on Python 3.11.

PySide6 6.12 returns `None` from every method that returns nothing (setText, setVisible, ...)
without taking a new reference to it. That is right on Python 3.12 and later, where `None` is
immortal, and wrong on 3.11: each such call takes one reference away, and after a few thousand
calls (minutes of an agent's shift) the count reaches zero and the interpreter aborts with
"none_dealloc: deallocating None". We give `None` what Python 3.12 gives it: a reference count so
large that it can never run out. Nothing else changes; on 3.12+ this does nothing.
"""

from __future__ import annotations

import ctypes
import sys

SHARE = 1 << 40  # references added once; at one lost per call this lasts for ever


def keep_none_alive() -> bool:
    """Make `None` effectively immortal on CPython < 3.12; True when it was needed and done."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    count = ctypes.c_ssize_t.from_address(id(None))
    # Only where the count sits where a release build keeps it (first field of the object);
    # debug builds with another object layout are left alone.
    if abs(count.value - sys.getrefcount(None)) > 8:
        return False
    if count.value < SHARE:
        count.value += SHARE
    return True
