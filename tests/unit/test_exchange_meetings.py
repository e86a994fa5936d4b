"""A watch list's meetings in its JSON file: the meeting date and the meetings it held, written
by one library and read by another as hostile input."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.unit.test_exports import NOW, library  # noqa: F401 - shared fixture
from tracker.services.exports import export_watchlist
from tracker.services.importer import ImportFileError, import_file
from tracker.store import LIBRARY_FILE_NAME, Library

LIST = "CLL – December"


@pytest.fixture
def exported(library, tmp_path):  # noqa: F811
    return export_watchlist(library, LIST, "json", tmp_path / "cll.json", now=NOW)


@pytest.fixture
def other_library(tmp_path):
    other = Library(tmp_path / "other" / LIBRARY_FILE_NAME)
    yield other
    other.close()


def _fingerprint(lib: Library) -> str:
    return hashlib.sha256("\n".join(lib.database.conn.iterdump()).encode()).hexdigest()


def _refused(path, library_, change) -> str:
    """Apply `change` to the file's JSON, import it, and return the one-line refusal (after
    checking that nothing was written)."""
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    before = _fingerprint(library_)
    with pytest.raises(ImportFileError) as caught:
        import_file(library_, path)
    assert _fingerprint(library_) == before
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("value,message", [
    (1_728_000_000, "watchlist.meeting_date: should be a date written YYYY-MM-DD, not a number"),
    ("2026-12-23T00:00:00", "watchlist.meeting_date: '2026-12-23T00:00:00' is not a date "
                            "written YYYY-MM-DD"),
    ("9999-01-01", "watchlist.meeting_date: the meeting date 9999-01-01 is not between 2000 "
                   "and 2100: check the year"),
    ("2026-02-30", "watchlist.meeting_date: 2026-02-30 is not a day of the calendar"),
])
def test_a_meeting_date_is_a_day_written_as_the_file_writes_it(exported, other_library, value,
                                                              message):
    """pydantic alone read a number as seconds since 1970 and a midnight date-time as a day,
    and a mistyped year was refused by the store without naming the file's field."""
    refusal = _refused(exported, other_library,
                       lambda d: d["watchlist"].update(meeting_date=value))
    assert refusal == f"{exported}: {message}"
