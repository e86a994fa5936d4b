"""Which meeting "changed since the meeting" counts from (`WatchList.meeting_behind`).

A meeting date is a day on the user's calendar: it is past from the next day on, in local
time. On the day itself the handout for it, `tracker changes --since meeting` and the
window's filter still count from the meeting before (a handout made on the morning of the
journal club reports the month's changes, not the morning's)."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from tracker.domain import Trial, WatchList, local_day, start_of_day, users_today
from tracker.services.change_log import MEETING, change_window
from tracker.services.exports.handout import build_handout, default_window_words
from tracker.store import TrialQuery

LIST = "Lymphoma club"


def test_a_meeting_is_behind_from_the_day_after_it():
    listed = WatchList(name=LIST, meeting_date=dt.date(2026, 12, 10),
                       previous_meeting=dt.date(2026, 11, 12))
    assert listed.meeting_behind(dt.date(2026, 12, 9)) == dt.date(2026, 11, 12)
    assert listed.meeting_behind(dt.date(2026, 12, 10)) == dt.date(2026, 11, 12)  # its day
    assert listed.meeting_behind(dt.date(2026, 12, 11)) == dt.date(2026, 12, 10)
    first = WatchList(name=LIST, meeting_date=dt.date(2026, 12, 10))
    assert first.meeting_behind(dt.date(2026, 12, 10)) is None


@pytest.fixture
def meets_today(empty_library):
    """A list that met four weeks ago and meets again today (the user's day)."""
    today = users_today()
    empty_library.watchlists.create(LIST, meeting_date=today - dt.timedelta(days=28))
    empty_library.watchlists.update(LIST, meeting_date=today)  # archives the last meeting
    return empty_library


def test_on_the_meeting_day_every_view_counts_from_the_meeting_before(meets_today):
    library, today = meets_today, users_today()
    before = today - dt.timedelta(days=28)
    listed = library.watchlists.get(LIST)
    assert listed.previous_meeting == before
    handout = build_handout(library, LIST)
    assert handout.window.since == before
    assert handout.window.reason == "the list's previous meeting"
    assert default_window_words(listed, today) == \
        f"since the list's previous meeting ({before.isoformat()})"
    window = change_window(library, MEETING, LIST)
    assert window.since == before
    assert window.label == (f"since the {LIST} previous meeting ({before.isoformat()}; "
                            f"the next is on {today.isoformat()})")


@pytest.fixture
def local_day_differs_from_utc():
    """A local time zone whose date today is not UTC's (UTC+14 from 10:00 UTC, else UTC-12),
    so a rule reading the UTC date would decide otherwise."""
    saved = os.environ.get("TZ")
    ahead = dt.datetime.now(dt.UTC).hour >= 10
    os.environ["TZ"] = "LOCAL-14" if ahead else "LOCAL+12"  # POSIX signs are reversed
    time.tzset()
    yield ahead
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_past_or_not_is_asked_in_local_time_in_python_and_in_sql(local_day_differs_from_utc,
                                                                 empty_library):
    ahead = local_day_differs_from_utc
    utc_day, local_day = dt.datetime.now(dt.UTC).date(), users_today()
    assert local_day == utc_day + dt.timedelta(days=1 if ahead else -1)
    # a meeting on the UTC day: past in local time when the user is ahead of UTC; on the
    # local day: not past when the user is behind (UTC would say past)
    met = utc_day if ahead else local_day
    assert (met < local_day) is ahead and (met < utc_day) is not ahead
    library = empty_library
    trial_id = "NCT02993523"
    library.trials.insert([Trial(id=trial_id, brief_title="VIALE-A")])
    library.watchlists.create(LIST, meeting_date=met)
    library.watchlists.add(LIST, [trial_id])
    listed = library.watchlists.update(LIST, meeting_date=dt.date(2099, 1, 1))
    assert listed.previous_meeting == (met if ahead else None)  # the store's SQL
    assert listed.meeting_behind(local_day) == (met if ahead else None)
    window = build_handout(library, LIST).window
    assert (window.since, window.reason) == ((met, "the list's previous meeting") if ahead
                                             else (local_day - dt.timedelta(days=30),
                                                   "the last 30 days"))
    # the window's "changed since the meeting" filter: with no past meeting nothing matches
    query = TrialQuery(watchlist_id=listed.id, changed_since="meeting")
    library.changes.add([_status_change(trial_id, dt.datetime.now(dt.UTC))])
    assert [t.id for t in library.trials.list(query)] == ([trial_id] if ahead else [])


def _status_change(trial_id: str, seen_at: dt.datetime):
    from tracker.domain.changes import FieldChange, Significance

    return FieldChange(trial_id=trial_id, field="overall_status", old="RECRUITING",
                       new="COMPLETED", significance=Significance.MAJOR, seen_at=seen_at)


def test_the_last_export_before_today_is_by_the_local_day_too(local_day_differs_from_utc,
                                                            empty_library):
    """The handout's fallback window (no past meeting) starts at the list's last export made
    before today: "today" begins at local midnight, and the window's date is the export's
    local date."""
    ahead, library = local_day_differs_from_utc, empty_library
    library.watchlists.create(LIST)
    midnight = dt.datetime.combine(users_today(), dt.time()).astimezone()
    # ahead of UTC: made this morning (local), on yesterday's UTC date; behind: made
    # yesterday evening (local), on today's UTC date
    made = midnight + (dt.timedelta(minutes=30) if ahead else -dt.timedelta(hours=6))
    assert (made.astimezone(dt.UTC).date() < users_today()) is ahead
    library.watchlists.record_export(LIST, made)
    assert library.watchlists.last_exported_before(LIST, users_today()) == (
        None if ahead else made)
    window = build_handout(library, LIST).window
    assert (window.since, window.reason) == (
        (users_today() - dt.timedelta(days=30), "the last 30 days") if ahead
        else (users_today() - dt.timedelta(days=1), "the list's last export"))


def test_a_meeting_moved_before_it_came_is_not_a_past_meeting(empty_library):
    """A postponed meeting or a corrected typo was never held: the next handout still counts
    from the meeting before it (a reviewer lost three weeks of changes to a typo)."""
    library, today = empty_library, users_today()
    held = today - dt.timedelta(days=28)
    library.watchlists.create(LIST, meeting_date=held)
    library.watchlists.update(LIST, meeting_date=today + dt.timedelta(days=7))  # it was held
    typo = today - dt.timedelta(days=8) + dt.timedelta(days=30)  # a month out by mistake
    library.watchlists.update(LIST, meeting_date=typo)
    postponed = library.watchlists.update(LIST, meeting_date=today + dt.timedelta(days=7))
    assert library.watchlists.past_meetings(LIST) == [held]
    assert postponed.previous_meeting == held
    assert build_handout(library, LIST).window.since == held


def test_a_meeting_date_replaced_on_its_day_is_a_held_meeting(empty_library):
    """A reviewer set January's date the evening of December's meeting, and the January
    handout would have repeated December's changes, "since" the November meeting. The
    meeting of today is held once its date is replaced; from tomorrow it is the meeting the
    changes count from (on its own day a handout still counts from the one before)."""
    library, today = empty_library, users_today()
    before = today - dt.timedelta(days=28)
    library.watchlists.create(LIST, meeting_date=before)
    library.watchlists.update(LIST, meeting_date=today)
    current = library.watchlists.get(LIST)
    assert current.replaces_todays_meeting(today + dt.timedelta(days=35), today)
    assert not current.replaces_todays_meeting(today, today)
    library.watchlists.update(LIST, meeting_date=today + dt.timedelta(days=35))
    assert library.watchlists.past_meetings(LIST) == [today, before]
    assert library.watchlists.get(LIST).meeting_behind(today) == before


def test_a_change_is_dated_and_windowed_by_the_local_day(local_day_differs_from_utc,
                                                        empty_library, tmp_path, capsys):
    """A change seen on the user's day D (whose UTC date is another day) is dated D and is in
    a window "since D", not in one "since D + 1", in Python, in SQL, in the handout and in
    `tracker changes`: a sync on the meeting morning east of UTC was dated the day before and
    fell out of both that meeting's handout and the next."""
    from tests.unit.test_cli import run

    ahead, library = local_day_differs_from_utc, empty_library
    day = users_today() - dt.timedelta(days=1)
    seen = start_of_day(day) + (dt.timedelta(minutes=30) if ahead else dt.timedelta(hours=23))
    assert local_day(seen) == day != seen.astimezone(dt.UTC).date()
    trial_id = "NCT03391466"
    library.trials.insert([Trial(id=trial_id, brief_title="ZUMA-7")])
    library.changes.add([_status_change(trial_id, seen)])
    library.watchlists.create(LIST, meeting_date=day)  # yesterday's meeting: past
    library.watchlists.add(LIST, [trial_id])
    listed = library.watchlists.get(LIST)
    assert [c.seen_at for c in library.changes.since(day)] == [seen]
    assert library.changes.since(day + dt.timedelta(days=1)) == []
    for since, found in ((day.isoformat(), [trial_id]), ("meeting", [trial_id]),
                         ((day + dt.timedelta(days=1)).isoformat(), [])):
        query = TrialQuery(watchlist_id=listed.id, changed_since=since)
        assert [t.id for t in library.trials.list(query)] == found, since
    handout = build_handout(library, LIST)
    assert handout.window.since == day
    assert [c.describe() for c in handout.trials[0].changes_since] == [
        f"{day}: status Recruiting → Completed"]
    code, out, _err = run(capsys, "--data-dir", str(tmp_path), "changes", "--watchlist", LIST,
                          "--since", "meeting")
    assert code == 0 and out.startswith(f"{day}  major  {trial_id}"), out


def test_a_date_an_earlier_build_archived_before_it_came_is_not_a_held_meeting(empty_library):
    """Earlier builds archived every replaced meeting date. A row archived before its day
    (a postponement, a typo) must not become "the previous meeting" once its day passes."""
    library, today = empty_library, users_today()
    held, never = today - dt.timedelta(days=20), today - dt.timedelta(days=1)
    trial_id = "NCT02993523"
    library.trials.insert([Trial(id=trial_id, brief_title="VIALE-A")])
    listed = library.watchlists.create(LIST, meeting_date=today + dt.timedelta(days=7))
    library.watchlists.add(LIST, [trial_id])
    with library.transaction() as conn:  # as an earlier build left them
        conn.executemany(
            "INSERT INTO watchlist_meetings (watchlist_id, meeting_date, archived_at) "
            "VALUES (?, ?, ?)",
            [(listed.id, held.isoformat(), f"{held + dt.timedelta(days=1)}T09:00:00+00:00"),
             (listed.id, never.isoformat(), f"{never - dt.timedelta(days=5)}T09:00:00+00:00")])
    assert library.watchlists.get(LIST).previous_meeting == held
    assert library.watchlists.past_meetings(LIST) == [held]
    library.changes.add([_status_change(trial_id, start_of_day(held) + dt.timedelta(days=3))])
    query = TrialQuery(watchlist_id=listed.id, changed_since="meeting")
    assert [t.id for t in library.trials.list(query)] == [trial_id]  # counted from `held`


def test_a_handout_is_dated_by_the_local_day_it_was_made(local_day_differs_from_utc,
                                                        empty_library):
    """The handout's "generated" date, its footer and the "today" of its timeline, calendar
    and citations are the user's day, as its "registry last checked" date is."""
    from tracker.services.exports import export_bytes

    library = empty_library
    library.watchlists.create(LIST, meeting_date=users_today() + dt.timedelta(days=7))
    now = dt.datetime.now(dt.UTC)
    assert build_handout(library, LIST, now=now).day == users_today() != now.date()
    html = export_bytes(library, LIST, "html", now=now).decode()
    assert f"generated {users_today()} by Trial Tracker" in html
