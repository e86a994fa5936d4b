"""Importing a watch list file: round trip, merging, idempotence, and broken files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from tests.unit.test_exports import NASTY, NOW, library  # noqa: F401 - shared fixture
from tracker.services.exports import export_watchlist
from tracker.services.importer import ImportFileError, import_file
from tracker.store import LIBRARY_FILE_NAME, Library


def _export_json(lib, path):
    return export_watchlist(lib, "CLL – December", "json", path, now=NOW,
                            exported_by="Dr. Ada Example", include_notes=True)


@pytest.fixture
def exported(library, tmp_path):  # noqa: F811
    return _export_json(library, tmp_path / "cll.json")


@pytest.fixture
def other_library(tmp_path):
    other = Library(tmp_path / "other" / LIBRARY_FILE_NAME)
    yield other
    other.close()


def _fingerprint(lib: Library) -> str:
    dump = "\n".join(lib.database.conn.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


def test_export_import_export_gives_the_same_json(exported, other_library, tmp_path):
    import_file(other_library, exported)
    again = _export_json(other_library, tmp_path / "again.json")
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


def test_import_into_an_empty_library_adds_trials_list_notes_tags_history(exported,
                                                                          other_library):
    report = import_file(other_library, exported)
    assert report.added_trials == ["NCT02242942", "NCT02005471", "LOCAL-VENAZA-CHINA-RW"]
    assert other_library.watchlists.get("CLL – December").meeting_date == dt.date(2026, 11, 20)
    [note] = other_library.notes.for_trial("NCT02242942")
    assert (note.body, note.author) == (NASTY, "Dr. Ada Example")
    assert other_library.tags.for_trial("NCT02242942") == ["CLL", "journal club"]
    assert len(other_library.history.for_trial("NCT02242942")) == 1
    assert other_library.trials.get("NCT02242942").outcomes[0].value == "76.2%"


def test_import_merges_keeping_existing_notes_and_adding_attributed_ones(exported, library):  # noqa: F811
    library.notes.add("NCT02005471", "my own thoughts")
    data = json.loads(exported.read_text())
    data["trials"][1]["notes"] = [{"body": "colleague's view", "author": "Dr. B",
                                   "created_at": "2026-11-01T10:00:00Z",
                                   "updated_at": "2026-11-01T10:00:00Z"}]
    exported.write_text(json.dumps(data))
    report = import_file(library, exported)
    assert report.added_trials == [] and report.added_notes == 1
    notes = library.notes.for_trial("NCT02005471")
    assert [(n.body, n.author) for n in notes] == [("colleague's view", "Dr. B"),
                                                    ("my own thoughts", None)]
    assert [n.body for n in library.notes.for_trial("NCT02242942")] == [NASTY]  # not doubled


def test_importing_the_same_file_twice_changes_nothing_the_second_time(exported, other_library):
    import_file(other_library, exported)
    before = _fingerprint(other_library)
    report = import_file(other_library, exported)
    assert report.added_notes == 0 and report.added_trials == []
    assert _fingerprint(other_library) == before


def _corrupt(exported, change) -> None:
    data = json.loads(exported.read_text())
    change(data)
    exported.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d.update(version=7), "made by a newer Trial Tracker (watch-list file version 7"),
        (lambda d: d.update(format="something-else"), "not a Trial Tracker watch list file"),
        (lambda d: d["trials"][1].pop("id"), "trials[1].id: is missing"),
        (lambda d: d["trials"][0].update(enrollment="lots"),
         "trials[0].enrollment: should be a whole number, not text"),
        (lambda d: d["trials"][0]["outcomes"][0].pop("source"),
         "trials[0].outcomes[0].source: is missing"),
        (lambda d: d["trials"][2].update(id="NCT123"), "trials[2].id"),
        (lambda d: d["trials"].append(dict(d["trials"][0])),
         "trials[3].id: duplicate trial id NCT02242942"),
        (lambda d: d["trials"][0]["notes"][0].update(created_at="yesterday"),
         "trials[0].notes[0].created_at"),
        (lambda d: d["trials"][0].update(id="NCT02242942\n"), "trials[0].id"),
        (lambda d: d["trials"][0].update(tags=["AML, unfit"]),
         "trials[0].tags[0]: a tag cannot contain a comma"),
        (lambda d: d["watchlist"].update(name="   "), "watchlist.name"),
    ],
)
def test_broken_files_are_refused_with_the_first_bad_field_and_nothing_changes(
        exported, other_library, change, message):
    _corrupt(exported, change)
    before = _fingerprint(other_library)
    with pytest.raises(ImportFileError) as caught:
        import_file(other_library, exported)
    assert message in str(caught.value)
    assert _fingerprint(other_library) == before


def test_truncated_file_is_refused_naming_the_position(exported, other_library):
    exported.write_bytes(exported.read_bytes()[:500])
    with pytest.raises(ImportFileError, match="is not valid JSON: .*line"):
        import_file(other_library, exported)
    assert other_library.trials.count() == 0


def test_missing_file_is_a_clear_error(other_library, tmp_path):
    with pytest.raises(ImportFileError, match="cannot read"):
        import_file(other_library, tmp_path / "nope.json")


def test_a_failure_mid_merge_rolls_back_everything(exported, other_library, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(other_library.watchlists, "add", explode)  # after trials were written
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(other_library, exported)
    assert other_library.trials.count() == 0 and other_library.watchlists.all() == []
