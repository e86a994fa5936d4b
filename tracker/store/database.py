"""Open the library file: pragmas, the newer-version check, migrations, per-thread connections."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

from tracker.domain.errors import (
    LibraryError,
    LibraryFullError,
    LibraryReadOnlyError,
    LibraryTooNewError,
)
from tracker.domain.geo import km_between
from tracker.store.errors import library_error
from tracker.store.identity import FileKind, classify, read_only_uri
from tracker.store.location import prepare_folder, started_afresh
from tracker.store.migrations import (
    LATEST_VERSION,
    READABLE_WITHOUT,
    migrate,
    read_version,
    refuse_newer,
    stamp_application_id,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_ENV = "TRACKER_BUSY_TIMEOUT"  # seconds to wait for another program's write lock
DEFAULT_BUSY_TIMEOUT = 30.0
PRIVATE_FILE_MODE = 0o600


def busy_timeout_seconds() -> float:
    """$TRACKER_BUSY_TIMEOUT in seconds (0 or more), else the default; a value that is not
    a number of seconds is reported once (a log warning) and the default used."""
    text = os.environ.get(BUSY_TIMEOUT_ENV)
    if text is None:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0.0 <= seconds <= MAX_BUSY_TIMEOUT:  # NaN fails this too
        _warn_bad_timeout(text)
        return DEFAULT_BUSY_TIMEOUT
    return seconds


MAX_BUSY_TIMEOUT = 24 * 3600.0
_warned: set[str] = set()


def _warn_bad_timeout(text: str) -> None:
    if text not in _warned:
        _warned.add(text)
        log.warning("%s=%r is not a number of seconds from 0 to %d; waiting the default %g s "
                    "for a lock", BUSY_TIMEOUT_ENV, text, MAX_BUSY_TIMEOUT, DEFAULT_BUSY_TIMEOUT)


def _connect(path: Path, read_only_uri: str | None = None) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (see Database.transaction), so nothing
    # commits half a batch behind our back.
    timeout = busy_timeout_seconds()
    if read_only_uri:
        conn = sqlite3.connect(read_only_uri, uri=True, isolation_level=None, timeout=timeout)
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    # great-circle km for "recruiting within N km" (SQLite's math functions are optional)
    conn.create_function("geo_km", 4, km_between, deterministic=True)
    return conn


def is_writable(path: Path) -> bool:
    """Can the library (and the -wal/-shm files beside it) be written? access(2) also says no
    on a read-only file system, even to root."""
    folder_ok = os.access(path.parent, os.W_OK)
    return folder_ok and (not path.exists() or os.access(path, os.W_OK))


_READ_ONLY_FILE = ("(a read-only file, folder or share): nothing can be changed; copy it to a "
                   "writable folder to edit it")
_DISK_FULL = ("because its disk is full: it can be read and exported elsewhere, but nothing "
              "can be changed until you free some space")


_FRESH = (FileKind.NEW, FileKind.EMPTY)  # nothing to read: a library is created


class Database:
    """One library file. Each thread gets its own sqlite3 connection; none crosses threads.

    `read_only=None` opens read-only when the file cannot be written (a read-only share or
    a backup): no migration, no WAL switch, nothing written."""

    def __init__(self, path: Path, read_only: bool | None = None) -> None:
        self.path = Path(path)
        # Keyed by thread ident, not threading.local: Qt's pool threads are not Python
        # threads, and PySide gives each call from them a fresh Python thread state, so a
        # threading.local was empty on every task and each one opened (and kept) another
        # connection: a file handle and a cold page cache per search.
        self._conns: dict[int, sqlite3.Connection] = {}
        self._wrapped: dict[int, Any] = {}  # sqlite-utils wrappers, same keys
        self._lock = threading.Lock()
        self.backup_path: Path | None = None
        self._uri: str | None = None
        self.read_only = False
        self.read_only_reason = _READ_ONLY_FILE
        #: said once, on stderr and in the window: an empty file was started afresh
        self.notice: str | None = None
        self._open(read_only)
        # the file this object writes to: a rename, delete or replace of the path leaves open
        # connections writing to the old file, which `still_at_its_path` notices
        self.identity = _file_identity(self.path)

    def _open(self, read_only: bool | None) -> None:
        prepare_folder(self.path.parent)
        # raises, before any write, for another program's file, a folder, a device, a pipe
        kind = classify(self.path)
        if read_only is None:
            read_only = not is_writable(self.path)
        if read_only:
            self._open_read_only(kind)
            return
        try:
            self._create_and_migrate(kind)
        except sqlite3.Error as error:
            failure = self._library_error(error, "cannot open the library")
            if not isinstance(failure, LibraryFullError) or kind in _FRESH:
                raise failure from None
            # a full disk cannot take the WAL's files: read what is there, write nothing
            log.info("the disk holding %s is full: opening it read-only", self.path)
            self.read_only_reason = _DISK_FULL
            try:
                self._open_read_only(kind)
            except LibraryReadOnlyError:  # an older schema must be upgraded first
                raise failure from None
        if kind is FileKind.EMPTY:
            self.notice = started_afresh(self.path)
            log.warning("%s", self.notice)

    def _create_and_migrate(self, kind: FileKind) -> None:
        if kind is FileKind.NEW and not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE_MODE))
        _make_private(self.path)
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout_seconds())
        try:
            refuse_newer(conn, self.path)  # before any pragma that could write
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            if kind is not FileKind.LEGACY:
                stamp_application_id(conn)
            self.backup_path = migrate(conn, self.path)
            if kind is FileKind.LEGACY:  # adopted after its backup: the copy is as it was
                stamp_application_id(conn)
        finally:
            conn.close()

    def _open_read_only(self, kind: FileKind) -> None:
        if kind in _FRESH:
            raise LibraryReadOnlyError(
                f"cannot create the library {self.path}: its folder is read-only; choose a "
                "writable --data-dir")
        self.read_only = True
        self._uri, version = self._first_readable_uri()
        if version > LATEST_VERSION:
            raise LibraryTooNewError(self.path, version, LATEST_VERSION)
        if not READABLE_WITHOUT.issuperset(range(version + 1, LATEST_VERSION + 1)):
            raise LibraryReadOnlyError(
                f"the library {self.path} is read-only and was made by an older version of "
                f"Trial Tracker (schema {version}); it must be upgraded before it can be read, "
                "which cannot be written here: copy it to a writable folder and use --data-dir")
        log.info("opened %s read-only", self.path)

    def _first_readable_uri(self) -> tuple[str, int]:
        """mode=ro, else immutable=1: a WAL file on a read-only share has no -shm to share."""
        last: sqlite3.Error | None = None
        for immutable in (False, True):
            uri = read_only_uri(self.path, immutable)
            try:
                conn = _connect(self.path, uri)
                try:
                    return uri, read_version(conn)
                finally:
                    conn.close()
            except sqlite3.Error as error:
                last = error
        raise self._library_error(last, "cannot open the read-only library")

    def _library_error(self, error: sqlite3.Error | None, what: str) -> LibraryError:
        translated = library_error(error, self.path, busy_timeout_seconds()) if error else None
        return translated or LibraryError(f"{what} {self.path}: {error}")

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use, kept until `close`)."""
        key = threading.get_ident()
        conn = self._conns.get(key)
        if conn is None:
            conn = self._new_connection()
            with self._lock:
                self._conns[key] = conn
        return conn

    def _new_connection(self) -> sqlite3.Connection:
        """A connection for another thread, to the file opened (never a new empty file where
        the library was: a thread's first connection after a move would create one)."""
        identity = getattr(self, "identity", None)
        if identity is None:  # still opening: the file may be created now
            return _connect(self.path, self._uri)
        if _file_identity(self.path) != identity:
            raise LibraryError(
                f"the library file {self.path} was moved, deleted or replaced while Trial "
                "Tracker had it open, so nothing more is read from or written to it there: "
                "open the library where it is now, or start Trial Tracker again")
        return _connect(self.path, self._uri or f"{self.path.absolute().as_uri()}?mode=rw")

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection wrapped by sqlite-utils, for maintenance and inspection.

        Imported on first use: sqlite-utils loads click and its plugin system, which would
        add ~150 ms to every start of the window for no benefit on the hot paths."""
        import sqlite_utils

        key = threading.get_ident()
        wrapped = self._wrapped.get(key)
        if wrapped is None or wrapped.conn is not self.conn:
            wrapped = sqlite_utils.Database(self.conn)
            self._wrapped[key] = wrapped
        return wrapped

    @property
    def connection_count(self) -> int:
        """Connections open now (one per thread that used the library)."""
        return len(self._conns)

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        """Rows as dicts (column name -> value)."""
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def data_version(self) -> int:
        """SQLite's `PRAGMA data_version` on this thread's connection: it changes when another
        connection commits, so an unchanged value means what this one read still holds."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: BEGIN IMMEDIATE ... COMMIT, ROLLBACK on any exception.

        Nested use joins the outer transaction, so a service can group repository calls.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self._translated(error) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:  # also when COMMIT itself failed (disk full, I/O error)
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise self._translated(error) from None
            raise

    def _translated(self, error: sqlite3.Error) -> Exception:
        """A lock, a full disk, damage or a read-only file in words; other errors unchanged."""
        if self.read_only and not isinstance(error, sqlite3.IntegrityError):
            return LibraryReadOnlyError(self.read_only_message())
        return library_error(error, self.path, busy_timeout_seconds()) or error

    def read_only_message(self) -> str:
        """Why nothing can be changed, and what to do, in one sentence."""
        return f"the library {self.path} is open read-only {self.read_only_reason}"

    def still_at_its_path(self) -> bool:
        """Is the file at `path` still the one opened (not moved, deleted or replaced)?
        One os.stat. SQLite keeps writing to an open file that was moved or deleted, so
        writes since then are not in the file at `path`."""
        return self.identity is not None and _file_identity(self.path) == self.identity

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close every thread's connection (call when all workers have stopped)."""
        with self._lock:
            for conn in self._conns.values():
                with contextlib.suppress(sqlite3.ProgrammingError):
                    conn.close()
            self._conns.clear()
            self._wrapped.clear()


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, None when there is none."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _make_private(path: Path) -> None:
    """Personal notes live here: owner read/write only (the -wal/-shm files SQLite creates
    take the same mode)."""
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE_MODE)
