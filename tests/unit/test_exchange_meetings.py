"""A watch list's meetings in its JSON file: the meeting date and the meetings it held, written
by one library and read by another as hostile input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from tests.unit.test_exports import GOLDEN, NOW, library  # noqa: F401 - shared fixture
from tracker.domain import start_of_day, users_today
from tracker.domain.limits import PAST_MEETINGS_MAX
from tracker.services.exports import export_watchlist
from tracker.services.exports.handout import build_handout
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
    ("2026-12-23T00:00:00",
     "watchlist.meeting_date: '2026-12-23T00:00:00' is not a date written YYYY-MM-DD"),
    ("9999-01-01", ("watchlist.meeting_date: the meeting date 9999-01-01 is not between 2000 "
                    "and 2100: check the year")),
    ("2026-02-30", "watchlist.meeting_date: 2026-02-30 is not a day of the calendar"),
])
def test_a_meeting_date_is_a_day_written_as_the_file_writes_it(exported, other_library, value,
                                                              message):
    """pydantic alone read a number as seconds since 1970 and a midnight date-time as a day,
    and a mistyped year was refused by the store without naming the file's field."""
    refusal = _refused(exported, other_library,
                       lambda d: d["watchlist"].update(meeting_date=value))
    assert refusal == f"{exported}: {message}"


CLUB = "Myeloma club"


def _club_that_met(lib: Library, days: list[dt.date]) -> None:
    """A list (made if missing) that met on each of `days` (oldest first), its date moved on
    after each as a user does."""
    if not any(w.name == CLUB for w in lib.watchlists.all()):
        lib.watchlists.create(CLUB)
        if lib.trials.exists("NCT02242942"):
            lib.watchlists.add(CLUB, ["NCT02242942"])
    for day in days:
        lib.watchlists.update(CLUB, meeting_date=day)
    lib.watchlists.update(CLUB, meeting_date=users_today() + dt.timedelta(days=20))


def test_a_colleague_who_imports_the_list_counts_changes_from_the_same_meeting(
        library, other_library, tmp_path):  # noqa: F811
    """The colleague's handout said "since <30 days ago> (the last 30 days)" while the
    organiser's said "since <the previous meeting>": the file now carries the meetings the
    list held (as version 2) and the import brings them in."""
    today = users_today()
    held = [today - dt.timedelta(days=61), today - dt.timedelta(days=30)]
    _club_that_met(library, held)
    path = export_watchlist(library, CLUB, "json", tmp_path / "club.json")
    data = json.loads(path.read_text())
    assert data["version"] == 2
    assert data["watchlist"]["past_meetings"] == [d.isoformat() for d in reversed(held)]
    report = import_file(other_library, path)
    assert report.added_meetings == list(reversed(held))
    assert f"past meetings added: {held[1]}, {held[0]}" in report.summary()
    assert other_library.watchlists.past_meetings(CLUB) == list(reversed(held))
    organiser, colleague = build_handout(library, CLUB), build_handout(other_library, CLUB)
    assert colleague.since_label == organiser.since_label == \
        f"{held[1].isoformat()} (the list's previous meeting)"
    again = export_watchlist(other_library, CLUB, "json", tmp_path / "again.json")
    assert json.loads(again.read_text())["watchlist"] == data["watchlist"]


def test_a_list_with_no_past_meetings_is_still_a_version_1_file(exported):
    """The previous build refuses any key it does not know and any version but 1: a list with
    no past meetings is written exactly as it would write it."""
    data = json.loads(exported.read_text())
    assert data["version"] == 1 and "past_meetings" not in data["watchlist"]


def test_a_file_the_previous_build_wrote_still_imports(other_library):
    """The golden file is what the previous build wrote for this list (version 1)."""
    report = import_file(other_library, GOLDEN / "cll-december.json")
    assert report.added_meetings == [] and len(report.added_trials) == 3
    assert other_library.watchlists.get(LIST).meeting_date == dt.date(2026, 11, 20)


def test_importing_into_a_list_with_its_own_history_keeps_it_as_it_is(
        library, other_library, tmp_path):  # noqa: F811
    """A clinician's review: merging brought back a meeting forgotten here, and a colleague's
    meeting moved this library's "changes since". A list with its own history keeps it; the
    summary names the file's meetings left out."""
    today = users_today()
    shared, organisers, own = (today - dt.timedelta(days=d) for d in (90, 30, 60))
    _club_that_met(library, [shared, organisers])
    path = export_watchlist(library, CLUB, "json", tmp_path / "club.json")
    _club_that_met(other_library, [shared, own])
    report = import_file(other_library, path)
    assert report.added_meetings == [] and report.meetings_left_out == [organisers]
    assert f"the file's past meetings {organisers} not added" in report.summary()
    assert other_library.watchlists.past_meetings(CLUB) == [own, shared]
    assert other_library.watchlists.get(CLUB).meeting_behind(today) == own


def test_a_meeting_forgotten_here_does_not_come_back_with_an_import(
        library, other_library, tmp_path):  # noqa: F811
    today = users_today()
    typo, held = today - dt.timedelta(days=10), today - dt.timedelta(days=40)
    _club_that_met(library, [held, typo])
    path = export_watchlist(library, CLUB, "json", tmp_path / "club.json")
    library.watchlists.forget_meeting(CLUB, typo)
    import_file(library, path)
    assert library.watchlists.past_meetings(CLUB) == [held]


def test_a_list_without_meetings_of_its_own_takes_the_files(library, other_library,
                                                           tmp_path):  # noqa: F811
    """A list imported earlier from a version 1 file (no meetings) catches up."""
    today = users_today()
    meetings = [today - dt.timedelta(days=d) for d in (30, 60)]
    _club_that_met(library, meetings)
    path = export_watchlist(library, CLUB, "json", tmp_path / "club.json")
    other_library.watchlists.create(CLUB.lower())
    report = import_file(other_library, path)
    assert report.watchlist == CLUB.lower()  # named as this library spells it
    assert report.added_meetings == meetings
    assert other_library.watchlists.past_meetings(CLUB.lower()) == meetings


def test_a_meeting_dated_tomorrow_from_a_zone_ahead_counts_only_once_past(
        exported, other_library):
    """A colleague east of the user may send a meeting held on what is still today (or, at
    the far ends of the zones, tomorrow) here: it is taken, and "changes since the previous
    meeting" counts from it only from the day after it, as for a meeting held here."""
    today = users_today()
    earlier, tomorrow = today - dt.timedelta(days=28), today + dt.timedelta(days=1)
    data = json.loads(exported.read_text())
    data["version"] = 2
    data["watchlist"].update(meeting_date=None,
                             past_meetings=[tomorrow.isoformat(), earlier.isoformat()])
    exported.write_text(json.dumps(data))
    import_file(other_library, exported)
    listed = other_library.watchlists.get(LIST)
    assert listed.past_meetings == (tomorrow, earlier)
    assert listed.previous_meeting == listed.meeting_behind(today) == earlier
    [archived] = other_library.database.conn.execute(
        "SELECT archived_at FROM watchlist_meetings WHERE meeting_date = ?",
        (tomorrow.isoformat(),)).fetchone()
    assert dt.datetime.fromisoformat(archived) == start_of_day(tomorrow + dt.timedelta(days=1))


def test_an_export_carries_at_most_the_newest_past_meetings_an_import_takes(
        library, other_library, tmp_path):  # noqa: F811
    """A file is refused with more than PAST_MEETINGS_MAX past meetings, so an export never
    writes more: the newest ones, the ones the handouts count from."""
    listed = library.watchlists.get(LIST)
    first = dt.date(2001, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range(PAST_MEETINGS_MAX + 1)]
    with library.transaction() as conn:
        conn.executemany("INSERT INTO watchlist_meetings (watchlist_id, meeting_date, "
                         "archived_at) VALUES (?, ?, '2026-01-01T00:00:00+00:00')",
                         [(listed.id, day.isoformat()) for day in days])
    path = export_watchlist(library, LIST, "json", tmp_path / "many.json")
    written = json.loads(path.read_text())["watchlist"]["past_meetings"]
    assert len(written) == PAST_MEETINGS_MAX and written[-1] == days[1].isoformat()
    assert len(import_file(other_library, path).added_meetings) == PAST_MEETINGS_MAX


def _with_meetings(value, version=2):
    def change(data):
        data["version"] = version
        data["watchlist"]["past_meetings"] = value
    return change


_DAY = dt.date(2026, 10, 1).isoformat()


@pytest.mark.parametrize("change,message", [
    (_with_meetings("2026-10-01"), "watchlist.past_meetings: should be a list, not text"),
    (_with_meetings([_DAY, 20261001]),
     "watchlist.past_meetings[1]: should be a date written YYYY-MM-DD, not a number"),
    (_with_meetings(["2026-10-01T19:00:00"]),
     "watchlist.past_meetings[0]: '2026-10-01T19:00:00' is not a date written YYYY-MM-DD"),
    (_with_meetings(["<b>" * 30]),
     "watchlist.past_meetings[0]: '" + "<b>" * 13 + "<…' is not a date written YYYY-MM-DD"),
    (_with_meetings(["2026-02-29"]),
     "watchlist.past_meetings[0]: 2026-02-29 is not a day of the calendar"),
    (_with_meetings(["1999-12-31"]), ("watchlist.past_meetings[0]: the meeting date 1999-12-31 "
                                      "is not between 2000 and 2100: check the year")),
    (_with_meetings([_DAY, _DAY]), f"watchlist.past_meetings: {_DAY} is listed twice"),
    (_with_meetings([_DAY] * (PAST_MEETINGS_MAX + 1)),
     "watchlist.past_meetings: 1,001 dates; a file carries at most 1,000 past meetings"),
    (_with_meetings([_DAY], version=1), ("watchlist.past_meetings: a version 1 file has no "
                                         "past meetings (version 2 carries them)")),
    (lambda d: d.update(version=3), ("this file was made by a newer Trial Tracker (watch-list "
                                     "file version 3; this one reads versions 1 and 2): update "
                                     "Trial Tracker to import it")),
    (lambda d: d.update(version="2"), ("version '2' is not a watch-list file version (this "
                                       "Trial Tracker reads versions 1 and 2)")),
    (lambda d: d.update(version=True), "version True is not a watch-list file version"),
    (lambda d: d.update(version=0), "version 0 is not a watch-list file version"),
])
def test_hostile_past_meetings_and_versions_are_refused_in_one_line(exported, other_library,
                                                                     change, message):
    assert _refused(exported, other_library, change).startswith(f"{exported}: {message}")


def test_a_past_meeting_after_tomorrow_is_refused(exported, other_library):
    today = users_today()
    ahead = today + dt.timedelta(days=2)
    refusal = _refused(exported, other_library, _with_meetings([ahead.isoformat()]))
    assert refusal == (f"{exported}: watchlist.past_meetings[0]: the past meeting {ahead} is "
                       f"after today ({today}): a meeting that has not come yet was not held")


def test_a_mistyped_year_an_earlier_build_archived_is_left_out_of_the_file(
        library, other_library, tmp_path):  # noqa: F811
    """The code review: such a row made every JSON export of the list fail, so it could not
    be shared at all; no meeting was held in 1926, and no import would take it."""
    held = users_today() - dt.timedelta(days=30)
    _club_that_met(library, [held])
    club = library.watchlists.get(CLUB)
    with library.database.transaction() as conn:
        conn.execute("INSERT INTO watchlist_meetings (watchlist_id, meeting_date, archived_at) "
                     "VALUES (?, '1926-11-05', '2026-11-06T00:00:00+00:00')", (club.id,))
    assert dt.date(1926, 11, 5) in library.watchlists.past_meetings(CLUB)
    path = export_watchlist(library, CLUB, "json", tmp_path / "club.json")
    assert json.loads(path.read_text())["watchlist"]["past_meetings"] == [held.isoformat()]
    assert import_file(other_library, path).added_meetings == [held]
