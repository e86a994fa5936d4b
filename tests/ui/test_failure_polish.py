"""A stopped Add keeps the typed ids; a status-bar warning does not stay forever."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tracker.ui import job_bar


def test_a_stopped_add_reopens_the_dialog_with_the_ids_it_did_not_add(qtbot, window):
    seen = {}

    def answer_add_dialog():  # polled from a timer: the dialog runs its own event loop
        from tracker.ui.dialogs.add_trial import AddTrialDialog

        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, AddTrialDialog):
            seen["typed"] = dialog.ids_edit.toPlainText()
            dialog.reject()
        else:
            QTimer.singleShot(20, answer_add_dialog)

    window.controller.add_trials(["NCT09999999"])  # the registry is dead (127.0.0.1:9)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    box = window.failure_box
    assert box.windowTitle() == "Adding trials stopped"
    assert "never touched by a sync" not in box.informativeText()
    assert "Adding changed nothing" in box.informativeText()
    QTimer.singleShot(20, answer_add_dialog)
    box.done(0)
    qtbot.waitUntil(lambda: "typed" in seen, timeout=5_000)
    assert seen["typed"] == "NCT09999999"


def test_a_status_bar_warning_clears_itself(qtbot, window, monkeypatch):
    monkeypatch.setattr(job_bar, "ERROR_SHOWN_MS", 50)
    window.job_bar.show_error("Select the trials to remove first.")
    assert window.job_bar.label.text().startswith("⚠")
    qtbot.waitUntil(lambda: window.job_bar.label.text() == "Ready", timeout=3_000)


def test_an_empty_watch_list_says_how_to_fill_it_and_the_detail_does_not_blame_a_search(
        qtbot, window):
    from tests.ui.conftest import new_watchlist_item, select_trial, wait_hidden_reason

    select_trial(qtbot, window, "NCT02993523")
    item = new_watchlist_item(qtbot, window, "Tumor board")
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    text = window.empty_state.label.text()
    assert "“Tumor board” is empty — drag cards onto it or right-click a trial" in text
    assert "No trials match" not in text
    # what hides the trial is asked of the library on the database thread: said once known
    wait_hidden_reason(qtbot, window)
    detail = window.detail.browser.toPlainText()
    assert "not in this watch list or filter (the watch list “Tumor board”)" in detail
    assert "search" not in detail


def test_a_never_synced_trial_says_so_once_in_one_wording(qtbot, window):
    from tests.ui.conftest import select_trial

    select_trial(qtbot, window, "NCT02993523")
    text = window.detail.browser.toPlainText()
    assert text.lower().count("not synced yet") == 1, text
    assert "never synced" not in text.lower()
    card = window.model.card("NCT02993523")
    from tracker.ui.formatting import status_label

    assert status_label(card.status, card.registry_state) == "Not synced yet"


def test_add_dialog_lists_a_present_id_neutrally_and_previews_the_new_one(qtbot, window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    dialog = AddTrialDialog(window.context, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.ids_edit.setPlainText("NCT02993523 NCT09999999")
    qtbot.waitUntil(lambda: "Already in the library" in dialog.message.text(), timeout=5_000)
    assert "c62828" not in dialog.message.styleSheet()  # information, not alarm red
    dialog.ids_edit.setPlainText("NCT02993523")
    qtbot.waitUntil(lambda: "Nothing new to add" in dialog.message.text(), timeout=5_000)
    assert "c62828" not in dialog.message.styleSheet()
    dialog.ids_edit.setPlainText("NCT02993523 NCT09999999")
    qtbot.waitUntil(lambda: "Preview looks up the other one" in dialog.message.text(),
                    timeout=5_000)
    said = []
    say = dialog._say
    dialog._say = lambda text, error=False: (said.append(text), say(text, error))
    dialog._on_preview_clicked()
    qtbot.waitUntil(lambda: "Looking up NCT09999999…" in said, timeout=5_000)
    assert not [text for text in said if "NCT02993523" in text]  # the new id, not the known
    qtbot.waitUntil(lambda: "could not be reached" in dialog.message.text(), timeout=20_000)
    assert "http" not in dialog.message.text() and "NCT09999999" in dialog.message.toolTip()


def test_sync_progress_says_n_of_n_trials_in_words_beside_the_bar(qtbot, window):
    bar = window.job_bar
    bar.start("Syncing with ClinicalTrials.gov", None)
    bar.progress(12, 88)
    assert bar.label.text() == "Syncing with ClinicalTrials.gov… 12 of 88 trials"
    assert not bar.progress_bar.isTextVisible()  # no text half over the fill
    assert (bar.progress_bar.value(), bar.progress_bar.maximum()) == (12, 88)
    bar.progress(1, 1)
    assert bar.label.text().endswith("1 of 1 trial")
    bar.cancel_button.click()
    bar.progress(2, 88)
    assert bar.label.text() == "Cancelling…"
    bar.start("Checking saved searches", None, ("saved search", "saved searches"))
    bar.progress(0, 3)
    assert bar.label.text() == "Checking saved searches… 0 of 3 saved searches"
