"""A watch list's past meetings in its dialog: which one the handouts count changes from, and
forgetting one that did not take place (as `tracker watchlist rename --forget-meeting`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain import WatchList, users_today

COUNTS_FROM = "changes count from this one"
NONE_YET = ("None yet: a meeting date becomes a past meeting when a new date replaces it "
            "after its day.")


def forget_question(watchlist: WatchList, day: dt.date, today: dt.date) -> str:
    """What the user is asked before `day` is forgotten: what the handouts count from then."""
    from tracker.services.exports.handout import default_window_words

    after = default_window_words(watchlist.without_past_meeting(day, today), today)
    return (f"Forget the meeting of {day.isoformat()}? Do this for a meeting that did not take "
            f"place; it is forgotten at once. Handouts of “{watchlist.name}” will then report "
            f"changes {after}.")


class PastMeetingsBox(QWidget):
    """The list's past meetings, newest first, and a Forget… button that asks first. The
    dialog's owner does the forgetting (off the GUI thread) and shows the list it returns."""

    forget_confirmed = Signal(object)  # the dt.date the user agreed to forget

    def __init__(self, watchlist: WatchList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._watchlist = watchlist
        self.meetings = QListWidget()
        self.meetings.setMaximumHeight(96)
        self.forget_button = QPushButton("Forget…")
        self.forget_button.setToolTip("Forget the selected past meeting: one that did not "
                                      "take place")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self._build_ui()
        self.meetings.currentItemChanged.connect(self._enable_forget)
        self.forget_button.clicked.connect(self._on_forget_clicked)
        self.show_meetings(watchlist)

    def _build_ui(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.meetings, 1)
        row.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def show_meetings(self, watchlist: WatchList) -> None:
        """Show `watchlist`'s past meetings (after a meeting was forgotten, its new state)."""
        self._watchlist = watchlist
        behind = watchlist.meeting_behind(users_today())
        self.meetings.clear()
        for day in watchlist.past_meetings:
            text = day.isoformat() + (f" — {COUNTS_FROM}" if day == behind else "")
            item = QListWidgetItem(text, self.meetings)
            item.setData(Qt.ItemDataRole.UserRole, day)
        self.message.setText("" if watchlist.past_meetings else NONE_YET)
        self.message.setStyleSheet("color: gray;")
        self.meetings.setVisible(bool(watchlist.past_meetings))
        self.forget_button.setVisible(bool(watchlist.past_meetings))
        if watchlist.past_meetings:
            self.meetings.setCurrentRow(0)
        self._enable_forget()

    def show_failure(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;")
        self._enable_forget()

    def selected_day(self) -> dt.date | None:
        item = self.meetings.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _enable_forget(self, *_args) -> None:
        self.forget_button.setEnabled(self.selected_day() is not None)

    def _on_forget_clicked(self) -> None:
        day = self.selected_day()
        if day is None:
            return
        from tracker.ui.window_commands import ask  # the window's Yes/No, No the default

        if not ask(self, "Forget past meeting",
                   forget_question(self._watchlist, day, users_today())):
            return
        self.forget_button.setEnabled(False)  # until the database thread answers
        self.message.setText(f"Forgetting {day.isoformat()}…")
        self.forget_confirmed.emit(day)
