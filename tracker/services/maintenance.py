"""Library health: what the file holds, integrity, WAL checkpoint, search index rebuild."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tracker.store import Library
from tracker.store.damaged_rows import damaged_trial_rows
from tracker.store.location import backups_beside
from tracker.store.migrations import read_version
from tracker.store.rows import trial_from_row
from tracker.store.versions import VersionStats

MAX_PROBLEMS = 20  # integrity_check lines shown; a badly damaged file has thousands


@dataclass(frozen=True)
class LibraryHealth:
    path: str
    schema_version: int
    table_counts: dict[str, int | str]  # a count, or why the table could not be counted
    integrity: str  # "ok", or how many problems SQLite found
    wal_pages_checkpointed: int
    versions: VersionStats | None = None  # None when the file is too damaged to count them
    problems: list[str] = field(default_factory=list)
    damaged_records: list[str] = field(default_factory=list)  # "NCT…: why", fields unreadable

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.damaged_records


def inspect_library(library: Library, checkpoint: bool = True) -> LibraryHealth:
    """Counts per table (via sqlite-utils' introspection), integrity check, WAL checkpoint.
    Damage is reported, not raised: finding it is what this is for."""
    conn = library.database.conn
    problems = _integrity_problems(conn)
    counts: dict[str, int | str] = {}
    db = library.database.db
    for name in db.table_names():
        if not name.startswith("trial_search_"):
            try:
                counts[name] = db[name].count
            except sqlite3.DatabaseError as error:
                counts[name] = f"unreadable ({error})"
    checkpointed = 0
    if checkpoint and not problems:
        checkpointed = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[2]
    integrity = "ok" if not problems else f"{len(problems)} problem(s) found"
    return LibraryHealth(str(library.path), read_version(conn), counts, integrity, checkpointed,
                         _version_stats(library), problems[:MAX_PROBLEMS],
                         _damaged_records(conn) if not problems else [])


def _damaged_records(conn: sqlite3.Connection) -> list[str]:
    """Trial rows whose fields cannot be read (SQLite's check does not look inside them)."""
    try:
        return damaged_trial_rows(conn, trial_from_row, limit=MAX_PROBLEMS)
    except sqlite3.DatabaseError as error:
        return [f"the trials table could not be read ({error})"]


def _integrity_problems(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(100)")]
    except sqlite3.DatabaseError as error:  # damage that stops the check itself
        return [str(error)]
    return [] if rows == ["ok"] else rows


def _version_stats(library: Library) -> VersionStats | None:
    try:
        return library.versions.stats()
    except sqlite3.DatabaseError:
        return None


def rebuild_search_index(library: Library) -> int:
    """Drop and refill every search row from the trials, notes and tags; return the count."""
    with library.transaction() as conn:
        conn.execute("DELETE FROM trial_search")
        conn.execute("INSERT INTO trial_search (rowid, title, acronym, drugs, diseases, "
                     "conditions, notes) SELECT * FROM trial_search_source")
        return conn.execute("SELECT count(*) FROM trial_search").fetchone()[0]


@dataclass(frozen=True)
class UnopenableDiagnosis:
    """What doctor can say about a library file that cannot even be opened."""
    path: str
    size: int | None  # None when the file is missing or unreadable
    problems: list[str]
    backups: list[str]  # names of the *.bak* files beside it, newest first
    #: names of its -wal and -shm files: they must go before a backup is copied over it
    wal_files: list[str] = field(default_factory=list)


def diagnose_unopenable(path: Path) -> UnopenableDiagnosis:
    """Run SQLite's integrity check on a file the library could not open, read-only (the
    file is never written), and list the backups beside it."""
    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    problems: list[str] = []
    if size:  # SQLite opening a 0-byte file deletes the -wal beside it: nothing to check anyway
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as error:
            problems = [str(error)]
        else:
            try:
                problems = _integrity_problems(conn)
            finally:
                conn.close()
    wal_files = [f"{path.name}{suffix}" for suffix in ("-wal", "-shm")
                 if os.path.lexists(f"{path}{suffix}")]
    return UnopenableDiagnosis(str(path), size, problems[:MAX_PROBLEMS],
                               [p.name for p in backups_beside(path)], wal_files)
