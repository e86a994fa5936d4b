"""The window when the library fails or is read-only, and links in the detail view.

Real widgets on a real library: a note typed while another connection holds the write lock
stays in the editor and in the recovery file and is saved once the lock is gone; a note over
the size limit is refused and kept; a read-only library is browsed with edits disabled;
only http(s) links open."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from tests.ui.conftest import select_trial
from tracker.context import build_context
from tracker.domain.limits import NOTE_MAX_BYTES
from tracker.services.recovery import RECOVERY_FILE_NAME
from tracker.store import LIBRARY_FILE_NAME

VIALE_A, CLL14 = "NCT02993523", "NCT02242942"


def _open_window(qtbot, context):
    from tracker.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.controller.shown_request > 0, timeout=10_000)
    return window


@pytest.fixture
def quick_context(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "0.3")  # read when connections are made
    context = build_context(tmp_path / "library", api_url="http://127.0.0.1:9/api/v2")
    yield context
    context.close()


def _type(qtbot, window, text: str) -> None:
    editor = window.detail.notes.editor
    editor.setFocus()
    editor.setPlainText(text)


def _stored_bodies(context) -> list[str]:
    conn = sqlite3.connect(context.library.path)
    try:
        return [row[0] for row in conn.execute("SELECT body FROM notes")]
    finally:
        conn.close()


def test_a_note_typed_while_the_library_is_locked_is_kept_and_saved_later(qtbot, quick_context):
    window = _open_window(qtbot, quick_context)
    notes = window.detail.notes
    notes._retry_timer.setInterval(300)
    select_trial(qtbot, window, VIALE_A)
    blocker = sqlite3.connect(quick_context.library.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        _type(qtbot, window, "Grade 3 neutropenia in cycle 1: hold dose")
        qtbot.waitUntil(lambda: notes.state_label.text() == "not saved", timeout=10_000)
        assert notes.editor.toPlainText() == "Grade 3 neutropenia in cycle 1: hold dose"
        assert "locked by another program" in notes.state_label.toolTip()
        assert "locked by another program" in window.job_bar.label.text()  # shown, not swallowed
        recovery = quick_context.data_dir / RECOVERY_FILE_NAME
        assert "Grade 3 neutropenia in cycle 1: hold dose" in recovery.read_text()
        # moving to another trial and back brings the unsaved text back
        select_trial(qtbot, window, CLL14)
        assert notes.editor.toPlainText() == ""
        select_trial(qtbot, window, VIALE_A)
        assert notes.editor.toPlainText() == "Grade 3 neutropenia in cycle 1: hold dose"
        assert _stored_bodies(quick_context) == []
        assert VIALE_A in notes.unsaved_trials
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: notes.state_label.text() == "saved", timeout=10_000)
    assert _stored_bodies(quick_context) == ["Grade 3 neutropenia in cycle 1: hold dose"]
    assert not notes._unsaved, notes._unsaved
    assert not notes._dirty
    window.close()


def test_a_note_left_unsaved_on_another_trial_is_saved_when_the_lock_goes(qtbot, quick_context):
    window = _open_window(qtbot, quick_context)
    notes = window.detail.notes
    notes._retry_timer.setInterval(300)
    select_trial(qtbot, window, VIALE_A)
    blocker = sqlite3.connect(quick_context.library.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    _type(qtbot, window, "left behind")
    select_trial(qtbot, window, CLL14)  # the switch saves; that save fails
    qtbot.waitUntil(lambda: VIALE_A in notes.unsaved_trials, timeout=10_000)
    blocker.execute("ROLLBACK")
    blocker.close()
    qtbot.waitUntil(lambda: _stored_bodies(quick_context) == ["left behind"], timeout=10_000)
    qtbot.waitUntil(lambda: not notes.unsaved_trials, timeout=5_000)
    window.close()


def test_a_note_over_the_size_limit_is_refused_in_the_editor_and_kept(qtbot, quick_context):
    window = _open_window(qtbot, quick_context)
    notes = window.detail.notes
    select_trial(qtbot, window, VIALE_A)
    _type(qtbot, window, "x" * (NOTE_MAX_BYTES + 1))
    qtbot.waitUntil(lambda: notes.state_label.text() == "not saved", timeout=10_000)
    assert "limited to 100 KB" in notes.state_label.toolTip()
    assert len(notes.editor.toPlainText()) == NOTE_MAX_BYTES + 1
    assert _stored_bodies(quick_context) == []
    _type(qtbot, window, "x" * 100)  # shortened: saved
    qtbot.waitUntil(lambda: notes.state_label.text() == "saved", timeout=10_000)
    assert _stored_bodies(quick_context) == ["x" * 100]
    window.close()


def test_a_read_only_library_is_browsed_with_edits_disabled(qtbot, tmp_path):
    build_context(tmp_path / "lib").close()  # made by a writable open first
    context = build_context(tmp_path / "lib", read_only=True)
    before = (tmp_path / "lib" / LIBRARY_FILE_NAME).read_bytes()
    try:
        window = _open_window(qtbot, context)
        assert "read-only" in window.windowTitle()
        assert window.model.rowCount() > 100
        for action in window.edit_actions():
            assert not action.isEnabled(), action.text()
        assert window.export_action.isEnabled()
        select_trial(qtbot, window, VIALE_A)
        assert window.detail.notes.editor.isReadOnly()
        assert not window.detail.notes.new_button.isEnabled()
        assert window.detail.tags_edit.isReadOnly()
        window.close()
    finally:
        context.close()
    assert (tmp_path / "lib" / LIBRARY_FILE_NAME).read_bytes() == before


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def url_handlers():
    """Qt's own per-scheme URL handlers record what would have been opened."""
    opened = _Opened()
    schemes = ("http", "https", "file", "smb", "javascript", "ftp")
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, opened, "open")
    yield opened
    for scheme in schemes:
        QDesktopServices.unsetUrlHandler(scheme)


def test_only_web_links_open_from_the_detail_view(qtbot, window, url_handlers):
    select_trial(qtbot, window, VIALE_A)
    links = ["https://clinicaltrials.gov/study/NCT02993523", "http://example.org/a",
             "file:///etc/passwd", "smb://server/share/x.exe", "javascript:alert(1)",
             "ftp://example.org/x", "HTTPS://EXAMPLE.ORG/UPPER", "https:relative-no-host"]
    for link in links:
        window.detail.browser.anchorClicked.emit(QUrl(link))
    assert url_handlers.urls == ["https://clinicaltrials.gov/study/NCT02993523",
                                 "http://example.org/a", "https://example.org/UPPER"]


def test_removing_trials_in_the_window_keeps_their_notes(qtbot, window, context):
    context.library.notes.add(VIALE_A, "why we follow VIALE-A")
    messages = []
    window.controller.error_raised.connect(messages.append)
    window.controller.remove_trials([VIALE_A, CLL14])
    qtbot.waitUntil(lambda: window.model.row_of(VIALE_A) is None
                    and window.model.row_of(CLL14) is None, timeout=10_000)
    recovery = context.data_dir / RECOVERY_FILE_NAME
    assert "why we follow VIALE-A" in recovery.read_text()
    assert any("Removed 2 trials" in m and str(recovery) in m for m in messages)
    assert not context.library.trials.exists(VIALE_A)


def test_two_notes_that_failed_on_one_trial_are_both_saved_later(qtbot, quick_context):
    window = _open_window(qtbot, quick_context)
    notes = window.detail.notes
    notes._retry_timer.setInterval(300)
    select_trial(qtbot, window, VIALE_A)
    blocker = sqlite3.connect(quick_context.library.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    _type(qtbot, window, "first thought")
    qtbot.waitUntil(lambda: notes.state_label.text() == "not saved", timeout=10_000)
    notes.new_button.click()
    _type(qtbot, window, "second thought")
    qtbot.waitUntil(lambda: len(notes._unsaved) == 2, timeout=10_000)
    blocker.execute("ROLLBACK")
    blocker.close()
    qtbot.waitUntil(lambda: sorted(_stored_bodies(quick_context)) ==
                    ["first thought", "second thought"], timeout=10_000)
    qtbot.waitUntil(lambda: not notes.unsaved_trials, timeout=5_000)
    window.close()
