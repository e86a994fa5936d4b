"""Warnings go once the problem is gone: the watch-list dialog's as the name is typed again,
the status bar's when a later change is saved (review s10 §3.5)."""

from __future__ import annotations

import time

from tests.ui.conftest import select_trial
from tracker.ui.dialogs.watchlist_dialogs import ListDetailsDialog
from tracker.ui.job_bar import JobBar

TRIAL = "NCT02993523"


def test_the_missing_name_warning_goes_as_a_name_is_typed(qtbot, window):
    dialog = ListDetailsDialog(parent=window, lists=window.watchlists())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._on_accepted()
    assert dialog.error.text() == "A watch list needs a name."
    qtbot.keyClicks(dialog.name_edit, "C")
    assert dialog.error.text() == ""
    assert dialog.isVisible()


def _type_tags(window, text: str) -> None:
    window.detail.tags_edit.setText(text)
    window.detail.tags_edit.editingFinished.emit()  # Enter, as the user presses it


def test_a_tag_warning_goes_once_corrected_tags_are_saved(qtbot, window):
    select_trial(qtbot, window, TRIAL)
    _type_tags(window, "x" * 312)
    qtbot.waitUntil(lambda: window.job_bar.label.text().startswith("⚠ a tag has 312"),
                    timeout=5_000)
    _type_tags(window, "venetoclax")
    qtbot.waitUntil(lambda: window.job_bar.label.text() == "Ready", timeout=5_000)


def test_a_warning_raised_after_the_change_was_asked_stays(qtbot, window):
    bar: JobBar = window.job_bar
    asked = time.monotonic()
    bar.show_error("a watch list named 'AML' already exists; choose another name")
    bar.change_saved(asked)
    assert bar.label.text().startswith("⚠ a watch list named 'AML'")
    bar.change_saved(time.monotonic())
    assert bar.label.text() == "Ready"
