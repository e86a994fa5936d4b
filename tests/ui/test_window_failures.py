"""Failures of actions the user asked for get a dialog; a library that cannot be opened
ends the process with a non-zero status."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question
from tracker.services import watchlists as lists


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


def test_failed_export_says_no_file_was_written(qtbot, window, tmp_path):
    target = tmp_path / "a-file" / "handout.csv"
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")  # parent is a file
    window.controller.change_lists(lists.create_list, "Club")
    qtbot.waitUntil(lambda: bool(window.watchlists()), timeout=5_000)
    window.controller.export("Club", "csv", target)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=5_000)
    box = window.failure_box
    assert box.windowTitle() == "Export failed" and "No file was written" in box.informativeText()
    assert box.detailedText()
    box.close()


def test_a_sync_on_start_that_fails_is_not_a_dialog(qtbot, window):
    window.controller.sync(None, asked=False)
    qtbot.waitUntil(lambda: window.controller.job is None, timeout=20_000)
    qtbot.waitUntil(lambda: "stopped" in window.job_bar.label.text(), timeout=5_000)
    assert getattr(window, "failure_box", None) is None  # the status bar says it


def test_a_dead_port_sync_says_host_what_failed_and_what_to_do(qtbot, window):
    window.controller.sync(None)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    box = window.failure_box
    shown = box.text() + " " + box.informativeText()
    assert "127.0.0.1:9" in shown and "could not be reached" in shown
    assert "GET" not in shown and "fields" not in shown and "ids)" not in shown
    assert "Check the network connection" in box.informativeText()
    assert "GET http://127.0.0.1:9" in box.detailedText()  # for support, behind Details
    label = window.job_bar.label
    assert label.text().startswith("⚠ Sync stopped: the registry at 127.0.0.1:9")
    assert "GET" not in label.text()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()  # not cut off
    box.done(0)
