"""Screenshots of the overlay in its main states, with the real analyzer and phrase library, written
to artifacts/screenshots/ for a person to look at (docs/screenshots/overlay.png is one of them).

The test checks what can be checked by machine: each state renders, differs from the others, and
shows what it should (warning colour present in the angry state, absent once acknowledged).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from assist.app import CoreEngine
from assist.config import Settings
from assist.core.session import Session
from assist.ui import ack, theme
from assist.ui.overlay import OverlayWindow
from assist.ui.worker import AnalysisRequest

OUT = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ANGRY = ("This is the THIRD time I'm contacting you about my order!!! Still no delivery after two weeks "
         "and nobody answers. I'm really frustrated.")
EARLIER = "Hi, I ordered a jacket two weeks ago and the tracking hasn't changed since Monday."
NEUTRAL = "Hi! Could you tell me whether the jacket also comes in dark green?"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from assist.paths import Paths

    paths = Paths.for_basedir(tmp_path_factory.mktemp("shots"))
    engine = CoreEngine(paths, Settings.load(paths))
    engine.load()
    return engine


def analyse(engine, customer, draft="", history=()):
    session = Session()
    for message in history:
        session.add_customer_message(message)
    session.add_customer_message(customer)
    session.draft = draft
    return engine.run(AnalysisRequest(1, session))


def shoot(qtbot, overlay, name) -> QImage:
    qtbot.wait(20)
    focused = overlay.focusWidget()
    if focused is not None:
        focused.clearFocus()  # the offscreen platform focuses a button; a real overlay never has focus
    OUT.mkdir(parents=True, exist_ok=True)
    pixmap = overlay.grab()
    pixmap.save(str(OUT / f"{name}.png"))
    return pixmap.toImage()


def has_color(image: QImage, color: str, tolerance: int = 12) -> bool:
    target = QColor(color)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (abs(pixel.red() - target.red()) <= tolerance and abs(pixel.green() - target.green()) <= tolerance
                    and abs(pixel.blue() - target.blue()) <= tolerance):
                return True
    return False


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_overlay_states(qtbot, engine, tmp_path, mode):
    palette = theme.LIGHT if mode == "light" else theme.DARK
    overlay = OverlayWindow(state_dir=tmp_path)
    qtbot.addWidget(overlay)
    overlay.set_palette(palette)
    overlay.set_watch_state(False)
    overlay.show()
    qtbot.waitExposed(overlay)

    overlay.show_analysis(analyse(engine, NEUTRAL), NEUTRAL)
    neutral = shoot(qtbot, overlay, f"neutral-{mode}")
    assert overlay.ack_banner.state == ack.HIDDEN

    overlay.reset()
    overlay.show_analysis(analyse(engine, EARLIER), EARLIER)
    angry = analyse(engine, ANGRY, draft="Let me check the tracking for you.", history=(EARLIER,))
    overlay.show_analysis(angry, ANGRY)
    assert overlay.ack_banner.state == ack.MISSING
    assert 3 <= len(overlay.suggestions.visible_buttons()) <= 5
    missing = shoot(qtbot, overlay, f"angry-missing-ack-{mode}")
    assert has_color(missing, palette.warning_border)

    done = analyse(engine, ANGRY, draft="I'm so sorry, I understand how frustrating this is. Let me check.",
                   history=(EARLIER,))
    overlay.show_analysis(done, ANGRY)
    assert overlay.ack_banner.state == ack.OK
    acknowledged = shoot(qtbot, overlay, f"acknowledged-{mode}")
    assert not has_color(acknowledged, palette.warning_border, tolerance=4)

    overlay.show_analysis(angry, ANGRY)
    overlay.set_collapsed(True)
    collapsed = shoot(qtbot, overlay, f"collapsed-{mode}")
    assert collapsed.height() < 60 and collapsed.width() < neutral.width()
    assert len({img.cacheKey() for img in (neutral, missing, acknowledged, collapsed)}) == 4


HIGH_DPI = r"""
import os, sys
from PySide6.QtWidgets import QApplication
from assist.core.types import Analysis, Cue, Suggestion
from assist.ui.overlay import OverlayWindow
app = QApplication([])
text = "I'm furious, this is the third time!!!"
analysis = Analysis(emotion="anger", intensity=0.9, level="high", needs_acknowledgment=True, acknowledged=False,
                    cues=(Cue(4, 11, "furious", "anger", "lexicon"),), topics=("delivery",),
                    suggestions=(Suggestion("a", "I'm so sorry about this.", "apologize", "angry"),) * 3)
overlay = OverlayWindow()
overlay.show_analysis(analysis, text)
overlay.show()
app.processEvents()
pixmap = overlay.grab()
pixmap.save(sys.argv[1])
print(pixmap.devicePixelRatio(), pixmap.width(), pixmap.height(), overlay.width(), overlay.height())
"""


def test_high_dpi_renders_at_device_pixels(tmp_path):
    """At 200 % the overlay keeps its layout and draws with twice the pixels (no blurry upscaling)."""
    import os
    import subprocess
    import sys

    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_SCALE_FACTOR="2")
    out = subprocess.run([sys.executable, "-c", HIGH_DPI, str(OUT / "angry-200-percent.png")], env=env,
                         capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    ratio, width, height, logical_w, logical_h = map(float, out.stdout.split())
    assert ratio == 2.0 and width == 2 * logical_w and height == 2 * logical_h
