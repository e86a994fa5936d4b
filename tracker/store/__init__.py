"""SQLite storage (sqlite-utils, WAL): the library file and its repositories."""

from __future__ import annotations

from pathlib import Path

from tracker.store.annotations import NoteRepository, TagRepository
from tracker.store.cards import CardRepository, TrialCard
from tracker.store.database import Database
from tracker.store.history import HistoryRepository, MetaRepository
from tracker.store.migrations import LATEST_VERSION
from tracker.store.query import SortKey, TrialQuery
from tracker.store.trials import TrialRepository
from tracker.store.watchlists import WatchListError, WatchListRepository

LIBRARY_FILE_NAME = "library.sqlite3"


class Library:
    """The opened library: one database file and a repository per kind of record."""

    def __init__(self, path: Path) -> None:
        self.database = Database(path)
        self.trials = TrialRepository(self.database)
        self.notes = NoteRepository(self.database)
        self.tags = TagRepository(self.database)
        self.history = HistoryRepository(self.database)
        self.watchlists = WatchListRepository(self.database)
        self.meta = MetaRepository(self.database)
        self.cards = CardRepository(self.database)

    @property
    def path(self) -> Path:
        return self.database.path

    def transaction(self):
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()


__all__ = [
    "LATEST_VERSION",
    "LIBRARY_FILE_NAME",
    "Library",
    "SortKey",
    "TrialCard",
    "TrialQuery",
    "WatchListError",
]
