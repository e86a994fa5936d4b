"""Whether a name may name a watch list: the name rules and the one rule for a taken name,
for those who check before the store does (the window's dialog, on the lists it has read)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from tracker.domain.limits import comparable_name
from tracker.domain.models import WatchList


def name_taken_message(taken: str) -> str:
    """The one sentence for a name another list has (`taken`: that list's spelling)."""
    return f"a watch list named {taken!r} already exists; choose another name"


def list_named(name: str, lists: Iterable[WatchList],
               renaming: int | None = None) -> WatchList | None:
    """The list of `lists` that `name` is the same name as (`comparable_name`: NFKC, case and
    spaces folded, as the store finds names), other than the list `renaming`; None when free."""
    wanted = comparable_name(name)
    return next((wl for wl in lists
                 if wl.id != renaming and comparable_name(wl.name) == wanted), None)


def watchlist_name_problem(name: str, lists: Iterable[WatchList],
                           renaming: int | None = None) -> str | None:
    """Why `name` cannot name a watch list among `lists` (renaming the list of id `renaming`),
    or None: too long, control characters, blank (`check_name`), or taken. `lists` are as the
    caller last read them: the store checks again when it saves."""
    try:
        name = WatchList(name=name).name
    except ValidationError as error:
        return error.errors()[0]["msg"].removeprefix("Value error, ")
    taken = list_named(name, lists, renaming)
    return None if taken is None else name_taken_message(taken.name)
