"""The user's day: meeting dates are days on the user's calendar (no pydantic: `tracker show`
stays lean)."""

from __future__ import annotations

import datetime as dt


def users_today(now: dt.datetime | None = None) -> dt.date:
    """The day on the user's calendar at `now` (default: now). Whether a meeting is past is
    asked in local time, never in UTC (in SQL: `date('now', 'localtime')`)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone().date()
