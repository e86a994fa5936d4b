"""Helpers for window tests: answer a modal question box the code under test opens."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


def answer_next_question(button: QMessageBox.StandardButton, seen: list | None = None) -> None:
    """When a modal QMessageBox appears, remember its text and press `button` on it."""
    def poll() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            if seen is not None:
                seen.append(box.text())
            box.button(button).click()
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
