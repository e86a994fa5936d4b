"""A start from the desktop icon has no terminal: a start-up setting the command line refuses
in one line is said in the window too. An unusable registry URL does not stop the window (the
library is readable offline); a data folder that cannot be used stops it with a dialog."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.helpers import answer_next_question
from tracker.__main__ import main
from tracker.settings import Preferences, save_preferences
from tracker.settings_url import override_problem

SAVED_URL = "http://127.0.0.1:9/api/v2"  # a dead port: nothing here may reach a registry


def start_window_and_read(seen: dict) -> None:
    """Once the started window shows its cards, note what it shows, then close it (which
    ends the app's event loop, and `main` returns)."""
    from tracker.ui.main_window import MainWindow

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        window = windows[0] if windows else None
        if window is None or not hasattr(window, "controller") or (
                window.controller.shown_request == 0):
            QTimer.singleShot(20, poll)
            return
        safety_net.stop()
        notice = window.startup_notice
        seen.update(visible=notice.isVisible(), text=notice.label.text(), lines=notice.lines,
                    api_url=window.context.api_url, cards=window.model.rowCount(),
                    modal=QApplication.activeModalWidget())
        window.close()

    safety_net = QTimer(QApplication.instance())  # a safety net, not the path: the window
    safety_net.setSingleShot(True)                # is closed above
    safety_net.timeout.connect(QApplication.instance().quit)
    safety_net.start(20_000)
    QTimer.singleShot(20, poll)


def test_a_bad_api_url_in_the_environment_is_shown_in_the_window_that_opens(
        qtbot, monkeypatch, _isolated_data_dir, capsys):
    save_preferences(_isolated_data_dir, Preferences(api_url=SAVED_URL))
    monkeypatch.setenv("TRACKER_API_URL", "ftp://registry.example/api/v2")
    line = override_problem(None)
    assert line and line.startswith("TRACKER_API_URL is not an http(s) URL")
    seen: dict = {}
    start_window_and_read(seen)
    assert main([]) == 0
    assert seen["visible"] and seen["modal"] is None  # a notice, not a dialog in the way
    assert seen["lines"][0].startswith(line)  # the very line the terminal prints
    assert f"syncs with the address in Preferences: {SAVED_URL}" in seen["lines"][0]
    assert seen["api_url"] == SAVED_URL  # the bad one is never used
    assert seen["cards"] > 0  # the library is there to read
    err = capsys.readouterr().err
    assert err.strip() == f"tracker: {line}"  # a terminal start still says it, once
    assert "Traceback" not in err


def test_a_bad_api_url_option_is_shown_too_and_the_preference_used(
        qtbot, monkeypatch, _isolated_data_dir, capsys):
    monkeypatch.setenv("TRACKER_API_URL", "https://env.example/api/v2")  # a good one: skipped
    seen: dict = {}
    start_window_and_read(seen)
    assert main(["--api-url", "http://ann:s3cret@127.0.0.1:9/api"]) == 0
    assert seen["visible"] and "--api-url carries a user name or password" in seen["lines"][0]
    assert "s3cret" not in seen["text"]
    assert seen["api_url"] == "https://clinicaltrials.gov/api/v2"  # the default preference
    assert "s3cret" not in capsys.readouterr().err


def test_ignored_preferences_are_shown_without_their_values(qtbot, _isolated_data_dir,
                                                            capsys):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps(
        {"api_url": "http://carol:Secr3tPW@127.0.0.1:9/api/v2", "author_name": "Dr. Ada"}))
    seen: dict = {}
    start_window_and_read(seen)
    assert main([]) == 0
    assert seen["visible"] and len(seen["lines"]) == 1
    assert "ignoring api_url" in seen["lines"][0] and "defaults are used" in seen["lines"][0]
    assert "Secr3tPW" not in seen["text"]
    assert seen["cards"] > 0


def test_good_settings_show_no_notice(qtbot, _isolated_data_dir):
    seen: dict = {}
    start_window_and_read(seen)
    assert main([]) == 0
    assert not seen["visible"] and seen["lines"] == [] and seen["cards"] > 0


def test_an_empty_data_folder_setting_stops_the_start_with_the_line_in_a_dialog(
        qtbot, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # where the default would be
    monkeypatch.setenv("TRACKER_DATA_DIR", "")
    seen: list[str] = []
    answer_next_question(QMessageBox.StandardButton.Ok, seen)
    QTimer.singleShot(15_000, QApplication.instance().quit)  # a safety net, not the path
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tracker: TRACKER_DATA_DIR is set but empty")
    assert seen == [f"Trial Tracker cannot start: {err.strip().removeprefix('tracker: ')}"]
    assert not (tmp_path / "xdg").exists()  # no other library was opened or created
