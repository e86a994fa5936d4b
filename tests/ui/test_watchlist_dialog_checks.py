"""The watch-list dialogs check the name before they close (too long, taken, control
characters), on the lists the window has read; a refusal by the store afterwards (another
program took the name meanwhile) opens the dialog again with everything typed."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.conftest import new_watchlist_item
from tracker.ui.dialogs.watchlist_dialogs import ListDetailsDialog

DESCRIPTION = "My long prep notes for the December club"
MEETING = dt.date(2026, 12, 17)


def _fill(dialog: ListDetailsDialog, name: str) -> None:
    dialog.name_edit.setText(name)
    dialog.description_edit.setPlainText(DESCRIPTION)
    dialog.date_box.setChecked(True)
    dialog.date_edit.setDate(QDate(MEETING.year, MEETING.month, MEETING.day))


def _ok(dialog: ListDetailsDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _drive(steps: list) -> list:
    """Run each step on the next ListDetailsDialog that opens; a step gets the dialog and
    returns what to record. A failing step's dialog, or one still open after
    10 s, is cancelled, so a test fails instead of waiting forever."""
    seen: list = []
    started = time.monotonic()
    handled: set = set()

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ListDetailsDialog) and id(dialog) not in handled:
            handled.add(id(dialog))
            try:
                seen.append(steps.pop(0)(dialog))
            except Exception:
                dialog.reject()
                raise
        if not steps:
            return
        if time.monotonic() - started < 10:
            QTimer.singleShot(20, poll)
        elif isinstance(dialog, ListDetailsDialog):
            dialog.reject()

    QTimer.singleShot(20, poll)
    return seen


def _ok_then_look(name: str):
    def step(dialog: ListDetailsDialog):
        _fill(dialog, name)
        _ok(dialog)
        shown = (dialog.isVisible(), dialog.error.text(), dialog.values)
        dialog.reject()
        return shown
    return step


def test_a_name_too_long_keeps_the_new_dialog_open_with_what_was_typed(qtbot, window):
    seen = _drive([_ok_then_look("A" * 314)])
    window.list_actions.new_list()
    said = "A watch list name has 314 characters; it may have at most 120 characters."
    assert seen == [(True, said, ("A" * 314, DESCRIPTION, MEETING))]
    assert window.context.library.watchlists.all() == []


def test_a_taken_name_in_another_case_keeps_the_new_dialog_open(qtbot, window):
    new_watchlist_item(qtbot, window, "AML – December")
    seen = _drive([_ok_then_look("aml  –  DECEMBER")])
    window.list_actions.new_list()
    said = "A watch list named 'AML – December' already exists; choose another name."
    assert seen == [(True, said, ("aml  –  DECEMBER", DESCRIPTION, MEETING))]
    assert len(window.context.library.watchlists.all()) == 1


def test_a_control_character_keeps_the_edit_dialog_open(qtbot, window):
    new_watchlist_item(qtbot, window, "CLL")
    seen = _drive([_ok_then_look("CLL\x07club")])
    window.list_actions.edit_list("CLL")
    assert seen[0][0] is True
    assert seen[0][1].startswith("A watch list name cannot contain control or invisible "
                                 "characters (found U+0007)")
    assert window.context.library.watchlists.get("CLL").description == ""


def test_renaming_a_list_to_its_own_name_in_another_case_is_allowed(qtbot, window):
    new_watchlist_item(qtbot, window, "Heme JC")

    def rename(dialog: ListDetailsDialog):
        _fill(dialog, "heme jc")
        _ok(dialog)
        return dialog.isVisible()

    seen = _drive([rename])
    window.list_actions.edit_list("Heme JC")
    assert seen == [False]
    qtbot.waitUntil(lambda: [w.name for w in window.watchlists()] == ["heme jc"],
                    timeout=5_000)


def test_a_name_taken_meanwhile_elsewhere_opens_the_dialog_again_with_what_was_typed(
        qtbot, window):
    """The window's lists do not know the one another program made just now: the dialog
    closes, the store refuses, and the dialog opens again with the typed values and why."""
    new_watchlist_item(qtbot, window, "Other")
    window.context.library.watchlists.create("Myeloma club")  # another program

    def accept(dialog: ListDetailsDialog):
        _fill(dialog, "myeloma CLUB")
        _ok(dialog)
        return dialog.isVisible()

    def look(dialog: ListDetailsDialog):
        shown = (dialog.error.text(), dialog.values)
        dialog.reject()
        return shown

    seen = _drive([accept, look])
    window.list_actions.new_list()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    said = "A watch list named 'Myeloma club' already exists; choose another name."
    assert seen == [False, (said, ("myeloma CLUB", DESCRIPTION, MEETING))]
