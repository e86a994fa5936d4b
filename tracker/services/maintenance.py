"""Library health: what the file holds, integrity, WAL checkpoint, search index rebuild."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.store import Library
from tracker.store.migrations import read_version
from tracker.store.versions import VersionStats


@dataclass(frozen=True)
class LibraryHealth:
    path: str
    schema_version: int
    table_counts: dict[str, int]
    integrity: str
    wal_pages_checkpointed: int
    versions: VersionStats


def inspect_library(library: Library, checkpoint: bool = True) -> LibraryHealth:
    """Counts per table (via sqlite-utils' introspection), integrity check, WAL checkpoint."""
    db = library.database.db
    counts = {name: db[name].count for name in db.table_names()
              if not name.startswith("trial_search_")}
    conn = library.database.conn
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    checkpointed = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[2] \
        if checkpoint else 0
    return LibraryHealth(str(library.path), read_version(conn), counts, integrity, checkpointed,
                         library.versions.stats())


def rebuild_search_index(library: Library) -> int:
    """Drop and refill every search row from the trials, notes and tags; return the count."""
    with library.transaction() as conn:
        conn.execute("DELETE FROM trial_search")
        conn.execute("INSERT INTO trial_search (rowid, title, acronym, drugs, diseases, "
                     "conditions, notes) SELECT * FROM trial_search_source")
        return conn.execute("SELECT count(*) FROM trial_search").fetchone()[0]
