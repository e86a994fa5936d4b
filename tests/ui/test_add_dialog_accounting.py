"""Add trial names every id entered, in the preview and in the result (loopback registry)."""

from __future__ import annotations

import pytest

from tests.fakes.studies import make_study
from tests.ui.test_sync_window import open_window


@pytest.fixture
def add_window(qtbot, tmp_path, ctgov_server):
    ctgov_server.put_studies([
        make_study("NCT09990001", status="RECRUITING", acronym="SONRO-AZA",
                   conditions=("Acute Myeloid Leukemia",)),
        make_study("NCT02242942", status="ACTIVE_NOT_RECRUITING", acronym="CLL14"),
    ])
    window = open_window(qtbot, tmp_path / "library", ctgov_server)
    yield window
    window.close()
    window.context.close()


def test_preview_and_result_account_for_every_id_by_name(qtbot, add_window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    window = add_window
    dialog = AddTrialDialog(window.context, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ids_edit.setPlainText("nct09990001 nct02242942 nct12345678")
    qtbot.waitUntil(lambda: "Already in the library" in dialog.message.text(), timeout=5_000)
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: "entered" in dialog.message.text(), timeout=10_000)
    assert dialog.message.text() == ("3 ids entered: 1 will be added, 1 already in the "
                                     "library, 1 not found in the registry.")
    preview = dialog.preview.toPlainText()
    assert "NCT09990001 · will be added" in preview and "SONRO-AZA" in preview
    assert "NCT02242942 · already in the library (CLL14)" in preview
    assert "NCT12345678 · not found in the registry" in preview
    dialog.buttons.accepted.emit()
    assert dialog.chosen_ids == ["NCT09990001", "NCT02242942", "NCT12345678"]
    with qtbot.waitSignal(window.controller.job_finished, timeout=20_000) as blocker:
        window.controller.add_trials(dialog.chosen_ids)
    report = blocker.args[0]
    assert window.job_bar.label.text() == (
        "3 ids entered: 1 added (NCT09990001), 1 already in the library (NCT02242942), "
        "1 not found in the registry (NCT12345678)")
    assert report.requested == 3 and report.settled_count() == 3


def test_preview_pressed_at_once_still_knows_what_the_library_holds(qtbot, add_window):
    """Preview pressed before the check-while-typing answered: the id already in the library
    is listed as such, and that late check does not replace the preview's summary."""
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    window = add_window
    dialog = AddTrialDialog(window.context, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ids_edit.setPlainText("NCT02242942 NCT12345678 NCT09990001")
    dialog.preview_button.click()  # at once: the typing check waits 300 ms
    qtbot.waitUntil(lambda: "entered" in dialog.message.text(), timeout=10_000)
    qtbot.wait(600)  # the typing check's timer would have fired and answered by now
    assert dialog.message.text() == ("3 ids entered: 1 will be added, 1 already in the "
                                     "library, 1 not found in the registry.")
    preview = dialog.preview.toPlainText()
    assert "NCT02242942 · already in the library (CLL14)" in preview
    assert "NCT02242942 · will be added" not in preview


def test_the_banner_before_preview_does_not_promise_ids_it_has_not_looked_up(qtbot,
                                                                            add_window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    dialog = AddTrialDialog(add_window.context, add_window.runner, add_window)
    qtbot.addWidget(dialog)
    dialog.ids_edit.setPlainText("NCT02242942 NCT12345678 NCT09990001")
    qtbot.waitUntil(lambda: "Already in the library" in dialog.message.text(), timeout=5_000)
    assert "will be added" not in dialog.message.text()
    assert dialog.message.text() == ("Already in the library: NCT02242942 (CLL14). Preview "
                                     "looks up the other 2 in the registry.")


def test_every_malformed_id_is_named(qtbot, add_window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    dialog = AddTrialDialog(add_window.context, add_window.runner, add_window)
    qtbot.addWidget(dialog)
    dialog.ids_edit.setPlainText("NCT123, NCT09990001; NCT4567 foo")
    dialog.preview_button.click()
    assert dialog.message.text() == ("3 are not NCT ids: NCT123, NCT4567, foo (expected NCT "
                                     "followed by 8 digits)")
    dialog.buttons.accepted.emit()
    assert dialog.chosen_ids == [] and "NCT4567" in dialog.message.text()


def test_an_older_preview_answering_late_is_not_shown(qtbot, add_window, ctgov_server):
    """Preview for one id on a slow registry, then for another: the first answer, arriving
    last, must not replace the preview of the id in the box (Add adds what is in the box)."""
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    ctgov_server.put_studies([make_study("NCT09990001", acronym="FIRST"),
                              make_study("NCT09990002", acronym="SECOND")])
    dialog = AddTrialDialog(add_window.context, add_window.runner, add_window)
    qtbot.addWidget(dialog)
    dialog.show()
    ctgov_server.latency = 1.0
    dialog.ids_edit.setPlainText("NCT09990001")
    dialog.preview_button.click()
    qtbot.wait(200)
    ctgov_server.latency = 0
    dialog.ids_edit.setPlainText("NCT09990002")
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: "SECOND" in dialog.preview.toPlainText(), timeout=5_000)
    qtbot.waitUntil(lambda: not add_window.runner.running, timeout=5_000)  # the slow one too
    assert "FIRST" not in dialog.preview.toPlainText()
    assert dialog.message.text() == "1 id entered: 1 will be added."
