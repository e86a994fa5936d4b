"""Watch-list use cases for the window: each returns the lists' new state for the tree."""

from __future__ import annotations

import datetime as dt

from tracker.domain import WatchList
from tracker.store import Library


def create_list(library: Library, name: str, description: str = "",
                meeting_date: dt.date | None = None) -> WatchList:
    return library.watchlists.create(name.strip(), description, meeting_date)


def edit_list(library: Library, name: str, new_name: str, description: str,
              meeting_date: dt.date | None) -> WatchList:
    return library.watchlists.update(name, new_name=new_name.strip(), description=description,
                                     meeting_date=meeting_date)


def forget_meeting(library: Library, name: str, day: dt.date) -> WatchList:
    """Drop a past meeting that did not take place (`tracker watchlist rename NAME
    --forget-meeting DATE` does the same); the handouts count from the one before."""
    return library.watchlists.forget_meeting(name, day)


def delete_list(library: Library, name: str) -> None:
    library.watchlists.delete(name)


def add_to_list(library: Library, name: str, trial_ids: list[str]) -> WatchList:
    return library.watchlists.add(name, trial_ids)


def remove_from_list(library: Library, name: str, trial_ids: list[str]) -> WatchList:
    return library.watchlists.remove(name, trial_ids)


def move_in_list(library: Library, name: str, trial_ids: list[str], offset: int) -> WatchList:
    """Move the given trials up (negative offset) or down in the list's order."""
    order = list(library.watchlists.get(name).trial_ids)
    moving = [i for i in order if i in trial_ids]
    rest = [i for i in order if i not in trial_ids]
    first = order.index(moving[0]) if moving else 0
    insert_at = max(0, min(len(rest), first + offset))
    return library.watchlists.reorder(name, rest[:insert_at] + moving + rest[insert_at:])
