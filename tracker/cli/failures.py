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
