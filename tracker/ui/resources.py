"""Icons and the style sheet from `resources/` (found the same way in the PyInstaller build)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from tracker.bundled import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def style_sheet() -> str:
    path = resources_dir() / "styles" / "app.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""
