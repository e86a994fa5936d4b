"""The library file's identity and privacy: ours is marked, another program's file is refused
before anything is written, libraries of the previous version are adopted, one backup per
migration, owner-only modes."""

from __future__ import annotations

import hashlib
import sqlite3
import stat

import pytest

from tracker.domain import LibraryError, NotALibraryError
from tracker.services.library import open_library
from tracker.store import LATEST_VERSION, LIBRARY_FILE_NAME, Library
from tracker.store.identity import APPLICATION_ID
from tracker.store.migrations import migrate


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def _foreign(path, version: int = 0, app_id: int = 0) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    conn.execute("INSERT INTO accounts (owner) VALUES ('someone else')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()


def _app_id(path) -> int:
    with sqlite3.connect(path) as conn:
        found = conn.execute("PRAGMA application_id").fetchone()[0]
    conn.close()
    return found


def test_a_new_library_carries_our_application_id(tmp_path):
    open_library(tmp_path).close()
    assert _app_id(tmp_path / LIBRARY_FILE_NAME) == APPLICATION_ID


@pytest.mark.parametrize("version,app_id", [(0, 0), (1, 0), (LATEST_VERSION, 0), (7, 0),
                                            (0, 0x12345678), (LATEST_VERSION, 0x0F0F0F0F)])
def test_another_programs_database_is_refused_and_left_byte_for_byte_untouched(
        tmp_path, version, app_id):
    path = tmp_path / LIBRARY_FILE_NAME
    _foreign(path, version, app_id)
    before, files = _digest(path), _siblings(path)
    for _attempt in range(3):  # no backup, WAL switch or schema on any attempt
        with pytest.raises(NotALibraryError, match="not a Trial Tracker library.*untouched"):
            open_library(tmp_path)
    assert _digest(path) == before
    assert _siblings(path) == files  # no -wal, no -shm, no backup
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / LIBRARY_FILE_NAME
    path.write_bytes(b"%PDF-1.7 not a database\n" * 50)
    before = _digest(path)
    with pytest.raises(NotALibraryError):
        open_library(tmp_path)
    assert _digest(path) == before and _siblings(path) == {LIBRARY_FILE_NAME}


def test_an_empty_file_becomes_a_library(tmp_path):
    (tmp_path / LIBRARY_FILE_NAME).touch()
    library = open_library(tmp_path)
    assert library.trials.count() > 100
    library.close()


def _previous_version_library(path, target: int = 1) -> None:
    """A library as the version before the application_id mark wrote it (id 0)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, path, target=target)
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02993523', 'curator', 'bcl2', '2025-01-01', 'Venetoclax in AML')")
    conn.execute("INSERT INTO notes (trial_id, body, created_at, updated_at) "
                 "VALUES ('NCT02993523', 'my note', '2025-01-02', '2025-01-02')")
    conn.close()
    assert _app_id(path) == 0


@pytest.mark.parametrize("target", [1, LATEST_VERSION])
def test_a_library_of_the_previous_version_is_adopted_and_stamped(tmp_path, target):
    path = tmp_path / LIBRARY_FILE_NAME
    _previous_version_library(path, target)
    library = open_library(tmp_path)
    assert [n.body for n in library.notes.for_trial("NCT02993523")] == ["my note"]
    library.close()
    assert _app_id(path) == APPLICATION_ID
    backups = list(tmp_path.glob("*.bak*"))
    assert len(backups) == (1 if target < LATEST_VERSION else 0)


def test_a_failing_migration_writes_one_backup_however_often_it_is_retried(tmp_path):
    path = tmp_path / LIBRARY_FILE_NAME
    _previous_version_library(path, 1)
    with sqlite3.connect(path) as conn:  # migration 2 will collide with this table
        conn.execute("CREATE TABLE trial_search (x)")
    conn.close()
    for _attempt in range(3):
        with pytest.raises(LibraryError, match="could not upgrade"):
            Library(path)
    assert len(list(tmp_path.glob("*.bak*"))) == 1


def test_data_dir_and_library_files_are_private(tmp_path):
    data_dir = tmp_path / "new" / "data"
    library = open_library(data_dir)
    library.notes.add("NCT02993523", "private thought")  # the -wal file exists while open
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in (LIBRARY_FILE_NAME, LIBRARY_FILE_NAME + "-wal", LIBRARY_FILE_NAME + "-shm"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    library.close()


def test_an_old_library_readable_by_others_is_made_private_and_so_is_its_backup(tmp_path):
    path = tmp_path / LIBRARY_FILE_NAME
    _previous_version_library(path, 1)
    path.chmod(0o644)
    open_library(tmp_path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    [backup] = tmp_path.glob("*.bak*")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


# -- read-only use (a backup or a read-only share; the mount case is in test_library_failures)
def test_a_library_opened_read_only_is_read_and_never_written(tmp_path):
    from tracker.domain import LibraryReadOnlyError

    open_library(tmp_path).close()
    path = tmp_path / LIBRARY_FILE_NAME
    before = _digest(path)
    library = open_library(tmp_path, read_only=True)
    assert library.read_only and library.trials.count() > 100
    with pytest.raises(LibraryReadOnlyError, match="read-only"):
        library.notes.add("NCT02993523", "not here")
    library.close()
    assert _digest(path) == before


def test_a_read_only_library_of_an_older_schema_says_it_needs_an_upgrade(tmp_path):
    from tracker.domain import LibraryReadOnlyError

    path = tmp_path / LIBRARY_FILE_NAME
    _previous_version_library(path, 1)
    before = _digest(path)
    with pytest.raises(LibraryReadOnlyError, match=r"older version.*schema 1.*writable folder"):
        open_library(tmp_path, read_only=True)
    assert _digest(path) == before and not list(tmp_path.glob("*.bak*"))


def test_the_busy_timeout_is_read_from_the_environment(tmp_path, monkeypatch):
    import time

    from tracker.domain import LibraryBusyError

    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "0.4")
    library = open_library(tmp_path)
    blocker = sqlite3.connect(library.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(LibraryBusyError, match=r"locked by another program \(waited 0.4 s\)"):
        library.notes.add("NCT02993523", "waits")
    assert 0.35 < time.monotonic() - started < 5
    blocker.execute("ROLLBACK")
    blocker.close()
    library.close()



def test_a_read_only_library_of_the_previous_build_still_opens(tmp_path):
    """Schema 14 lacks only steps the reads do without (the open-studies notice, registry
    text cleaned, the curated comparator and print-fault columns, the diseases' search
    words): read-only (a share, a full disk) it opens as it is, unwritten, its cards without
    the comparator, its figures without print faults; older schemas need the upgrade."""
    from tracker.store.migrations import READABLE_WITHOUT
    from tracker.store.search_schema import V2_SEARCH

    assert READABLE_WITHOUT == {LATEST_VERSION - n for n in range(5)}
    open_library(tmp_path).close()
    path = tmp_path / LIBRARY_FILE_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP INDEX trials_with_comparator")
    conn.execute("ALTER TABLE trials DROP COLUMN comparator")
    conn.execute("ALTER TABLE outcomes DROP COLUMN print_fault")
    conn.execute("DROP VIEW trial_search_source")
    conn.execute(next(step for step in V2_SEARCH if "CREATE VIEW" in step))
    conn.execute("DROP TABLE disease_words")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION - 5}")
    conn.close()
    before = _digest(path)
    library = open_library(tmp_path, read_only=True)
    assert library.read_only and library.trials.count() > 100
    assert library.trials.get("NCT03391466").comparator is None
    assert library.cards.all_cards()["NCT03391466"].headline == "CR 65% · ORR 83%"
    assert all(o.print_fault is None for o in library.trials.get("NCT02242942").outcomes)
    assert all(o.print_fault is None for o in library.views.trial("NCT02242942").outcomes)
    library.close()
    assert _digest(path) == before and not list(tmp_path.glob("*.bak*"))
