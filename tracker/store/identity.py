"""Is this file a Trial Tracker library? Decided from the file as it is, before any write.

A library is marked with `PRAGMA application_id = APPLICATION_ID` (the bytes "TrTk",
0x5472546B, stored at offset 68 of the SQLite header; see https://sqlite.org/fileformat.html).
Libraries written before the mark existed (application_id 0, user_version >= 1, our tables)
are adopted and stamped. Anything else that is not empty is another program's file.
"""

from __future__ import annotations

import enum
import os
import sqlite3
from pathlib import Path

from tracker.domain.errors import LibraryError, NotALibraryError
from tracker.store.location import (
    library_file_status,
    refuse_emptied_library,
    refuse_unless_file,
)

APPLICATION_ID = 0x5472546B  # "TrTk"
SQLITE_MAGIC = b"SQLite format 3\x00"
OUR_TABLES = frozenset({"trials", "notes", "meta"})


class FileKind(enum.Enum):
    NEW = "new"  # missing, or an SQLite file with no schema at all
    EMPTY = "empty"  # zero bytes, with no backup or -wal file beside it: started afresh
    OURS = "ours"  # carries our application_id
    LEGACY = "legacy"  # written by a version before the application_id mark


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """A URI that opens `path` without ever writing to it (immutable: no locks or -shm)."""
    flag = "immutable=1" if immutable else "mode=ro"
    return f"{path.resolve().as_uri()}?{flag}"  # file:///… with the path percent-encoded


def classify(path: Path) -> FileKind:
    """What `path` holds; NotALibraryError (nothing written) when it is someone else's file."""
    info = library_file_status(path)  # refuses a device, a named pipe, a symlink loop
    if info is None:
        return FileKind.NEW
    if info.st_size == 0:
        refuse_emptied_library(path)  # when a backup or a -wal file beside it holds data
        return FileKind.EMPTY
    header = _read_header(path)
    if not header.startswith(SQLITE_MAGIC):
        raise NotALibraryError(
            f"{path} is not a Trial Tracker library (not an SQLite database); it was left "
            "untouched: move it away or choose another --data-dir")
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return FileKind.OURS
    # the header on disk may be older than its copy in the -wal file: ask SQLite
    app_id, version, tables = _read_identity(path)
    if app_id == APPLICATION_ID:
        return FileKind.OURS
    if app_id == 0 and version == 0 and not tables:
        return FileKind.NEW
    if app_id == 0 and version >= 1 and OUR_TABLES <= tables:
        return FileKind.LEGACY
    owner = f"application id {app_id:#010x}" if app_id else f"schema version {version}"
    raise NotALibraryError(
        f"{path} is another program's SQLite database ({owner}), not a Trial Tracker library; "
        "it was left untouched: move it away or choose another --data-dir")


def _read_header(path: Path) -> bytes:
    """The first 100 bytes; O_NONBLOCK: a named pipe put there since it was looked at does
    not wait for a writer, it is refused."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:  # no permission to read it
        raise LibraryError(f"the library {path} cannot be read ({error.strerror}): check its "
                           "permissions, or choose another --data-dir") from None
    try:
        refuse_unless_file(path, os.fstat(handle).st_mode)
        return os.read(handle, 100)
    finally:
        os.close(handle)


def _read_identity(path: Path) -> tuple[int, int, set[str]]:
    """application_id, user_version and table names, read through a read-only connection."""
    for immutable in (False, True):  # immutable when the folder is read-only and -shm is needed
        try:
            conn = sqlite3.connect(read_only_uri(path, immutable), uri=True)
        except sqlite3.Error:
            continue
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            names = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            return app_id, version, names
        except sqlite3.DatabaseError as error:
            if immutable or "not a database" in str(error):
                raise NotALibraryError(
                    f"{path} cannot be read as a Trial Tracker library ({error}); it was left "
                    "untouched: restore a backup or choose another --data-dir") from error
        finally:
            conn.close()
    raise NotALibraryError(f"{path} cannot be opened to check what it is; it was left untouched")
