"""One line for an SQLite failure that reached the command line outside a transaction, and
the read-only check commands that write make before they start."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from tracker.domain import InvalidTrialIdError, LibraryReadOnlyError, TrackerError
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
    return message + registry_next_step(message)


REGISTRY_NEXT_STEP = ("check the registry address (--api-url, $TRACKER_API_URL or the "
                      "desktop app's Preferences) and your network connection, then try again")


def registry_next_step(message: str) -> str:
    """"; check the registry address … then try again" after a message saying the registry
    could not be reached (`RegistryUnreachableError`), else ""."""
    from tracker.ctgov.errors import UNREACHABLE_WORDS

    return f"; {REGISTRY_NEXT_STEP}" if UNREACHABLE_WORDS in message else ""


def registry_next_sentence(message: str) -> str:
    """The same next step as a sentence of its own, after a message that ends with one."""
    step = registry_next_step(message)
    return f" {step[2].upper()}{step[3:]}." if step else ""


def local_id_problem(texts: list[str]) -> str | None:
    """`tracker sync LOCAL-…`: a local study has no registry record (`tracker add LOCAL-…`
    brings back a curated one, from the curated library)."""
    from tracker.domain.ids import is_local_id

    local = [text.strip() for text in texts if is_local_id(text.strip().upper())]
    if not local:
        return None
    return (f"{', '.join(local)} {'is a local study' if len(local) == 1 else 'are local studies'}"
            ": local studies have no registry record, so there is nothing to sync (only NCT "
            "ids are in the registry)")


class NoneDone(TrackerError):
    """A refusal of one of several ids, said with what it meant for the others."""


@contextmanager
def all_or_none(count: int, none_done: str) -> Iterator[None]:
    """For a command that checks every id before it acts on any: with several ids, a refusal
    also says that none was acted on (`none_done`: "nothing was removed"); a user who pasted
    20 ids with one typo would otherwise believe 19 went through. A malformed id keeps its
    own error (exit 2)."""
    try:
        yield
    except InvalidTrialIdError:
        raise
    except TrackerError as error:
        if count < 2:
            raise
        raise NoneDone(f"{error}; {none_done}") from error
