"""Sync from the window against the loopback server: progress, highlight, faults, cancel."""

from __future__ import annotations

import json

import pytest

from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tests.ui.conftest import select_trial
from tracker.context import build_context
from tracker.ui.trial_model import TrialRole

TRACKED = ["NCT02993523", "NCT02242942", "NCT02435849"]


@pytest.fixture
def registry(ctgov_server):
    ctgov_server.put_studies([
        make_study("NCT02993523", status="ACTIVE_NOT_RECRUITING", acronym="VIALE-A"),
        make_study("NCT02242942", status="ACTIVE_NOT_RECRUITING", acronym="CLL14"),
        make_study("NCT02435849", status="COMPLETED", acronym="ELIANA"),
    ])
    return ctgov_server


def open_window(qtbot, data_dir, registry):
    """A window on a fresh library that syncs with `registry` at full speed."""
    from tracker.ui.main_window import MainWindow

    data_dir.mkdir()
    (data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    window = MainWindow(build_context(data_dir, api_url=registry.base_url))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.controller.shown_request > 0, timeout=10_000)
    return window


@pytest.fixture
def sync_window(qtbot, tmp_path, registry):
    window = open_window(qtbot, tmp_path / "library", registry)
    yield window
    window.close()
    window.context.close()


def _sync(qtbot, window, ids=TRACKED, timeout=20_000):
    with qtbot.waitSignal(window.controller.job_finished, timeout=timeout) as blocker:
        window.controller.sync(ids)
    return blocker.args[0]


def test_sync_updates_cards_highlights_changes_and_keeps_notes(qtbot, sync_window, registry):
    window = sync_window
    select_trial(qtbot, window, "NCT02993523")
    qtbot.keyClicks(window.detail.notes.editor, "discuss OS update")
    _sync(qtbot, window)
    registry.set_status("NCT02993523", "COMPLETED")
    registry.inject(Fault.MALFORMED_STUDY, times=3, nct_id="NCT02242942")
    report = _sync(qtbot, window)

    assert [c.trial_id for c in report.changed] == ["NCT02993523"]
    assert "NCT02242942" in report.failed
    # the cards reload after each sync; until this one's reload lands the card may still be
    # the never-synced one (status None)
    qtbot.waitUntil(lambda: getattr(window.model.card("NCT02993523").status, "value", None)
                    == "COMPLETED", timeout=5_000)
    row = window.model.row_of("NCT02993523")
    assert window.model.index(row).data(TrialRole.HIGHLIGHTED) is True
    assert window.model.card("NCT02993523").changed_in_last_sync
    assert "1 status change," in window.job_bar.label.text()
    assert "1 failed" in window.job_bar.label.text()
    qtbot.waitUntil(lambda: "Active not recruiting → Completed"
                    in window.detail.browser.toPlainText(), timeout=5_000)
    # the note typed before the syncs is saved (after the editor's typing pause), untouched
    qtbot.waitUntil(lambda: [n.body for n in window.context.library.notes.for_trial(
        "NCT02993523")] == ["discuss OS update"], timeout=5_000)


def test_sync_without_network_says_so(qtbot, sync_window, registry):
    window = sync_window
    window.context.api_url = "http://127.0.0.1:9/api/v2"
    report = _sync(qtbot, window)
    assert "could not be reached" in report.error
    assert "could not be reached" in window.job_bar.label.text()
    assert window.model.card("NCT02993523").status is None


def test_cancel_stops_a_slow_sync(qtbot, sync_window, registry):
    window = sync_window
    registry.latency = 0.4
    window.controller.sync(None)
    qtbot.waitUntil(lambda: window.job_bar.cancel_button.isVisible(), timeout=5_000)
    with qtbot.waitSignal(window.controller.job_finished, timeout=20_000) as blocker:
        window.job_bar.cancel_button.click()
    assert blocker.args[0].cancelled
    assert window.context.library.database.integrity_ok()
    assert "Cancelled" in window.job_bar.label.text() or "cancelled" in window.job_bar.label.text()


def test_closing_the_window_during_a_sync_cancels_it_cleanly(qtbot, tmp_path, registry):
    window = open_window(qtbot, tmp_path / "closing", registry)
    context = window.context
    registry.latency = 0.3
    handle = window.controller.sync(None)
    qtbot.waitUntil(lambda: len(registry.requests) >= 1, timeout=5_000)
    window.close()
    assert handle.cancelled and handle.done.is_set()
    assert context.library.database.integrity_ok()
    context.close()


def test_sync_on_start_runs_when_the_preference_is_set(qtbot, tmp_path, registry):
    from tracker.ui.main_window import MainWindow

    data_dir = tmp_path / "auto"
    data_dir.mkdir()
    (data_dir / "preferences.json").write_text(
        json.dumps({"request_pace_seconds": 0, "sync_on_start": True}))
    failures = []
    window = MainWindow.open_deferred(
        data_dir, lambda: build_context(data_dir, api_url=registry.base_url), failures.append)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: hasattr(window, "controller"), timeout=10_000)
    with qtbot.waitSignal(window.controller.job_finished, timeout=20_000) as blocker:
        pass
    assert failures == [] and blocker.args[0].requested >= 3
    window.close()
    window.context.close()


def test_an_error_during_a_sync_keeps_its_cancel_button(qtbot, sync_window, registry):
    window = sync_window
    registry.latency = 0.4
    window.controller.sync(None)
    qtbot.waitUntil(lambda: window.job_bar.cancel_button.isVisible(), timeout=5_000)
    window.controller.sync(None)  # a second press while the first runs
    assert "still running" in window.job_bar.label.text()
    assert window.job_bar.cancel_button.isVisible()
    with qtbot.waitSignal(window.controller.job_ended, timeout=20_000):
        window.job_bar.cancel_button.click()
    assert not window.job_bar.cancel_button.isVisible()


def test_timeline_draws_the_shown_trials_after_a_sync(qtbot, sync_window):
    window = sync_window
    _sync(qtbot, window)
    window.tabs.setCurrentWidget(window.timeline)
    canvas = window.timeline.canvas
    qtbot.waitUntil(lambda: len(canvas._cards) == 3, timeout=5_000)  # the three synced trials
    assert canvas.minimumHeight() > 100 and not window.timeline.grab().isNull()
    assert canvas._breakdown["Completed"] == 1


def test_a_sync_whose_library_file_was_moved_says_so_where_sync_failures_go(
        qtbot, sync_window, registry):
    window = sync_window
    path = window.context.library.path
    moved = path.with_name("moved.sqlite3")
    registry.inject(Fault.SLOW, times=1, delay=0.5)  # the file moves while the answer waits
    window.controller.sync(TRACKED)
    qtbot.waitUntil(lambda: bool(registry.requests), timeout=10_000)
    path.rename(moved)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    report = window.controller.last_report
    line = (f"The library file {path} was moved or deleted while syncing, so this sync's "
            "changes were not saved there; open the library where it is now, or sync again.")
    assert report.library_left and report.stopped_text() == line
    assert window.job_bar.label.text() == f"⚠ {line}"
    box = window.failure_box
    assert box.windowTitle() == "Sync not saved" and box.text() == line
    box.done(0)
    moved.rename(path)  # back where it was, so the window closes on its own file
