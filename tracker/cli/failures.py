"""One line for an SQLite failure that reached the command line outside a transaction."""

from __future__ import annotations

import sqlite3

from tracker.store.errors import library_error


def library_message(error: sqlite3.Error, context) -> str:
    path = context.library.path if context is not None else "file"
    translated = library_error(error, path)
    return str(translated) if translated else f"the library {path} failed: {error}"
