"""Reading the change log: "changed since …" windows, the CLI's list and its JSON shape.

A window starts at the last sync, a date, or a watch list's meeting date; `ChangeWindow`
names which, so a view or a handout can say what it is showing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tracker.domain import users_today
from tracker.domain.changes import FieldChange, most_significant
from tracker.store import Library
from tracker.store.versions import VersionInfo

LAST_SYNC, MEETING = "last-sync", "meeting"


@dataclass(frozen=True)
class ChangeWindow:
    """Changes seen at or after `since` (None: all of them), described in words."""

    since: dt.datetime | dt.date | None
    label: str


class ChangeWindowError(ValueError):
    """A window that cannot be built (no sync yet, a list without a meeting date)."""


def change_window(library: Library, since: str | dt.date | None, watchlist: str | None = None,
                  today: dt.date | None = None) -> ChangeWindow:
    """`since` is a date, "last-sync", "meeting" (the watch list's meeting: its latest one
    before `today`, the user's day, as the handouts take it) or None."""
    if since is None:
        return ChangeWindow(None, "all changes")
    if isinstance(since, dt.date):
        return ChangeWindow(since, f"since {since.isoformat()}")
    if since == LAST_SYNC:
        last = library.meta.last_sync_at
        if last is None:
            raise ChangeWindowError("the library was never synced: run `tracker sync` first")
        return ChangeWindow(last, f"since the last sync ({last:%Y-%m-%d %H:%M} UTC)")
    if since == MEETING:
        if not watchlist:
            raise ChangeWindowError("--since meeting needs --watchlist NAME")
        return _since_meeting(library, watchlist, today or users_today())
    raise ChangeWindowError(f"not a date, {LAST_SYNC!r} or {MEETING!r}: {since}")


def _since_meeting(library: Library, watchlist: str, today: dt.date) -> ChangeWindow:
    """Since the list's meeting (`WatchList.meeting_behind`): when its meeting date is still
    ahead or today (the usual case before a journal club), since its previous one."""
    listed = library.watchlists.get(watchlist)
    meeting = listed.meeting_date
    if meeting is None:
        raise ChangeWindowError(f"the watch list {watchlist!r} has no meeting date: set one "
                                "with `tracker watchlist rename NAME --meeting-date DATE`")
    behind = listed.meeting_behind(today)
    if behind is None:
        raise ChangeWindowError(
            f"the watch list {watchlist!r} meets on {meeting.isoformat()}, not past yet, and no "
            "earlier meeting is recorded: use --since last-sync or --since YYYY-MM-DD")
    if behind == meeting:
        return ChangeWindow(meeting, f"since the {watchlist} meeting ({meeting.isoformat()})")
    return ChangeWindow(behind, f"since the {watchlist} previous meeting "
                                f"({behind.isoformat()}; the next is on {meeting.isoformat()})")


def list_changes(library: Library, window: ChangeWindow, *, watchlist: str | None = None,
                 major_only: bool = False) -> list[FieldChange]:
    """Changes in the window, newest first (major first among those seen together)."""
    ids = list(library.watchlists.get(watchlist).trial_ids) if watchlist else None
    return library.changes.since(window.since, trial_ids=ids, major_only=major_only)


def card_markers(library: Library, since: dt.datetime | dt.date | None) -> dict[str, FieldChange]:
    """Per trial, the most significant change seen since `since` (what its card shows)."""
    by_trial: dict[str, list[FieldChange]] = {}
    for change in library.changes.since(since):
        by_trial.setdefault(change.trial_id, []).append(change)
    return {trial_id: marker for trial_id, changes in by_trial.items()
            if (marker := most_significant(changes)) is not None}


def change_json(change: FieldChange) -> dict[str, Any]:
    """The documented change object (docs/cli-json.md)."""
    return {
        "trial_id": change.trial_id, "field": change.field, "label": change.label,
        "old": change.old, "new": change.new, "detail": change.detail,
        "significance": change.significance.value, "registry_date": change.registry_date,
        "seen_at": change.seen_at.isoformat(), "description": change.describe(),
    }


def versions_json(versions: list[VersionInfo]) -> dict[str, Any]:
    return {"count": len(versions),
            "dates": [{"last_update_posted": v.last_update_posted,
                       "seen_at": v.seen_at.isoformat()} for v in versions]}
