"""UTC timestamps as the library stores them (ISO 8601 text)."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_text(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC; sub-second precision only when there is some (sync runs need it)."""
    if moment is None:
        return None
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    return moment.astimezone(dt.UTC).isoformat(timespec=spec)


def from_text(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None
