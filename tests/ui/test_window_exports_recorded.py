"""Every handout the window writes is recorded as `tracker export` records it (the handout's
"since the list's last export" and the export hint read the record), by the same service and
off the GUI thread: the PDF, which Qt paints on the GUI thread, included."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tracker.domain import users_today
from tracker.services import watchlists as lists
from tracker.services.export_formats import CHANGE_FORMATS, FORMATS
from tracker.ui.dialogs.watchlist_dialogs import ExportDialog

LIST = "AML"


def _recorded(library) -> list[dt.datetime]:
    """The list's export log, oldest first (read on this thread, after the exports)."""
    rows = library.database.execute(
        "SELECT e.exported_at FROM watchlist_exports e JOIN watchlists w "
        "ON w.id = e.watchlist_id WHERE w.name = ? ORDER BY e.exported_at", (LIST,)).fetchall()
    return [dt.datetime.fromisoformat(row[0]) for row in rows]


def _create_list(qtbot, window) -> None:
    """A list with a meeting ahead (so the calendar has an event) and two trials."""
    window.controller.change_lists(lists.create_list, LIST, "",
                                   users_today() + dt.timedelta(days=7))
    qtbot.waitUntil(lambda: any(w.name == LIST for w in window.watchlists()), timeout=5_000)
    window.list_actions.add_to(LIST, ["NCT02993523", "LOCAL-VENAZA-CHINA-RW"])
    qtbot.waitUntil(lambda: any(w.name == LIST and len(w.trial_ids) == 2
                                for w in window.watchlists()), timeout=5_000)


def _answer_export_dialog(path, fmt: str) -> None:
    """When the export dialog opens, choose `fmt` and `path` and export."""
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(20, poll)
            return
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        dialog.path_edit.setText(str(path))
        dialog.accept()

    QTimer.singleShot(20, poll)


def test_every_export_from_the_window_is_recorded_off_the_gui_thread(qtbot, window, tmp_path):
    _create_list(qtbot, window)
    library = window.context.library
    on_gui_thread: list[str] = []  # SQL run on this (the GUI) thread's connection meanwhile
    library.database.conn.set_trace_callback(on_gui_thread.append)
    try:
        # File › Export…, the toolbar button and the list's menu all open this dialog
        _answer_export_dialog(tmp_path / "aml.pdf", "pdf")
        window.list_actions.export(LIST)
        qtbot.waitUntil(lambda: window.job_bar.label.text() == f"Exported {tmp_path / 'aml.pdf'}",
                        timeout=20_000)
        written = [tmp_path / "aml.pdf"]
        for fmt in (f for f in FORMATS if f != "pdf"):
            done: list = []
            target = tmp_path / f"aml.{fmt}"
            window.controller.export(LIST, fmt, target, on_done=done.append)
            qtbot.waitUntil(lambda: done == [target], timeout=10_000)  # noqa: B023
            written.append(target)
    finally:
        library.database.conn.set_trace_callback(None)
    assert all(path.stat().st_size > 0 for path in written)
    assert (tmp_path / "aml.pdf").read_bytes().startswith(b"%PDF")
    recorded = _recorded(library)
    # one record per handout written (the PDF's too); not the CSV, calendar, RIS or JSON
    assert len(recorded) == len(CHANGE_FORMATS) == 4
    assert library.watchlists.last_exported_at(LIST) == recorded[-1]
    assert not [sql for sql in on_gui_thread if "watchlist_exports" in sql]


def test_a_pdf_that_could_not_be_written_is_not_recorded(qtbot, window, tmp_path,
                                                        monkeypatch):
    from tracker.services import exports

    _create_list(qtbot, window)

    def disk_full(file, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_write", disk_full)  # painted, then the write fails
    folder = tmp_path / "handouts"
    folder.mkdir()
    window.controller.export(LIST, "pdf", folder / "aml.pdf")
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    box = window.failure_box
    assert box.windowTitle() == "Export failed" and "No file was written" in box.informativeText()
    assert "No space left on device" in box.detailedText() + box.text()
    box.close()
    assert _recorded(window.context.library) == [] and list(folder.iterdir()) == []


def test_a_pdf_that_could_not_be_painted_says_so_and_writes_nothing(qtbot, window, tmp_path,
                                                                    monkeypatch):
    """Qt paints on the GUI thread, in a slot: a failure there must reach the user as the
    other export failures do, not only stderr."""
    from tracker.ui import pdf

    _create_list(qtbot, window)

    def out_of_memory(document):
        raise MemoryError("the handout is too large to paint")

    monkeypatch.setattr(pdf, "render_pdf", out_of_memory)
    window.controller.export(LIST, "pdf", tmp_path / "aml.pdf")
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    box = window.failure_box
    assert box.windowTitle() == "Export failed" and "No file was written" in box.informativeText()
    assert "too large to paint" in box.detailedText() + box.text()
    box.close()
    assert _recorded(window.context.library) == [] and list(tmp_path.glob("aml*")) == []
