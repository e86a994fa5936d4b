"""A failed action the user asked for: the message in full, what was and was not changed,
and the technical part behind a Details button."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_failure(parent: QWidget, title: str, message: str, outcome: str,
                 details: str = "") -> QMessageBox:
    """Open (not exec) a warning box and return it; it is window-modal and deletes itself."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("failureDialog")
    box.setInformativeText(outcome)
    if details:
        box.setDetailedText(details)
    box.setAccessibleName(title)
    box.setAccessibleDescription(f"{message} {outcome}")
    box.open()
    return box
