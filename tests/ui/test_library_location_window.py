"""The window's start on a data folder that cannot hold the library, or on an empty library
file: the line the terminal prints, in the dialog that stops the start or in the start-up
notice of a window that opens (a start from the desktop icon has no terminal)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question
from tests.ui.test_startup_settings import start_window_and_read
from tracker.__main__ import main
from tracker.store import LIBRARY_FILE_NAME


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


def test_an_emptied_library_with_a_backup_stops_the_start(qtbot, tmp_path):
    from tracker.ui.app import STARTUP_FAILED

    (tmp_path / LIBRARY_FILE_NAME).touch()
    (tmp_path / "library.schema16.bak.sqlite3").write_bytes(b"SQLite format 3\x00" * 64)
    code, seen = _start_refused(tmp_path)
    assert code == STARTUP_FAILED
    assert seen and "is empty (0 bytes)" in seen[0] and "library.schema16.bak" in seen[0]
    assert (tmp_path / LIBRARY_FILE_NAME).stat().st_size == 0


def test_an_empty_library_started_afresh_is_said_in_the_start_up_notice(qtbot,
                                                                        _isolated_data_dir):
    (_isolated_data_dir / LIBRARY_FILE_NAME).touch()
    seen: dict = {}
    start_window_and_read(seen)
    assert main([]) == 0
    assert seen["visible"] and seen["modal"] is None and seen["cards"] > 0
    assert seen["lines"][0].startswith(f"The library {_isolated_data_dir / LIBRARY_FILE_NAME} "
                                       "was empty (0 bytes)")
    assert "a new library was started" in seen["lines"][0]
