"""SQLite storage (sqlite-utils, WAL): the library file and its repositories.

Names are loaded on first use (PEP 562) so that the window's first paint does not wait for
the repositories and the pydantic models behind them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.lazy import lazy_attributes

LIBRARY_FILE_NAME = "library.sqlite3"

_WHERE = {
    "LATEST_VERSION": "migrations", "SortKey": "query", "TrialQuery": "query",
    "TrialCard": "cards", "WatchListError": "watchlists",
}


class Library:
    """The opened library: one database file and a repository per kind of record."""

    def __init__(self, path: Path, read_only: bool | None = None) -> None:
        from tracker.store.annotations import NoteRepository, TagRepository
        from tracker.store.cards import CardRepository
        from tracker.store.changes import ChangeRepository
        from tracker.store.database import Database
        from tracker.store.history import HistoryRepository, MetaRepository
        from tracker.store.sites import SiteRepository
        from tracker.store.trials import TrialRepository
        from tracker.store.versions import VersionRepository
        from tracker.store.watchlists import WatchListRepository

        self.database = Database(path, read_only)
        self.trials = TrialRepository(self.database)
        self.notes = NoteRepository(self.database)
        self.tags = TagRepository(self.database)
        self.history = HistoryRepository(self.database)
        self.watchlists = WatchListRepository(self.database)
        self.meta = MetaRepository(self.database)
        self.cards = CardRepository(self.database)
        self.versions = VersionRepository(self.database)
        self.changes = ChangeRepository(self.database)
        self.sites = SiteRepository(self.database)

    @property
    def read_only(self) -> bool:
        """Opened without write access (a read-only share or backup): browse and export only."""
        return self.database.read_only

    @property
    def path(self) -> Path:
        return self.database.path

    def transaction(self):
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


__all__ = ["LATEST_VERSION", "LIBRARY_FILE_NAME", "Library", "SortKey", "TrialCard",
           "TrialQuery", "WatchListError"]

if TYPE_CHECKING:
    from tracker.store.cards import TrialCard
    from tracker.store.migrations import LATEST_VERSION
    from tracker.store.query import SortKey, TrialQuery
    from tracker.store.watchlists import WatchListError
