"""Schema migrations, ordered; `PRAGMA user_version` records how many have run.

Each migration is a list of SQL statements applied in one transaction. Before migrating a
library that already holds data, a backup copy of the file is written next to it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tracker.domain.errors import LibraryError, LibraryTooNewError
from tracker.store.discovery_schema import (  # noqa: F401 (_V_SAVED_SEARCHES: for tests)
    _V_INBOX_DISMISSED_AT,
    _V_INBOX_FETCHED,
    _V_INBOX_REASON,
    _V_INBOX_SITES,
    _V_OPEN_SCOPE_NOTICE,
    _V_SAVED_SEARCHES,
    WhenUpgradingFrom,
)
from tracker.store.search_schema import V2_SEARCH, V19_DISEASE_WORDS

log = logging.getLogger(__name__)

_V1_CORE = [
    """CREATE TABLE trials (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        aliases TEXT NOT NULL DEFAULT '[]',
        id_provenance TEXT NOT NULL,
        acronym TEXT,
        brief_title TEXT NOT NULL DEFAULT '',
        official_title TEXT,
        summary TEXT NOT NULL DEFAULT '',
        brief_summary TEXT,
        modality TEXT NOT NULL,
        drugs TEXT NOT NULL DEFAULT '[]',
        diseases TEXT NOT NULL DEFAULT '[]',
        conditions TEXT NOT NULL DEFAULT '[]',
        interventions TEXT NOT NULL DEFAULT '[]',
        phases TEXT NOT NULL DEFAULT '[]',
        status TEXT,
        why_stopped TEXT,
        start_date TEXT, start_date_kind TEXT,
        primary_completion_date TEXT, primary_completion_date_kind TEXT,
        completion_date TEXT, completion_date_kind TEXT,
        enrollment INTEGER, enrollment_kind TEXT,
        sponsor TEXT,
        has_results INTEGER,
        last_update_posted TEXT,
        last_synced_at TEXT,
        registry_state TEXT NOT NULL DEFAULT 'never_synced',
        added_at TEXT NOT NULL
    )""",
    """CREATE TABLE outcomes (
        id INTEGER PRIMARY KEY,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        position INTEGER NOT NULL,
        metric TEXT NOT NULL,
        value TEXT NOT NULL,
        number REAL,
        unit TEXT,
        arm TEXT,
        population TEXT,
        timepoint TEXT,
        source_file TEXT NOT NULL,
        source_locator TEXT NOT NULL
    )""",
    "CREATE INDEX outcomes_trial ON outcomes(trial_id, position)",
    """CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        body TEXT NOT NULL,
        author TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX notes_trial ON notes(trial_id)",
    """CREATE TABLE tags (
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (trial_id, name)
    )""",
    """CREATE TABLE status_changes (
        id INTEGER PRIMARY KEY,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        old_status TEXT,
        new_status TEXT NOT NULL,
        registry_date TEXT,
        seen_at TEXT NOT NULL
    )""",
    "CREATE INDEX status_changes_trial ON status_changes(trial_id, seen_at)",
    """CREATE TABLE watchlists (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        meeting_date TEXT,
        position INTEGER NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE watchlist_items (
        watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        position INTEGER NOT NULL,
        PRIMARY KEY (watchlist_id, trial_id)
    )""",
    """CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
]

# Handouts: a list keeps its past meetings (setting a new meeting date archives the old one)
# and when it was last exported, so "changes since" can default to the previous meeting.
_V_WATCHLIST_MEETINGS = [
    """CREATE TABLE watchlist_meetings (
        id INTEGER PRIMARY KEY,
        watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
        meeting_date TEXT NOT NULL,
        archived_at TEXT NOT NULL
    )""",
    "CREATE INDEX watchlist_meetings_list ON watchlist_meetings(watchlist_id, meeting_date)",
    "ALTER TABLE watchlists ADD COLUMN last_exported_at TEXT",
]

# Curated outcomes keep the passage they were read from, a curator's caveat a reader must see,
# and whether the figure is the trial's own result or class-level context (never a headline).
_V_OUTCOME_PROVENANCE = [
    "ALTER TABLE outcomes ADD COLUMN quote TEXT",
    "ALTER TABLE outcomes ADD COLUMN caveat TEXT",
    "ALTER TABLE outcomes ADD COLUMN kind TEXT NOT NULL DEFAULT 'result'",
]

# The card list's title order (store/cards.py TITLE_ORDER_SQL, without the table alias): an
# index on the expression lets a window show its first screen of a large library at once.
_V_TITLE_ORDER = [
    "CREATE INDEX trials_title_order ON trials(lower(coalesce(acronym, brief_title, id)), id)",
]

# Registry record versions (whole records, zlib-compressed; a later version of a trial is
# compressed with its first version as the preset dictionary, so near-identical versions
# cost little) and the field-level change log derived from them. The status history moves
# into the change log, row for row; `status_changes` stays readable as a view.
_V_RECORD_VERSIONS = [
    """CREATE TABLE record_versions (
        id INTEGER PRIMARY KEY,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        last_update_posted TEXT,
        seen_at TEXT NOT NULL,
        digest TEXT NOT NULL,
        raw_size INTEGER NOT NULL,
        base_id INTEGER REFERENCES record_versions(id) ON DELETE CASCADE,
        body BLOB NOT NULL
    )""",
    "CREATE INDEX record_versions_trial ON record_versions(trial_id, id)",
    """CREATE TABLE field_changes (
        id INTEGER PRIMARY KEY,
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        detail TEXT,
        significance TEXT NOT NULL,
        registry_date TEXT,
        seen_at TEXT NOT NULL
    )""",
    "CREATE INDEX field_changes_trial ON field_changes(trial_id, seen_at)",
    "CREATE INDEX field_changes_seen ON field_changes(seen_at)",
    """INSERT INTO field_changes (trial_id, field, old, new, significance, registry_date, seen_at)
       SELECT trial_id, 'overall_status', old_status, new_status,
              CASE WHEN old_status IS NULL THEN 'initial' ELSE 'major' END,
              registry_date, seen_at
       FROM status_changes ORDER BY id""",
    "DROP TABLE status_changes",
    """CREATE VIEW status_changes AS
       SELECT id, trial_id, old AS old_status, new AS new_status, registry_date, seen_at
       FROM field_changes WHERE field = 'overall_status'""",
    # the sites of each trial's latest version, for "recruiting within N km" (an index of the
    # stored record, rewritten whenever a new version is stored)
    """CREATE TABLE trial_sites (
        trial_id TEXT NOT NULL REFERENCES trials(id) ON UPDATE CASCADE ON DELETE CASCADE,
        position INTEGER NOT NULL,
        facility TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT '',
        status TEXT,
        lat REAL,
        lon REAL,
        PRIMARY KEY (trial_id, position)
    )""",
    "CREATE INDEX trial_sites_recruiting ON trial_sites(status, lat)",
]

# Every export of a list, not only the last: formats exported one after another for the same
# meeting share one "changes since" window (the last export made before that day).
_V_EXPORT_LOG = [
    """CREATE TABLE watchlist_exports (
        id INTEGER PRIMARY KEY,
        watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
        exported_at TEXT NOT NULL
    )""",
    "CREATE INDEX watchlist_exports_list ON watchlist_exports(watchlist_id, exported_at)",
    "INSERT INTO watchlist_exports (watchlist_id, exported_at) "
    "SELECT id, last_exported_at FROM watchlists WHERE last_exported_at IS NOT NULL",
]

# Whether a version carries the record's posted results (its `resultsSection`): a trial the
# registry flags as having results but whose latest version lacks them (added before they were
# asked for) gets them at the next sync. NULL: stored before this was recorded (asked once).
_V_VERSION_RESULTS = [
    "ALTER TABLE record_versions ADD COLUMN with_results INTEGER",
]

# A study of UNKNOWN status keeps what it was last known to be (statusModule.lastKnownStatus)
# and when its sponsor last verified the status (statusVerifiedDate, YYYY-MM). NULL until the
# next sync brings them (a sync asks for a whole record once where they are missing).
_V_STATUS_CONTEXT = ["ALTER TABLE trials ADD COLUMN last_known_status TEXT",
                     "ALTER TABLE trials ADD COLUMN status_verified TEXT"]

# Registry text stored before it was cleaned when mapped (tracker.domain.registry_text): the
# trials' registry fields, inbox records, site rows and change-log values, cleaned once with
# the mapping's rules (a Python step: the rules are Unicode categories SQL cannot express).
def _clean_registry_text(conn: sqlite3.Connection) -> None:
    from tracker.store.registry_text_cleanup import clean_stored_registry_text  # only when run

    clean_stored_registry_text(conn)


_V_CLEAN_REGISTRY_TEXT = [_clean_registry_text]

# A curated fact: the arm a randomised trial compares the studied treatment with (NULL: none).
# Filled by the curated refresh that follows (the curated files carrying it changed). The
# partial index lets the card list find the few trials that have one without a table scan.
# A library without the column reads as having no comparator (read-only, not upgraded).
_V_TRIAL_COMPARATOR = ["ALTER TABLE trials ADD COLUMN comparator TEXT",
                       ("CREATE INDEX IF NOT EXISTS trials_with_comparator ON trials(id) "
                        "WHERE comparator IS NOT NULL")]

# A curated fact: how the review printed an outcome wrong (a misprint, a mislabel and what it
# measures: tracker/domain/misprints.py), JSON text; NULL for a figure printed right. Filled
# by the curated refresh that follows (the curated files carrying it changed). A library
# without the column reads as having no print fault (read-only, not upgraded).
_V_OUTCOME_PRINT_FAULT = ["ALTER TABLE outcomes ADD COLUMN print_fault TEXT"]

MIGRATIONS: list[list[str | Callable[[sqlite3.Connection], None]]] = [
    _V1_CORE, V2_SEARCH, _V_OUTCOME_PROVENANCE, _V_TITLE_ORDER, _V_WATCHLIST_MEETINGS,
    _V_RECORD_VERSIONS, _V_SAVED_SEARCHES, _V_EXPORT_LOG, _V_VERSION_RESULTS, _V_INBOX_REASON,
    _V_INBOX_FETCHED, _V_STATUS_CONTEXT, _V_INBOX_SITES, _V_INBOX_DISMISSED_AT,
    _V_OPEN_SCOPE_NOTICE, _V_CLEAN_REGISTRY_TEXT, _V_TRIAL_COMPARATOR, _V_OUTCOME_PRINT_FAULT,
    V19_DISEASE_WORDS]
LATEST_VERSION = len(MIGRATIONS)
#: Versions whose steps only rewrite data (a notice to show, text to clean) or add what the
#: reads do without (the curated comparator and print faults), so a library one of them is
#: missing from can still be read as it is: a read-only library from the previous build
#: opens rather than being refused as needing an upgrade it cannot have.
READABLE_WITHOUT = frozenset(MIGRATIONS.index(steps) + 1 for steps in (
    _V_OPEN_SCOPE_NOTICE, _V_CLEAN_REGISTRY_TEXT, _V_TRIAL_COMPARATOR, _V_OUTCOME_PRINT_FAULT,
    V19_DISEASE_WORDS))


def read_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def refuse_newer(conn: sqlite3.Connection, path: Path) -> int:
    """Return the file's schema version; raise before anything is written if it is too new."""
    version = read_version(conn)
    if version > LATEST_VERSION:
        raise LibraryTooNewError(path, version, LATEST_VERSION)
    return version


def stamp_application_id(conn: sqlite3.Connection) -> None:
    """Mark the file as a Trial Tracker library (see tracker.store.identity)."""
    from tracker.store.identity import APPLICATION_ID

    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def migrate(conn: sqlite3.Connection, path: Path, target: int = LATEST_VERSION) -> Path | None:
    """Bring the library to `target`; return the backup written first, if there was data."""
    version = refuse_newer(conn, path)
    if version >= target:
        return None
    backup = _write_backup(conn, path, version) if version > 0 else None
    for number in range(version + 1, target + 1):
        _apply(conn, number, version)
    return backup


def _apply(conn: sqlite3.Connection, number: int, upgraded_from: int) -> None:
    log.info("applying library migration %d", number)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for statement in MIGRATIONS[number - 1]:
            if callable(statement):  # a step that needs Python (it runs in the transaction)
                statement(conn)
                continue
            if isinstance(statement, WhenUpgradingFrom) and \
                    upgraded_from not in statement.versions:
                continue
            if not _adds_a_column_it_has(conn, statement):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        if not conn.in_transaction:  # BEGIN itself failed (a lock held past the busy
            raise                    # timeout): the caller says so in words
        conn.execute("ROLLBACK")
        raise LibraryError(f"could not upgrade the library to schema {number}: {error}") from error


_ADD_COLUMN = re.compile(r"\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)", re.IGNORECASE)


def _adds_a_column_it_has(conn: sqlite3.Connection, statement: str) -> bool:
    """An ADD COLUMN of a column the table already has (a library a development build
    upgraded under another numbering): skipped, so the upgrade is not refused for it."""
    match = _ADD_COLUMN.match(statement)
    if not match:
        return False
    table, column = match.groups()
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def _write_backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """One backup per migration: a copy taken before an earlier (failed) attempt to migrate
    from this version already holds the file as it was, so it is kept, not written again."""
    earlier = sorted(path.parent.glob(f"{path.stem}.schema{version}-*.bak{path.suffix}"))
    if earlier:
        return earlier[-1]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    backup_path = path.with_name(f"{path.stem}.schema{version}-{stamp}.bak{path.suffix}")
    os.close(os.open(backup_path, os.O_CREAT | os.O_RDWR, 0o600))  # private, like the library
    with sqlite3.connect(backup_path) as target:
        conn.backup(target)
    target.close()
    log.info("backed up the library to %s before migrating", backup_path)
    return backup_path
