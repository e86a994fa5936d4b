"""One line for an SQLite failure that reached the command line outside a transaction, and
the read-only check commands that write make before they start."""

from __future__ import annotations

import sqlite3

from tracker.domain import LibraryReadOnlyError
from tracker.store.errors import library_error


def library_message(error: sqlite3.Error, context) -> str:
    path = context.library.path if context is not None else "file"
    translated = library_error(error, path)
    return str(translated) if translated else f"the library {path} failed: {error}"


def require_writable(context) -> None:
    """Refuse at once, before any network work, when the library is open read-only."""
    if context.library.read_only:
        raise LibraryReadOnlyError(context.library.database.read_only_message())


def with_next_step(error: Exception) -> str:
    """The message of a well-formed request that found nothing, with what to do next."""
    from tracker.domain import TrialNotFoundError, is_nct_id
    from tracker.store.watchlists import WatchListError

    message = str(error)
    if isinstance(error, TrialNotFoundError) and is_nct_id(error.trial_id):
        return f"{message}; add it from the registry first: tracker add {error.trial_id}"
    if isinstance(error, WatchListError) and message.startswith("no watch list named"):
        return f"{message} (see: tracker watchlist ls)"
    return message


def local_id_problem(texts: list[str], command: str) -> str | None:
    """`tracker sync LOCAL-…` / `add LOCAL-…`: a local study has no registry record."""
    from tracker.domain.ids import is_local_id

    local = [text.strip() for text in texts if is_local_id(text.strip().upper())]
    if not local:
        return None
    what = "nothing to sync" if command == "sync" else "nothing to add from it"
    return (f"{', '.join(local)} {'is a local study' if len(local) == 1 else 'are local studies'}"
            f": local studies have no registry record, so there is {what} (only NCT ids are "
            "in the registry)")
