"""Open the library file: pragmas, the newer-version check, migrations, per-thread connections."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from tracker.domain.errors import LibraryError
from tracker.domain.geo import km_between
from tracker.store.migrations import migrate, refuse_newer

log = logging.getLogger(__name__)


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (see Database.transaction), so nothing
    # commits half a batch behind our back.
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    # great-circle km for "recruiting within N km" (SQLite's math functions are optional)
    conn.create_function("geo_km", 4, km_between, deterministic=True)
    return conn


class Database:
    """One library file. Each thread gets its own sqlite3 connection; none crosses threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.backup_path: Path | None = None
        self._open_and_migrate()

    def _open_and_migrate(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                refuse_newer(conn, self.path)  # before any pragma that could write
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                self.backup_path = migrate(conn, self.path)
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            raise LibraryError(f"cannot open the library {self.path}: {error}") from error

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection wrapped by sqlite-utils, for maintenance and inspection.

        Imported on first use: sqlite-utils loads click and its plugin system, which would
        add ~150 ms to every start of the window for no benefit on the hot paths."""
        import sqlite_utils

        wrapped = getattr(self._local, "db", None)
        if wrapped is None or wrapped.conn is not self.conn:
            wrapped = sqlite_utils.Database(self.conn)
            self._local.db = wrapped
        return wrapped

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows as dicts (column name -> value)."""
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception.

        Nested use joins the outer transaction, so a service can group repository calls.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # also when COMMIT itself failed (disk full, I/O error)
                conn.execute("ROLLBACK")
            raise

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close every thread's connection (call when all workers have stopped)."""
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
