"""Draw the app icon (packaging/io.quotedesk.QuoteDesk.svg) as PNGs, a Windows .ico and a
macOS .icns, for the bundles. Qt renders the SVG (QtSvg, in PySide6-Essentials); Pillow
writes the .ico and .icns.

    python packaging/make_icons.py OUT_DIR
"""

from __future__ import annotations

import os
import sys
from io import BytesIO
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.quotedesk.QuoteDesk"
SVG = Path(__file__).with_name(f"{APP_ID}.svg")
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # hicolor sizes for Linux


def render(size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGBA")


def main(out: Path) -> None:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    out.mkdir(parents=True, exist_ok=True)
    images = {size: render(size) for size in (*PNG_SIZES, 1024)}
    for size in PNG_SIZES:
        images[size].save(out / f"{APP_ID}-{size}.png")
    images[256].save(out / f"{APP_ID}.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    images[1024].save(out / f"{APP_ID}.icns")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
