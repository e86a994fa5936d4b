"""The "changed since …" filter: any time, the last sync, a date, or the list's meeting date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QWidget

from tracker.domain.limits import SINCE_YEAR_MIN
from tracker.ui.fit_combo import SHORT_ROLE, FitComboBox

_CHOICES = (
    ("Changed: any time", None),
    ("Changed since last sync", "last-sync"),
    ("Changed since the list's meeting", "meeting"),
    ("Changed since a date…", "date"),
)
_SHORT = {"date": "Changed since"}  # the date field beside it says which


class ChangedSinceBox(QWidget):
    """A combo box, with a date field while "since a date" is chosen. `value()` is what
    `TrialQuery.changed_since` takes: None, "last-sync", "meeting" or an ISO date."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = FitComboBox()
        self.combo.setAccessibleName("Changed since")
        for label, key in _CHOICES:
            self.combo.addItem(label, key)
            if key in _SHORT:
                self.combo.setItemData(self.combo.count() - 1, _SHORT[key], SHORT_ROLE)
        self._meeting: tuple[str, dt.date] | None = None
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate.currentDate().addDays(-30))
        # the CLI's rule (domain.limits.since_date_problem): not after today, not before 2000
        self.date_edit.setDateRange(QDate(SINCE_YEAR_MIN, 1, 1), QDate.currentDate())
        self.date_edit.setAccessibleName("Changed since date")
        self.date_edit.setVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.date_edit)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.date_edit.dateChanged.connect(self.changed)

    def set_meeting(self, list_name: str | None, meeting: dt.date | None,
                    previous: bool = False, upcoming: dt.date | None = None) -> None:
        """Name the shown list's meeting in the choice (`WatchList.meeting_behind`: with a
        journal club still ahead, `previous`, the one before it); without one the choice is
        disabled (it would match nothing), says why (no list shown; the list's first
        meeting, `upcoming`, has not passed yet; it has no meeting date) and, if chosen, falls
        back to "any time"."""
        index = self.combo.findData("meeting")
        item = self.combo.model().item(index)
        self._meeting = (list_name, meeting, previous) if list_name and meeting else None
        if list_name and meeting:
            which = "previous meeting" if previous else "meeting"
            item.setText(f"Changed since the {list_name} {which} ({meeting.isoformat()})")
            item.setData(f"Changed since the {which} ({meeting.isoformat()})", SHORT_ROLE)
            item.setEnabled(True)
            return
        item.setText(_why_no_meeting(list_name, upcoming))
        item.setData(None, SHORT_ROLE)
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

    def phrase(self) -> str | None:
        """The chosen filter in words, with its date: "changed since 2026-11-03",
        "changed since the “AML club” meeting (2026-12-03)"; None for any time."""
        key = self.combo.currentData()
        if key == "last-sync":
            return "changed since the last sync"
        if key == "date":
            return f"changed since {self.value()}"
        if key == "meeting" and self._meeting:
            name, meeting, previous = self._meeting
            which = "previous meeting" if previous else "meeting"
            return f"changed since the “{name}” {which} ({meeting.isoformat()})"
        return None


def _why_no_meeting(list_name: str | None, upcoming: dt.date | None) -> str:
    """The disabled meeting choice, with the reason that holds for what is shown."""
    if not list_name:
        return "Changed since the list's meeting (show a watch list first)"
    if upcoming is not None:
        return (f"Changed since the {list_name} meeting (its first meeting, "
                f"{upcoming.isoformat()}, has not passed yet)")
    return f"Changed since the {list_name} meeting (the list has no meeting date)"
