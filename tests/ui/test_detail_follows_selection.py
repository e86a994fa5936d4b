"""The detail pane follows what happens to the trial it shows: removed (here or by another
program) it says so and nothing can be typed for it; hidden by a search or a filter it says
which, shows none of its notes, and the trial is selected again once shown again.

Real widgets on a real library (the seeded one), the search box and tree driven as a user
would."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import select_trial, wait_hidden_reason
from tests.ui.helpers import answer_next_question
from tracker.context import build_context
from tracker.services.recovery import RECOVERY_FILE_NAME
from tracker.services.removal import remove_trials

VIALE_A, CLL14 = "NCT02993523", "NCT02242942"


def _shots() -> Path:
    folder = Path(os.environ.get("TRACKER_TEST_SHOTS", "/tmp/gui-detail-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _text(window) -> str:
    return window.detail.browser.toPlainText()


def _selected(window) -> list[str]:
    return window.selected_ids()


def _cannot_edit(window) -> bool:
    """Nothing can be typed for a trial: the tags field and the notes editor are closed."""
    detail = window.detail
    return not detail.tags_edit.isEnabled() and not detail.notes.isEnabled() \
        and not detail.notes.editor.isEnabled()


def test_removing_the_trial_shown_clears_the_pane_and_keeps_what_was_typed(
        qtbot, window, context):
    context.library.notes.add(CLL14, "CLL14: fixed-duration VenO, check MRD at 12 months")
    window.controller.set_tags(CLL14, ["cll", "first line"])
    select_trial(qtbot, window, CLL14)
    qtbot.waitUntil(lambda: window.detail.tags_edit.text() == "cll, first line", timeout=5_000)
    window.detail.tabs.setCurrentIndex(1)
    editor = window.detail.notes.editor
    qtbot.waitUntil(lambda: "fixed-duration" in editor.toPlainText(), timeout=5_000)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, " -- typed just before removing")  # not saved yet (600 ms pause)

    answer_next_question(QMessageBox.StandardButton.Yes)
    window.remove_trial_action.trigger()  # Ctrl+Delete
    qtbot.waitUntil(lambda: "was removed from the library" in _text(window), timeout=10_000)
    assert "CLL14" in _text(window) and RECOVERY_FILE_NAME in _text(window)
    assert _cannot_edit(window)
    assert editor.toPlainText() == "" and window.detail.tags_edit.text() == ""
    assert window.detail.notes.title_label.text() == "<b>Notes</b>"
    window.grab().save(str(_shots() / "removed_trial.png"))

    qtbot.keyClicks(editor, "typed after")  # a disabled editor takes nothing
    assert editor.toPlainText() == ""
    recovery = (context.data_dir / RECOVERY_FILE_NAME).read_text()
    assert "check MRD at 12 months -- typed just before removing" in recovery
    qtbot.wait(800)  # longer than the save pause: nothing is tried for the removed trial
    assert window.detail.notes.unsaved_trials == []
    assert "not in the library" not in window.job_bar.label.text()


def test_a_trial_removed_by_another_program_is_noticed_at_the_next_reload(
        qtbot, window, context):
    select_trial(qtbot, window, VIALE_A)
    other = build_context(context.data_dir, api_url="http://127.0.0.1:9/api/v2")
    try:
        remove_trials(other.library, [VIALE_A])  # `tracker remove` in a terminal, say
    finally:
        other.close()
    window.controller.reload()
    qtbot.waitUntil(lambda: "was removed from the library" in _text(window), timeout=10_000)
    assert "VIALE-A" in _text(window) and _cannot_edit(window)
    assert window.controller.selected_id is None


def test_a_note_typed_while_another_program_removes_the_trial_reaches_the_recovery_file(
        qtbot, window, context):
    select_trial(qtbot, window, VIALE_A)
    window.detail.tabs.setCurrentIndex(1)
    editor = window.detail.notes.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "part A")
    qtbot.waitUntil(lambda: [n.body for n in context.library.notes.for_trial(VIALE_A)]
                    == ["part A"], timeout=5_000)
    other = build_context(context.data_dir, api_url="http://127.0.0.1:9/api/v2")
    try:
        other.library.trials.delete(VIALE_A)  # another program, without a recovery entry
    finally:
        other.close()
    qtbot.keyClicks(editor, ", part B typed after")
    qtbot.waitUntil(lambda: "was removed from the library" in _text(window), timeout=10_000)
    recovery = (context.data_dir / RECOVERY_FILE_NAME).read_text()
    assert "part A, part B typed after" in recovery
    assert _cannot_edit(window)


def test_a_trial_hidden_by_a_search_is_selected_again_when_the_search_is_cleared(
        qtbot, window):
    select_trial(qtbot, window, VIALE_A)
    window.search_box.setText("cilta")
    wait_hidden_reason(qtbot, window)
    assert "hidden by the current search “cilta”" in _text(window)
    assert "clear the search" in _text(window)
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.detail.trial_id == VIALE_A, timeout=5_000)
    assert _selected(window) == [VIALE_A]
    assert "VIALE-A" in _text(window) and "hidden" not in _text(window)
    assert window.detail.tags_edit.isEnabled() and window.detail.notes.isEnabled()


def test_a_trial_hidden_by_a_tree_filter_names_the_filter_not_a_search(qtbot, window):
    select_trial(qtbot, window, VIALE_A)
    window.tree.itemClicked.emit(window.tree.item_for({"modality": "car-t"}), 0)
    wait_hidden_reason(qtbot, window)
    text = _text(window)
    assert "not in this watch list or filter (CAR-T)" in text and "search" not in text
    window.grab().save(str(_shots() / "hidden_by_filter.png"))
    window.tree.itemClicked.emit(window.tree.item_for({}), 0)  # All trials
    qtbot.waitUntil(lambda: window.detail.trial_id == VIALE_A, timeout=5_000)
    assert _selected(window) == [VIALE_A]


def test_the_reason_follows_the_search_and_filter_while_the_trial_stays_hidden(
        qtbot, window):
    select_trial(qtbot, window, VIALE_A)
    window.search_box.setText("cilta")
    qtbot.waitUntil(lambda: "current search “cilta”" in _text(window), timeout=5_000)
    window.tree.itemClicked.emit(window.tree.item_for({"modality": "car-t"}), 0)
    qtbot.waitUntil(lambda: "(CAR-T)" in _text(window), timeout=5_000)
    assert "current search “cilta”" in _text(window)
    window.search_box.clear()
    qtbot.waitUntil(lambda: "search" not in _text(window)
                    and "not in this watch list or filter (CAR-T)" in _text(window),
                    timeout=5_000)


def test_the_notes_tab_of_a_hidden_trial_shows_no_other_note_and_names_whose_notes(
        qtbot, window, context):
    context.library.notes.add(CLL14, "CLL14 note: MRD-guided stop")
    select_trial(qtbot, window, CLL14)
    notes = window.detail.notes
    window.detail.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "MRD-guided" in notes.editor.toPlainText(), timeout=5_000)
    assert "Notes on CLL14" in notes.title_label.text() and CLL14 in notes.title_label.text()
    window.search_box.setText("cilta")
    wait_hidden_reason(qtbot, window)
    assert notes.editor.toPlainText() == "" and not notes.isEnabled()
    assert "CLL14" not in notes.title_label.text()
    assert CLL14 in notes.editor.placeholderText()  # says whose notes come back, and when
    window.grab().save(str(_shots() / "notes_of_hidden_trial.png"))
    row = window.model.row_of(window.model.visible_ids()[0])
    window.cards.setCurrentIndex(window.model.index(row))
    shown = window.model.visible_ids()[0]
    qtbot.waitUntil(lambda: window.detail.trial_id == shown, timeout=5_000)
    assert shown in notes.title_label.text() and notes.isEnabled()
    assert notes.editor.toPlainText() == ""  # that trial has no note: nothing of CLL14's
    assert window.cards.selectionModel().isSelected(window.model.index(row))


def test_a_hidden_trial_given_a_new_registry_id_by_a_sync_is_not_called_removed(
        qtbot, tmp_path, ctgov_server):
    from tests.fakes.studies import make_study
    from tests.ui.test_sync_window import _sync, open_window

    new_id = "NCT09999999"
    ctgov_server.put_studies([make_study(VIALE_A, acronym="VIALE-A"),
                              make_study(new_id, acronym="VIALE-A")])
    ctgov_server.add_alias(VIALE_A, new_id)
    window = open_window(qtbot, tmp_path / "library", ctgov_server)
    try:
        select_trial(qtbot, window, VIALE_A)
        window.search_box.setText("cilta")
        qtbot.waitUntil(lambda: "hidden by the current search" in _text(window), timeout=5_000)
        report = _sync(qtbot, window, [VIALE_A])
        assert report.rekeyed == [(VIALE_A, new_id)]
        qtbot.waitUntil(lambda: window.controller.index is not None
                        and window.model.card(new_id) is not None, timeout=5_000)
        qtbot.wait(100)
        assert "was removed" not in _text(window)
        window.search_box.clear()
        qtbot.waitUntil(lambda: window.detail.trial_id == new_id, timeout=5_000)
        assert _selected(window) == [new_id]
    finally:
        window.close()
        window.context.close()


def test_each_new_result_follows_the_selection_once(qtbot, window, monkeypatch):
    """A search result resets the list and then reports itself; the pane is told once that
    the selected trial is hidden, and a trial shown again is selected once, not twice."""
    select_trial(qtbot, window, VIALE_A)
    told, selected = [], []
    show_filtered_out = window.detail.show_filtered_out
    monkeypatch.setattr(window.detail, "show_filtered_out",
                        lambda *args, **kwargs: told.append(args) or show_filtered_out(
                            *args, **kwargs))
    window.cards.selectionModel().currentChanged.connect(
        lambda current, _previous: selected.append(current.row()))
    window.search_box.setText("cilta")
    qtbot.waitUntil(lambda: window.detail.trial_id is None, timeout=5_000)
    qtbot.wait(300)  # any second report of the same result has arrived by now
    assert len(told) == 1
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.detail.trial_id == VIALE_A, timeout=5_000)
    qtbot.wait(300)
    assert len([row for row in selected if row >= 0]) == 1


def test_a_trial_leaving_the_results_is_not_shown_while_what_hides_it_is_asked(qtbot,
                                                                                window):
    """The reason is asked of the library on the database thread; meanwhile the pane shows
    nothing of the hidden trial (its details and notes were still on show)."""
    import time

    select_trial(qtbot, window, VIALE_A)
    shown = window.controller.shown_request
    window.controller.set_search("cilta")
    window.runner.database("busy", time.sleep, 0.8)  # the ask waits behind this
    qtbot.waitUntil(lambda: window.controller.shown_request > shown, timeout=5_000)
    qtbot.waitUntil(lambda: window.detail.trial_id is None, timeout=500)
    assert "is not among the results" in _text(window)
    assert "hidden by the current search “cilta”" not in _text(window)  # not known yet
    qtbot.waitUntil(lambda: "hidden by the current search “cilta”" in _text(window),
                    timeout=5_000)
