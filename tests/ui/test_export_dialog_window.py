"""The export dialog says, before exporting, from when the handout reports changes: the
date ticked, else the rule the handout follows (the list's previous meeting, dated)."""

from __future__ import annotations

import datetime as dt

from tracker.domain import WatchList, users_today
from tracker.ui.dialogs.watchlist_dialogs import ExportDialog

TODAY = users_today()


def test_the_dialog_names_the_previous_meeting_the_handout_will_use(qtbot, tmp_path):
    met = WatchList(name="AML", meeting_date=TODAY + dt.timedelta(days=14),
                    previous_meeting=TODAY - dt.timedelta(days=14), trial_ids=("NCT02993523",))
    new = WatchList(name="CLL")
    dialog = ExportDialog([met, new], "AML", folder=tmp_path)
    qtbot.addWidget(dialog)
    assert [dialog.list_box.itemText(i) for i in range(2)] == ["AML (1 trial)", "CLL (0 trials)"]
    before = (TODAY - dt.timedelta(days=14)).isoformat()
    assert dialog.since is None, "unticked: the handout decides"
    assert dialog.since_hint.text() == (
        f"The handout reports changes since the list's previous meeting ({before}).")
    assert dialog.since_edit.date().toString("yyyy-MM-dd") == before, "ticking starts there"

    dialog.since_box.setChecked(True)
    assert dialog.since_hint.text() == "The handout reports changes since the date chosen."
    assert dialog.since.isoformat() == before

    dialog.since_box.setChecked(False)
    dialog.list_box.setCurrentIndex(dialog.list_box.findData("CLL"))
    assert dialog.since_hint.text() == (
        "The handout reports changes since the list's last export before today, or over the "
        "last 30 days if it has none.")


def _hint_fits(dialog) -> bool:
    label = dialog.since_hint
    needed = label.heightForWidth(label.width())
    return label.height() >= needed and label.geometry().bottom() < dialog.height()


def test_the_hint_shows_whole_at_the_default_size_and_when_resized(qtbot, tmp_path):
    """The two-line hint was squeezed into one line's height (cut at top and bottom)."""
    new = WatchList(name="CLL with a long enough name to matter")
    dialog = ExportDialog([new], new.name, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.since_hint.heightForWidth(dialog.since_hint.width()) > \
        dialog.since_hint.fontMetrics().height() * 1.5, "the hint wraps onto two lines"
    assert _hint_fits(dialog)
    for width, height in ((420, 150), (900, 150), (560, 600)):
        dialog.resize(width, height)
        qtbot.wait(20)
        assert _hint_fits(dialog), (width, height, dialog.size())
        rows = [dialog.notes_box, dialog.since_box]
        assert all(not w.geometry().intersects(dialog.since_hint.geometry()) for w in rows)


def test_notes_stay_out_unless_asked_and_a_later_date_cannot_be_chosen(qtbot, tmp_path):
    """Notes may name patients: the box starts unticked and says who reads them. A "since"
    date after today would report nothing for any trial: the date box stops at today."""
    dialog = ExportDialog([WatchList(name="AML")], "AML", folder=tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.notes_box.isChecked()
    assert dialog.notes_box.text() == "Include my notes (everyone who gets the file reads them)"
    dialog.since_box.setChecked(True)
    later = TODAY + dt.timedelta(days=365)
    from PySide6.QtCore import QDate

    dialog.since_edit.setDate(QDate(later.year, later.month, later.day))
    assert dialog.since == TODAY
    dialog.since_edit.setDate(QDate(1999, 12, 31))  # a mistyped year, as the CLI refuses
    assert dialog.since == dt.date(2000, 1, 1)


def test_the_windows_changed_since_date_stays_between_2000_and_today(qtbot):
    from tracker.ui.changed_since import ChangedSinceBox

    box = ChangedSinceBox()
    qtbot.addWidget(box)
    box.choose("date", TODAY + dt.timedelta(days=400))
    assert box.value() == TODAY.isoformat()
    box.choose("date", dt.date(1990, 5, 1))
    assert box.value() == "2000-01-01"
