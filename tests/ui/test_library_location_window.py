"""The window's start on a data folder that cannot hold the library: the line the terminal
prints, in the dialog that stops the start (a start from the desktop icon has no terminal)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question


def _start_refused(data_dir) -> tuple[int, list[str]]:
    from tracker.ui.app import run_app

    seen: list[str] = []
    answer_next_question(QMessageBox.StandardButton.Ok, seen)
    QTimer.singleShot(15_000, QApplication.instance().quit)  # a safety net, not the path
    return run_app(data_dir=str(data_dir), api_url="http://127.0.0.1:9/api/v2"), seen


def test_a_data_folder_that_loops_stops_the_start_with_the_line_in_a_dialog(qtbot, tmp_path):
    from tracker.ui.app import STARTUP_FAILED

    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    code, seen = _start_refused(tmp_path / "loop1")
    assert code == STARTUP_FAILED
    assert seen and "is a symbolic link that loops back on itself" in seen[0]
