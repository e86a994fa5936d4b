"""Dialogs for watch lists: name/description/meeting date, and exporting a list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from tracker.domain import WatchList, users_today
from tracker.domain.file_names import file_stem
from tracker.domain.limits import SINCE_YEAR_MIN
from tracker.domain.watchlist_names import watchlist_name_problem
from tracker.domain.words import plural
from tracker.ui.dialogs.past_meetings import PastMeetingsBox

EXPORT_FORMATS = {"pdf": "PDF handout", "html": "HTML handout", "md": "Markdown handout",
                  "xlsx": "Spreadsheet (Excel, LibreOffice)", "csv": "CSV table",
                  "json": "JSON (colleagues can import it)", "ris": "RIS citations",
                  "ics": "Calendar: the meeting and completion dates"}


def _date_row(checked_label: str, value: dt.date | None) -> tuple[QCheckBox, QDateEdit]:
    box = QCheckBox(checked_label)
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    box.setChecked(value is not None)
    edit.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())
    edit.setEnabled(value is not None)
    box.toggled.connect(edit.setEnabled)
    return box, edit


def _date_value(box: QCheckBox, edit: QDateEdit) -> dt.date | None:
    if not box.isChecked():
        return None
    date = edit.date()
    return dt.date(date.year(), date.month(), date.day())


def as_sentence(problem: str) -> str:
    """A message of the domain or store ("a watch list named …") as a sentence for a dialog."""
    problem = problem.strip().rstrip(".")
    return problem[:1].upper() + problem[1:] + "."


class ListDetailsDialog(QDialog):
    """Create a list, or rename it and edit its description and meeting date (and forget a
    past meeting that did not take place). The name is checked before the dialog closes, on
    `lists` (the lists the window has read: no database read on the GUI thread), so what was
    typed is never thrown away by a refusal after it closed."""

    def __init__(self, current: WatchList | None = None, parent: QWidget | None = None,
                 lists: Iterable[WatchList] = ()) -> None:
        super().__init__(parent)
        self._current_id = current.id if current else None
        self._lists = list(lists)
        self.setWindowTitle("Edit watch list" if current else "New watch list")
        self.name_edit = QLineEdit(current.name if current else "")
        self.name_edit.setPlaceholderText("e.g. CLL – December")
        self.description_edit = QPlainTextEdit(current.description if current else "")
        self.description_edit.setMaximumHeight(80)
        self.date_box, self.date_edit = _date_row(
            "Meeting on", current.meeting_date if current else None)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_box)
        date_row.addWidget(self.date_edit, 1)
        form = QFormLayout(self)
        form.addRow("Name", self.name_edit)
        form.addRow("Description", self.description_edit)
        form.addRow("Meeting date", date_row)
        #: None for a new list (it has met on no day yet)
        self.past_meetings = PastMeetingsBox(current, self) if current else None
        if self.past_meetings is not None:
            form.addRow("Past meetings", self.past_meetings)
        form.addRow(self.error)
        form.addRow(buttons)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        self.name_edit.textEdited.connect(self.error.clear)  # said of the name as it was

    @property
    def values(self) -> tuple[str, str, dt.date | None]:
        return (self.name_edit.text().strip(), self.description_edit.toPlainText().strip(),
                _date_value(self.date_box, self.date_edit))

    def restore(self, values: tuple[str, str, dt.date | None], problem: str) -> None:
        """Show what was typed before and why it was not saved (the store refused it after
        the dialog closed: another program took the name meanwhile)."""
        name, description, date = values
        self.name_edit.setText(name)
        self.description_edit.setPlainText(description)
        self.date_box.setChecked(date is not None)
        if date is not None:
            self.date_edit.setDate(QDate(date.year, date.month, date.day))
        self.error.setText(as_sentence(problem))

    def _on_accepted(self) -> None:
        name = self.values[0]
        if not name:
            self.error.setText("A watch list needs a name.")
            return
        problem = watchlist_name_problem(name, self._lists, renaming=self._current_id)
        if problem:
            self.error.setText(as_sentence(problem))
            return
        self.accept()


class ExportDialog(QDialog):
    """Pick a list, a format, a file, and what the handout covers."""

    def __init__(self, lists: list[WatchList], chosen: str | None,
                 parent: QWidget | None = None, folder: Path | None = None) -> None:
        """`folder`: where the last export went (the home folder when none or gone)."""
        super().__init__(parent)
        self.setWindowTitle("Export watch list")
        self.folder = folder if folder is not None and folder.is_dir() else Path.home()
        self.resize(560, 220)
        self.list_box = QComboBox()
        for wl in lists:
            self.list_box.addItem(f"{wl.name} ({plural(len(wl.trial_ids), 'trial')})", wl.name)
        if chosen:
            self.list_box.setCurrentIndex(max(0, self.list_box.findData(chosen)))
        self.format_box = QComboBox()
        for fmt, label in EXPORT_FORMATS.items():
            self.format_box.addItem(label, fmt)
        self.path_edit = QLineEdit()
        browse = QPushButton("Choose…")
        self._lists = {wl.name: wl for wl in lists}
        self.since_box, self.since_edit = _date_row("Changes since", None)
        self.since_hint = QLabel("")
        self.since_hint.setWordWrap(True)
        self.since_hint.setStyleSheet("color: gray;")
        self.notes_box = QCheckBox("Include my notes (everyone who gets the file reads them)")
        self.notes_box.setChecked(False)  # notes may name patients: they leave only when asked
        # the CLI's rule (domain.limits.since_date_problem): a later date reports nothing
        self.since_edit.setDateRange(QDate(SINCE_YEAR_MIN, 1, 1), QDate.currentDate())
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_box)
        since_row.addWidget(self.since_edit, 1)
        form = QFormLayout(self)
        form.addRow("Watch list", self.list_box)
        form.addRow("Format", self.format_box)
        form.addRow("File", path_row)
        form.addRow("Report", since_row)
        form.addRow("", self.since_hint)
        form.addRow("", self.notes_box)
        form.addRow(self.error)
        form.addRow(buttons)
        browse.clicked.connect(self._on_browse_clicked)
        self.format_box.currentIndexChanged.connect(self._suggest_path)
        self.list_box.currentIndexChanged.connect(self._suggest_path)
        self.list_box.currentIndexChanged.connect(self._show_window)
        self.since_box.toggled.connect(self._show_window)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        self._suggest_path()
        self._show_window()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """A wrapped label needs more height as the dialog narrows, which a window's
        minimum size does not follow by itself (the hint was squeezed into one line's
        height, cut at top and bottom): the dialog may not be lower than its rows need
        at its width."""
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    @property
    def fmt(self) -> str:
        return self.format_box.currentData()

    @property
    def list_name(self) -> str:
        return self.list_box.currentData()

    @property
    def since(self) -> dt.date | None:
        return _date_value(self.since_box, self.since_edit)

    @property
    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _suggest_path(self, *_args) -> None:
        name = file_stem(self.list_name or "")  # "AML – December": readable, valid everywhere
        folder = self.path.parent if self.path_edit.text().strip() else self.folder
        self.path_edit.setText(str(folder / f"{name}.{self.fmt}"))

    def _show_window(self, *_args) -> None:
        """Say what the handout's changes will start from: the date ticked, or what the
        handout takes without one (the list's previous meeting, shown in the date box too,
        so ticking starts from it)."""
        from tracker.services.exports.handout import default_window_words

        watchlist = self._lists.get(self.list_name)
        if self.since_box.isChecked() or watchlist is None:
            self.since_hint.setText("" if watchlist is None else
                                    "The handout reports changes since the date chosen.")
            self._fit_height()
            return
        today = users_today()  # the handout's day: the user's
        self.since_hint.setText(
            f"The handout reports changes {default_window_words(watchlist, today)}.")
        self._fit_height()
        meeting = watchlist.meeting_behind(today)
        if meeting is not None:
            self.since_edit.setDate(QDate(meeting.year, meeting.month, meeting.day))

    def _on_browse_clicked(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export to", str(self.path))
        if chosen:
            self.path_edit.setText(chosen)

    def _on_accepted(self) -> None:
        if not self.list_name:
            self.error.setText("Create a watch list first (right-click “Watch lists”).")
            return
        if not self.path_edit.text().strip():
            self.error.setText("Choose a file to export to.")
            return
        self.accept()
