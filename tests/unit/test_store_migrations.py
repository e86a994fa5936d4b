"""Opening and migrating the library file: WAL, versions, backups, refusal of newer files."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from tracker.domain import LibraryError, LibraryTooNewError, Trial
from tracker.store import LATEST_VERSION, Library
from tracker.store.migrations import migrate


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_library_is_migrated_to_latest_in_wal_mode(tmp_path):
    library = Library(tmp_path / "lib.sqlite3")
    conn = library.database.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert library.database.backup_path is None  # nothing to back up in a new file
    assert library.database.integrity_ok()


def test_old_library_is_backed_up_then_migrated_keeping_its_data(tmp_path):
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=1)  # a library written by the first schema version
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02993523', 'curator', 'bcl2', '2025-01-01', 'Venetoclax in AML')")
    conn.close()

    library = Library(path)

    backup = library.database.backup_path
    assert backup is not None and backup.exists() and backup.parent == tmp_path
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        assert old.execute("SELECT id FROM trials").fetchall() == [("NCT02993523",)]
    assert library.database.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert library.trials.get("NCT02993523").brief_title == "Venetoclax in AML"
    # the search index built by migration 2 covers rows written before it existed
    from tracker.store import TrialQuery
    assert [t.id for t in library.trials.list(TrialQuery(search="venetoclax"))] == ["NCT02993523"]


def test_library_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "lib.sqlite3"
    Library(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.close()
    before = _digest(path)

    with pytest.raises(LibraryTooNewError) as caught:
        Library(path)

    assert "newer version of Trial Tracker" in str(caught.value)
    assert f"schema {LATEST_VERSION + 5}" in str(caught.value)
    assert _digest(path) == before
    assert not list(tmp_path.glob("*.bak*"))


def test_a_file_that_is_not_sqlite_gives_a_library_error(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LibraryError, match="not a Trial Tracker library"):
        Library(path)


def test_failed_transaction_leaves_nothing_behind(empty_library):
    trial = Trial(id="NCT02993523", brief_title="x")
    with pytest.raises(RuntimeError), empty_library.transaction():
        empty_library.trials.insert([trial])
        empty_library.notes.add("NCT02993523", "half-written")
        raise RuntimeError("crash in the middle")
    assert empty_library.trials.count() == 0
    assert empty_library.notes.trial_ids_with_notes() == set()


def test_doctor_reports_counts_and_rebuilds_the_index(seeded_library):
    from tracker.services.maintenance import inspect_library, rebuild_search_index
    from tracker.store import TrialQuery

    seeded_library.notes.add("NCT02993523", "zebrafish")
    seeded_library.database.conn.execute("DELETE FROM trial_search")  # a damaged index
    assert seeded_library.trials.list(TrialQuery(search="zebrafish")) == []
    assert rebuild_search_index(seeded_library) == seeded_library.trials.count()
    assert [t.id for t in seeded_library.trials.list(TrialQuery(search="zebrafish"))] == [
        "NCT02993523"]
    health = inspect_library(seeded_library)
    assert health.integrity == "ok" and health.table_counts["notes"] == 1
    assert health.table_counts["trials"] == seeded_library.trials.count()


def test_an_upgrade_skips_adding_a_column_the_table_already_has(tmp_path):
    """A library a development build upgraded under another numbering already has a column a
    later migration adds: the upgrade goes on instead of refusing the library."""
    import sqlite3

    from tracker.store.migrations import _V_VERSION_RESULTS, MIGRATIONS, read_version

    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_VERSION_RESULTS))
    conn.execute("ALTER TABLE inbox ADD COLUMN reason TEXT NOT NULL DEFAULT ''")  # 10's column
    migrate(conn, path)
    assert read_version(conn) == len(MIGRATIONS)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(record_versions)")}
    assert "with_results" in columns
    conn.close()


def test_a_library_from_before_curated_comparators_gets_them_on_opening(tmp_path):
    """The comparator column arrives empty; the curated refresh that follows fills it, so an
    upgraded library's ZUMA-7 card names the arm as a new library's does."""
    from tracker.services.library import open_library
    from tracker.store import LIBRARY_FILE_NAME

    from tracker.store.migrations import _V_TRIAL_COMPARATOR, MIGRATIONS

    path = tmp_path / LIBRARY_FILE_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_TRIAL_COMPARATOR))
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT03391466', 'curator', 'car-t', '2025-01-01', 'ZUMA-7')")
    conn.close()

    library = open_library(tmp_path)
    try:
        assert library.trials.get("NCT03391466").comparator == "standard of care"
        assert library.cards.all_cards()["NCT03391466"].headline == \
            "Axicabtagene ciloleucel: CR 65% · ORR 83%"
    finally:
        library.close()


def test_a_library_from_before_print_faults_keeps_its_figures_and_stores_faults(tmp_path):
    """The print-fault column arrives empty: figures stored before it read as printed right,
    and a figure written after it keeps its fault (kind, what it measures, why)."""
    from tracker.domain import Outcome, Source
    from tracker.domain.misprints import FaultKind, PrintFault
    from tracker.store.migrations import _V_OUTCOME_PRINT_FAULT, MIGRATIONS

    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_OUTCOME_PRINT_FAULT))
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT03391466', 'curator', 'car-t', '2025-01-01', 'ZUMA-7')")
    conn.execute("INSERT INTO outcomes (trial_id, position, metric, value, source_file, "
                 "source_locator) VALUES ('NCT03391466', 0, 'PFS', '41%', 'f.txt', 'Table 1')")
    conn.close()

    library = Library(path)
    try:
        [stored] = library.trials.get("NCT03391466").outcomes
        assert stored.value == "41%" and stored.print_fault is None
        fault = PrintFault(FaultKind.MISLABEL, "24-month EFS, the primary endpoint", "EFS")
        relabelled = Outcome(metric="PFS", value="41%", caveat="Labelled PFS; it is EFS.",
                             source=Source(file="f.txt", locator="Table 1"), print_fault=fault)
        library.trials.update_curated("NCT03391466", library.trials.get("NCT03391466")
                                      .model_copy(update={"outcomes": (relabelled,)}))
        assert library.trials.get("NCT03391466").outcomes[0].print_fault == fault
        assert library.views.trial("NCT03391466").outcomes[0].print_fault == fault
    finally:
        library.close()


def test_a_library_from_before_print_faults_gets_them_on_opening(tmp_path):
    """The curated refresh that follows the migration fills the column: an upgraded
    library's CLL14 misprints are withheld from the comparison table as a new library's."""
    from tracker.domain.misprints import FaultKind
    from tracker.services.library import open_library
    from tracker.store import LIBRARY_FILE_NAME
    from tracker.store.migrations import _V_OUTCOME_PRINT_FAULT, MIGRATIONS

    path = tmp_path / LIBRARY_FILE_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_OUTCOME_PRINT_FAULT))
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02242942', 'seed', 'bcl2', '2025-01-01', 'CLL14')")
    conn.execute("INSERT INTO outcomes (trial_id, position, metric, value, source_file, "
                 "source_locator) VALUES ('NCT02242942', 0, 'PFS', '76.2%', 'f.txt', 'T3')")
    conn.close()

    library = open_library(tmp_path)
    try:
        faults = {o.value: o.print_fault for o in library.trials.get("NCT02242942").outcomes}
        assert faults["76.2%"].kind is FaultKind.MISPRINT and faults["40%"] is None
    finally:
        library.close()
