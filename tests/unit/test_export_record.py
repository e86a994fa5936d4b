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
