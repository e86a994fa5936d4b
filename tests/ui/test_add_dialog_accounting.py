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
