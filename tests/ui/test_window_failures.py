"""Failures of actions the user asked for get a dialog; a library that cannot be opened
ends the process with a non-zero status."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question


def test_failed_import_shows_the_whole_message_what_changed_and_details(qtbot, window,
                                                                        tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "trial-tracker-watchlist", "version": 1, "watchlist": ',
                      encoding="utf-8")
    before = window.context.library.trials.count()
    window.list_actions.import_file(broken)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=5_000)
    box = window.failure_box
    assert box.isVisible() and box.windowTitle() == "Import failed"
    assert "broken.json is not valid JSON" in box.text()
    assert "Nothing was imported" in box.informativeText()
    assert "Traceback" in box.detailedText() and "ImportFileError" in box.detailedText()
    assert window.context.library.trials.count() == before
    assert "broken.json" in window.job_bar.label.text()  # and the status bar line
    box.close()


def test_a_library_that_cannot_be_opened_exits_non_zero(qtbot, tmp_path):
    from tracker.ui.app import STARTUP_FAILED, run_app

    not_a_folder = tmp_path / "library-is-a-file"
    not_a_folder.write_text("not a folder", encoding="utf-8")
    seen: list[str] = []
    answer_next_question(QMessageBox.StandardButton.Ok, seen)
    QTimer.singleShot(15_000, QApplication.instance().quit)  # a safety net, not the path
    code = run_app(data_dir=str(not_a_folder), api_url="http://127.0.0.1:9/api/v2")
    assert code == STARTUP_FAILED != 0
    assert seen and "cannot open its library" in seen[0]
