"""GUI tests: real Qt widgets on the offscreen platform, driven by pytest-qt, against a small fake
analysis engine (the real analyzer is tested in tests/unit, the real desktop in tests/e2e)."""

from __future__ import annotations

import os

# Before anything imports Qt: no display needed, same pixels everywhere.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from assist.paths import Paths  # noqa: E402
from fake_engine import fake_analysis  # noqa: E402


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path / "base")


@pytest.fixture
def angry():
    text = "This is the third time I write!!! I'm furious, where is my order?"
    return text, fake_analysis(text)
