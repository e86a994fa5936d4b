"""A stopped Add keeps the typed ids; a status-bar warning does not stay forever."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import tracker.ui.job_bar as job_bar


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
