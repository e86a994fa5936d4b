"""The main window's saved layout (window.ini): geometry, splitter and whether the detail pane
is shown; a value edited by hand or written by another program is ignored, not trusted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from tracker.ui.main_window import MainWindow


#: The first-start size on a desktop monitor; a smaller screen gets most of its free area.
PREFERRED_SIZE = (1400, 860)


def default_size() -> tuple[int, int]:
    """PREFERRED_SIZE, or 95 % x 92 % of the primary screen's free area where that is smaller
    (a 1366x768 laptop): a first start never opens a window larger than the screen."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return PREFERRED_SIZE
    free = screen.availableGeometry()
    return fitted_size(free.width(), free.height())


def fitted_size(free_width: int, free_height: int) -> tuple[int, int]:
    """PREFERRED_SIZE within a screen area of `free_width` x `free_height` pixels."""
    return (min(PREFERRED_SIZE[0], int(free_width * 0.95)),
            min(PREFERRED_SIZE[1], int(free_height * 0.92)))


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
