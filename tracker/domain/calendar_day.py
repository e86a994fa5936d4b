"""The user's day: meeting dates and "changes since" dates are days on the user's calendar,
so they begin at local midnight and a change is dated by the local day it was seen (no
pydantic: `tracker show` stays lean)."""

from __future__ import annotations

import datetime as dt


def users_today(now: dt.datetime | None = None) -> dt.date:
    """The day on the user's calendar at `now` (default: now). Whether a meeting is past is
    asked in local time, never in UTC (in SQL: `date('now', 'localtime')`)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone().date()


def start_of_day(day: dt.date) -> dt.datetime:
    """The moment `day` begins on the user's calendar (local midnight), timezone-aware: a
    window "since 2026-12-03" starts here, not at UTC midnight (in SQL:
    `strftime('%Y-%m-%dT%H:%M:%S', day, 'utc')`)."""
    return dt.datetime.combine(day, dt.time()).astimezone()


def local_day(moment: dt.datetime) -> dt.date:
    """The user's calendar day of a stored (UTC) moment: what a change is dated by."""
    return moment.astimezone().date()
