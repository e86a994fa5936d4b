"""SQLite storage (sqlite-utils, WAL): the library file and its repositories.

Names are loaded on first use (PEP 562) so that the window's first paint does not wait for
the repositories and the pydantic models behind them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.lazy import lazy_attributes

LIBRARY_FILE_NAME = "library.sqlite3"

_WHERE = {
    "LATEST_VERSION": "migrations", "SortKey": "query", "TrialQuery": "query",
    "TrialCard": "cards", "WatchListError": "watchlists",
}


class Library:
    """The opened library: one database file and a repository per kind of record.

    Each repository is made (and its module imported) on first use: `tracker show` reads a
    few tables and does not import the pydantic models behind the others."""

    def __init__(self, path: Path, read_only: bool | None = None) -> None:
        from tracker.store.database import Database

        self.database = Database(path, read_only)

    @cached_property
    def trials(self) -> TrialRepository:
        from tracker.store.trials import TrialRepository

        return TrialRepository(self.database)

    @cached_property
    def notes(self) -> NoteRepository:
        from tracker.store.annotations import NoteRepository

        return NoteRepository(self.database)

    @cached_property
    def tags(self) -> TagRepository:
        from tracker.store.annotations import TagRepository

        return TagRepository(self.database)

    @cached_property
    def history(self) -> HistoryRepository:
        from tracker.store.history import HistoryRepository

        return HistoryRepository(self.database)

    @cached_property
    def watchlists(self) -> WatchListRepository:
        from tracker.store.watchlists import WatchListRepository

        return WatchListRepository(self.database)

    @cached_property
    def meta(self) -> MetaRepository:
        from tracker.store.history import MetaRepository

        return MetaRepository(self.database)

    @cached_property
    def cards(self) -> CardRepository:
        from tracker.store.cards import CardRepository

        return CardRepository(self.database)

    @cached_property
    def versions(self) -> VersionRepository:
        from tracker.store.versions import VersionRepository

        return VersionRepository(self.database)

    @cached_property
    def changes(self) -> ChangeRepository:
        from tracker.store.changes import ChangeRepository

        return ChangeRepository(self.database)

    @cached_property
    def views(self) -> ViewRepository:
        """Trials and notes read for display only (no validation, no pydantic)."""
        from tracker.store.views import ViewRepository

        return ViewRepository(self.database)

    @cached_property
    def sites(self) -> SiteRepository:
        from tracker.store.sites import SiteRepository

        return SiteRepository(self.database)

    @property
    def read_only(self) -> bool:
        """Opened without write access (a read-only share or backup): browse and export only."""
        return self.database.read_only

    @property
    def path(self) -> Path:
        return self.database.path

    def still_at_its_path(self) -> bool:
        """False once the library file was moved, deleted or replaced since it was opened:
        writes since then went to the old file, not to the one at `path` (one os.stat)."""
        return self.database.still_at_its_path()

    def transaction(self):
        return self.database.transaction()

    def close(self) -> None:
        self.database.close()


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


__all__ = ["LATEST_VERSION", "LIBRARY_FILE_NAME", "Library", "SortKey", "TrialCard",
           "TrialQuery", "WatchListError"]

if TYPE_CHECKING:
    from tracker.store.annotations import NoteRepository, TagRepository
    from tracker.store.cards import CardRepository, TrialCard
    from tracker.store.changes import ChangeRepository
    from tracker.store.history import HistoryRepository, MetaRepository
    from tracker.store.migrations import LATEST_VERSION
    from tracker.store.query import SortKey, TrialQuery
    from tracker.store.sites import SiteRepository
    from tracker.store.trials import TrialRepository
    from tracker.store.versions import VersionRepository
    from tracker.store.views import ViewRepository
    from tracker.store.watchlists import WatchListError, WatchListRepository
