"""Render the application icon (resources/icons/app.svg) to the PNG sizes desktops want.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts and image plugins need it
    source = HERE.parent / "resources" / "icons" / "app.svg"
    renderer = QSvgRenderer(str(source))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(HERE / "icons" / f"trial-tracker-{size}.png"))
    shutil.copy(source, HERE / "icons" / "trial-tracker.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
