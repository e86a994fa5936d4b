"""Each export is recorded once its file is written, whichever way it was made: by
`tracker export` (`export_watchlist`) or painted by the window (`prepare_pdf`, then
`save_export`). A file that could not be written is not recorded: the next handout would
otherwise count its changes from an export nobody received."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain import Trial
from tracker.services import exports
from tracker.services.exports import ExportError, export_watchlist, prepare_pdf, save_export
from tracker.services.exports.handout import build_handout

LIST = "JC"
MADE = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([Trial(id="NCT02993523", acronym="VIALE-A")])
    empty_library.watchlists.create(LIST)
    empty_library.watchlists.add(LIST, ["NCT02993523"])
    return empty_library


def _disk_full(file, data):
    raise OSError(28, "No space left on device")


def test_an_export_whose_file_could_not_be_written_is_not_recorded(library, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(exports, "_write", _disk_full)
    with pytest.raises(ExportError, match="No space left on device"):
        export_watchlist(library, LIST, "md", tmp_path / "jc.md", now=MADE)
    assert library.watchlists.last_exported_at(LIST) is None
    monkeypatch.undo()
    export_watchlist(library, LIST, "md", tmp_path / "jc.md", now=MADE)
    assert library.watchlists.last_exported_at(LIST) == MADE


def test_a_pdf_painted_elsewhere_is_recorded_when_saved(qapp, library, tmp_path):
    from tracker.ui.pdf import render_pdf

    pending = prepare_pdf(library, LIST, destination=tmp_path / "jc.pdf", now=MADE)
    assert library.watchlists.last_exported_at(LIST) is None  # read, not yet written
    path = save_export(library, pending.made, tmp_path / "jc.pdf", render_pdf(pending.document))
    assert path.read_bytes().startswith(b"%PDF")
    assert library.watchlists.last_exported_at(LIST) == MADE
    later = build_handout(library, LIST, now=MADE + dt.timedelta(days=3))
    assert (later.since, later.window.reason) == (dt.date(2026, 11, 20), "the list's last export")


def test_a_place_that_cannot_take_the_pdf_is_refused_before_anything_is_painted(library,
                                                                                tmp_path):
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a folder"):
        prepare_pdf(library, LIST, destination=tmp_path / "a-file" / "jc.pdf")


@pytest.mark.parametrize("fmt", ["csv", "json", "ris"])
def test_an_export_that_reports_no_changes_does_not_move_the_next_handouts_window(
        library, tmp_path, fmt):
    """A reviewer exported only a reference list or a file for a colleague, and the next
    handout counted its changes from that day, leaving out what the club had not seen."""
    export_watchlist(library, LIST, fmt, tmp_path / f"jc.{fmt}", now=MADE)
    assert library.watchlists.last_exported_at(LIST) is None
    export_watchlist(library, LIST, "md", tmp_path / "jc.md", now=MADE)
    assert library.watchlists.last_exported_at(LIST) == MADE


def test_a_handout_written_to_a_failing_standard_output_is_not_recorded(tmp_path):
    """`tracker export -o -` recorded the export before writing it: a full disk behind
    `> file` left a record of a handout nobody got."""
    import subprocess
    import sys

    from tests.fakes.cli import run_tracker
    from tracker.store import Library

    data = tmp_path / "data"
    assert run_tracker(data, "watchlist", "create", LIST).returncode == 0
    assert run_tracker(data, "watchlist", "add", LIST, "NCT02993523").returncode == 0
    with open("/dev/full", "wb") as full:
        failed = subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(data),
                                 "export", "--watchlist", LIST, "--format", "md", "-o", "-"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
                                stdin=subprocess.DEVNULL)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert Library(data / "library.sqlite3").watchlists.last_exported_at(LIST) is None
    written = run_tracker(data, "export", "--watchlist", LIST, "--format", "md", "-o", "-")
    assert written.returncode == 0 and written.stdout.startswith("# JC")
    assert Library(data / "library.sqlite3").watchlists.last_exported_at(LIST) is not None
