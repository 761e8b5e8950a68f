"""Render resources/icons/*.svg to the PNG, ICO and ICNS files the packages and desktops use.

    python packaging/make_icons.py [OUT_DIR]     (default: resources/icons, next to the SVGs)

The SVGs are the source; run this after changing one and commit what it writes:
- assist-<size>.png for the app icon (16..256), for the .desktop file and the Linux icon theme;
- tray-<state>-<size>.png for the tray states normal, paused and warning;
- assist.ico (Windows: the bundle's executable and the installer) and assist.icns (macOS bundle),
  both holding PNG images, which every Windows since Vista and every macOS since 10.7 read.
Qt's SVG renderer draws them (offscreen, no display needed).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
APP_SIZES = (16, 24, 32, 48, 64, 128, 256)
TRAY_SIZES = (16, 22, 24, 32, 48, 64)
TRAY_STATES = ("normal", "paused", "warning")
# ICNS types that hold PNG data, by pixel size (Apple's icns format).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def render(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon file whose images are PNGs (a width/height byte of 0 means 256)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(ICNS_TYPES[size] + struct.pack(">I", 8 + len(png)) + png
                    for size, png in sorted(pngs.items()))
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ICONS
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (Qt needs one to paint)
    app_pngs = {size: render(ICONS / "assist.svg", size) for size in APP_SIZES}
    for size, png in app_pngs.items():
        (out / f"assist-{size}.png").write_bytes(png)
    for state in TRAY_STATES:
        for size in TRAY_SIZES:
            (out / f"tray-{state}-{size}.png").write_bytes(render(ICONS / f"tray-{state}.svg", size))
    (out / "assist.ico").write_bytes(ico(app_pngs))
    mac = {size: app_pngs.get(size) or render(ICONS / "assist.svg", size) for size in ICNS_TYPES}
    (out / "assist.icns").write_bytes(icns(mac))
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
