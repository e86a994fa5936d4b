"""The main window's saved layout (window.ini): geometry, splitter and whether the detail pane
is shown; a value edited by hand or written by another program is ignored, not trusted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from tracker.ui.main_window import MainWindow


def saved_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """A saved geometry or splitter state; None when missing or not bytes (a window.ini
    edited by hand, or from another program): the defaults are used instead."""
    value = settings.value(key)
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    return value if isinstance(value, QByteArray) else None


def restore_panes(window: MainWindow) -> None:
    """The splitter and the detail pane as they were left (the geometry came first)."""
    if window.settings is None:
        return
    splitter = saved_bytes(window.settings, "splitter")
    if splitter is not None:
        window.splitter.restoreState(splitter)
    if str(window.settings.value("detail_shown", True)).lower() == "false":
        window.detail_action.setChecked(False)
        window.detail.hide()


def save_layout(window: MainWindow, built: bool) -> None:
    """Geometry always; the panes only when they were built."""
    if window.settings is None:
        return
    window.settings.setValue("geometry", window.saveGeometry())
    if built:
        window.settings.setValue("splitter", window.splitter.saveState())
        window.settings.setValue("detail_shown", window.detail_action.isChecked())
    window.settings.sync()
