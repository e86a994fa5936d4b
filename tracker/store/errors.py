"""SQLite's failures in words: which of them a user can act on, and what to do about each.

`library_error(error, path)` turns the sqlite3 errors a user can meet (lock held too long,
disk full, damaged pages, read-only file) into a LibraryError subclass with one plain
sentence. Errors that are ours to handle (constraint violations) are returned as None.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tracker.domain.errors import (
    LibraryBusyError,
    LibraryDamagedError,
    LibraryError,
    LibraryFullError,
    LibraryReadOnlyError,
)

# Primary result codes (https://sqlite.org/rescode.html); the extended code's low byte.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def library_error(error: sqlite3.Error, path: Path | str,
                  busy_seconds: float | None = None) -> LibraryError | None:
    """The user-facing error for `error` on the library at `path`, or None if not one."""
    code = primary_code(error)
    text = str(error)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN) and _disk_nearly_full(path):
        code = SQLITE_FULL  # the -shm or -wal file could not grow: the disk is full
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text:
        waited = f" (waited {busy_seconds:g} s)" if busy_seconds else ""
        return LibraryBusyError(
            f"the library {path} is locked by another program{waited}: close the other "
            "Trial Tracker window or program using it, then try again")
    if code == SQLITE_FULL or "database or disk is full" in text:
        return LibraryFullError(
            f"the disk holding the library {path} is full: free some space, then try again "
            "(what failed to be written was not saved; the library is intact)")
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
        return LibraryDamagedError(
            f"the library {path} is damaged ({text}): run `tracker doctor` for details, and "
            "restore a backup copy of the file (library.schema*.bak.sqlite3 next to it, or "
            "your own backup)")
    if code == SQLITE_READONLY or "readonly database" in text:
        return LibraryReadOnlyError(
            f"the library {path} cannot be written (read-only file, folder or file system): "
            "copy it to a writable folder and use --data-dir, or change the folder's permissions")
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return LibraryError(
            f"cannot read or write the library {path} ({text}): check that its disk is "
            "mounted and healthy, then try again")
    return None


NEARLY_FULL_BYTES = 1024 * 1024


def _disk_nearly_full(path: Path | str) -> bool:
    """Under 1 MiB free where the library lives: what an I/O error there most likely means."""
    try:
        return shutil.disk_usage(Path(path).parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False
