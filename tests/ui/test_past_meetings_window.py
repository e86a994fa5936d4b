"""A watch list's dialog shows its past meetings and forgets one that did not take place, as
`tracker watchlist rename NAME --forget-meeting DATE` does."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question
from tracker.domain import users_today
from tracker.ui.dialogs.watchlist_dialogs import ListDetailsDialog

LIST = "AML club"


def _list_that_met(qtbot, window, days: list[dt.date]) -> None:
    """A list that met on each of `days` (oldest first) and meets next in three weeks, as
    the window knows it."""
    from tests.ui.conftest import new_watchlist_item

    new_watchlist_item(qtbot, window, LIST)
    lists = window.context.library.watchlists
    for day in [*days, users_today() + dt.timedelta(days=21)]:
        lists.update(LIST, meeting_date=day)
    window.controller.refresh_facets()
    qtbot.waitUntil(lambda: any(w.name == LIST and len(w.past_meetings) == len(days)
                                for w in window.watchlists()), timeout=5_000)


def _rows(dialog: ListDetailsDialog) -> list[str]:
    shown = dialog.past_meetings.meetings
    return [shown.item(row).text() for row in range(shown.count())]


def _in_the_dialog(steps: list, seen: dict) -> None:
    """Run each step on the list's dialog once it is open and the step before is done (a
    step returns False to be asked again); then close the dialog. A failing step, or one
    still waiting after 10 s, closes it too, so the test fails instead of waiting forever."""
    started = time.monotonic()

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ListDetailsDialog):
            QTimer.singleShot(20, poll)
            return
        try:
            while steps and steps[0](dialog, seen) is not False:
                steps.pop(0)
        except Exception:
            dialog.reject()
            raise
        if steps and time.monotonic() - started < 10:
            QTimer.singleShot(20, poll)
        else:
            dialog.reject()

    QTimer.singleShot(20, poll)


def _forget_first(answer: QMessageBox.StandardButton):
    def step(dialog: ListDetailsDialog, seen: dict) -> None:
        seen.setdefault("rows", []).append(_rows(dialog))
        answer_next_question(answer, seen.setdefault("asked", []))
        dialog.past_meetings.meetings.setCurrentRow(0)
        dialog.past_meetings.forget_button.click()  # returns once the question is answered
    return step


def _until_rows(count: int):
    def step(dialog: ListDetailsDialog, seen: dict) -> bool:
        if len(_rows(dialog)) != count:
            return False
        seen.setdefault("rows", []).append(_rows(dialog))
        return True
    return step


def test_a_past_meeting_is_forgotten_from_the_lists_dialog_after_asking(qtbot, window):
    today = users_today()
    held, cancelled = today - dt.timedelta(days=40), today - dt.timedelta(days=10)
    _list_that_met(qtbot, window, [held, cancelled])
    seen: dict = {}
    _in_the_dialog([_forget_first(QMessageBox.StandardButton.No),
                    _forget_first(QMessageBox.StandardButton.Yes), _until_rows(1)], seen)
    window.list_actions.edit_list(LIST)
    counts_from = "changes count from this one"
    assert seen["rows"] == [[f"{cancelled} — {counts_from}", f"{held}"]] * 2 + [
        [f"{held} — {counts_from}"]]
    question = (f"Forget the meeting of {cancelled}? Do this for a meeting that did not take "
                f"place; it is forgotten at once. Handouts of “{LIST}” will then report "
                f"changes since the list's previous meeting ({held}).")
    assert seen["asked"] == [question, question]
    assert window.context.library.watchlists.past_meetings(LIST) == [held]
    qtbot.waitUntil(lambda: [w.past_meetings for w in window.watchlists()
                             if w.name == LIST] == [(held,)], timeout=5_000)


def test_a_meeting_forgotten_elsewhere_meanwhile_is_said_in_the_dialog(qtbot, window):
    """The dialog shows the meetings as the window last read them; one forgotten meanwhile
    (by `tracker watchlist rename --forget-meeting` in a terminal) is refused, in the
    dialog, where the user is looking."""
    today = users_today()
    held, cancelled = today - dt.timedelta(days=40), today - dt.timedelta(days=10)
    _list_that_met(qtbot, window, [held, cancelled])
    window.context.library.watchlists.forget_meeting(LIST, cancelled)  # another program

    def shows_the_refusal(dialog: ListDetailsDialog, seen: dict) -> bool:
        text = dialog.past_meetings.message.text()
        seen["message"] = text
        return not text.startswith("Forgetting")

    seen: dict = {}
    _in_the_dialog([_forget_first(QMessageBox.StandardButton.Yes), shows_the_refusal], seen)
    window.list_actions.edit_list(LIST)
    assert seen["message"] == (f"'{LIST}' has no past meeting on {cancelled} (its past "
                               f"meetings: {held})")


def test_replacing_todays_meeting_date_says_it_is_recorded_as_held(qtbot, window):
    """A meeting date replaced on its day is a held meeting (the organiser sets the next
    date the evening of the meeting); the window says so, and how to undo it."""
    from tests.ui.conftest import new_watchlist_item
    from tracker.domain import users_today as today

    new_watchlist_item(qtbot, window, LIST)
    window.context.library.watchlists.update(LIST, meeting_date=today())
    window.controller.refresh_facets()
    qtbot.waitUntil(lambda: any(w.name == LIST and w.meeting_date == today()
                                for w in window.watchlists()), timeout=5_000)

    def next_month() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ListDetailsDialog):
            QTimer.singleShot(20, next_month)
            return
        dialog.date_edit.setDate(today() + dt.timedelta(days=35))
        dialog.accept()

    QTimer.singleShot(20, next_month)
    window.list_actions.edit_list(LIST)
    qtbot.waitUntil(lambda: "recorded as held" in window.job_bar.label.text(), timeout=5_000)
    assert window.job_bar.label.text().endswith(
        f"Today's meeting ({today().isoformat()}) is recorded as held: the next handout "
        f"counts changes from it. If it did not take place, use Forget… in the dialog of "
        f"“{LIST}”.")
    assert window.context.library.watchlists.past_meetings(LIST) == [today()]
