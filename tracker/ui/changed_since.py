"""The "changed since …" filter: any time, the last sync, a date, or the list's meeting date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QWidget

_CHOICES = (
    ("Changed: any time", None),
    ("Changed since last sync", "last-sync"),
    ("Changed since the list's meeting", "meeting"),
    ("Changed since a date…", "date"),
)


class ChangedSinceBox(QWidget):
    """A combo box, with a date field while "since a date" is chosen. `value()` is what
    `TrialQuery.changed_since` takes: None, "last-sync", "meeting" or an ISO date."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Changed since")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        for label, key in _CHOICES:
            self.combo.addItem(label, key)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate.currentDate().addDays(-30))
        self.date_edit.setAccessibleName("Changed since date")
        self.date_edit.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.date_edit)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.date_edit.dateChanged.connect(self.changed)

    def set_meeting(self, list_name: str | None, meeting: dt.date | None) -> None:
        """Name the shown list's meeting in the choice; without one the choice is disabled
        (it would match nothing) and, if chosen, falls back to "any time"."""
        index = self.combo.findData("meeting")
        item = self.combo.model().item(index)
        if list_name and meeting:
            item.setText(f"Changed since the {list_name} meeting ({meeting.isoformat()})")
            item.setEnabled(True)
            return
        item.setText("Changed since the list's meeting (show a list with a meeting date)")
        item.setEnabled(False)
        if self.combo.currentIndex() == index:
            self.combo.setCurrentIndex(0)

    def _on_combo_changed(self, _index: int) -> None:
        self.date_edit.setVisible(self.combo.currentData() == "date")
        self.changed.emit()

    def choose(self, key: str | None, date: dt.date | None = None) -> None:
        if date is not None:
            self.date_edit.setDate(QDate(date.year, date.month, date.day))
        self.combo.setCurrentIndex(self.combo.findData(key))

    def value(self) -> str | None:
        key = self.combo.currentData()
        if key == "date":
            return self.date_edit.date().toString("yyyy-MM-dd")
        return key
