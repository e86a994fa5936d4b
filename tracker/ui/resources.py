"""Icons and the style sheet from `resources/` (found the same way in the PyInstaller build)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QIcon, QPalette

from tracker.bundled import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def style_sheet() -> str:
    path = resources_dir() / "styles" / "app.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def apply_palette(app, dark: bool) -> None:
    """Fusion with a light or dark palette (screenshots and reviews of both looks)."""
    app.setStyle("Fusion")
    palette = QPalette()
    if dark:
        roles = {"Window": "#2b2d30", "WindowText": "#e6e6e6", "Base": "#1e1f22",
                 "AlternateBase": "#2b2d30", "Text": "#e6e6e6", "Button": "#3c3f41",
                 "ButtonText": "#e6e6e6", "Highlight": "#2f65ca", "HighlightedText": "#ffffff",
                 "ToolTipBase": "#3c3f41", "ToolTipText": "#e6e6e6", "Mid": "#4a4d50",
                 "Link": "#6ea8fe", "PlaceholderText": "#8b8e91"}
        for role, colour in roles.items():
            palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    else:
        palette = app.style().standardPalette()
    app.setPalette(palette)
