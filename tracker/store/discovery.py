"""Saved searches, and what their checks found (tables of the discovery migration); the inbox
entries are read and triaged by `tracker.store.inbox.InboxRepository`.

Each completed check of a search is written by `record_check` in one transaction: the studies
it found, and only then the search's new last-check date. A check that fails or is cancelled
writes nothing, so the inbox and the date always agree.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from tracker.domain import TrackerError
from tracker.domain.inbox import reason_found_again
from tracker.domain.limits import comparable_name, typed_name
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.store.database import Database
from tracker.store.discovery_schema import OPEN_SCOPE_SEARCHES_KEY
from tracker.store.timestamps import to_text, utc_now

OPEN_SCOPE_SHOWN_KEY = "open_scope_notice_shown"  # meta: when the notice was shown


class SavedSearchError(TrackerError):
    """A saved-search name that is taken or unknown, or an inbox id that is not there."""


@dataclass(frozen=True)
class FoundRow:
    """A study a check found, ready to store: its record as JSON plus the proposal."""

    nct_id: str
    all_ids: tuple[str, ...]
    record_json: str
    first_posted: str | None
    proposed_modality: str
    evidence: str
    reason: str = ""  # InboxItem.reason
    sites_json: str | None = None  # SitesSummary.as_dict() as JSON


#: The inbox records a write replaced: {NCT id: (record JSON, sites JSON)}, to say what changed
Replaced = dict[str, tuple[str, str | None]]


@dataclass(frozen=True)
class CheckTally:
    new: int = 0  # entered the inbox
    again: int = 0  # already in the inbox (found again, or by one more search)
    in_library: int = 0
    dismissed: int = 0


class SavedSearchRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def all(self) -> list[SavedSearch]:
        rows = self._db.query("SELECT * FROM saved_searches ORDER BY position, id")
        return [_search_from_row(row) for row in rows]

    def get(self, name: str) -> SavedSearch:
        rows = self._db.query("SELECT * FROM saved_searches WHERE name = ?", (name.strip(),))
        if not rows and typed_name(name) != name.strip():
            rows = self._db.query("SELECT * FROM saved_searches WHERE name = ?",
                                  (typed_name(name),))
        if not rows:  # a name saved under older rules (fullwidth, an invisible character)
            wanted = comparable_name(name)
            rows = [row for row in self._db.query("SELECT * FROM saved_searches")
                    if comparable_name(row["name"]) == wanted][:1]
        if not rows:
            raise SavedSearchError(f"no saved search named {name!r} (see: tracker searches ls)")
        return _search_from_row(rows[0])

    def add(self, search: SavedSearch) -> SavedSearch:
        try:
            with self._db.transaction() as conn:
                position = conn.execute(
                    "SELECT coalesce(max(position), -1) + 1 FROM saved_searches").fetchone()[0]
                conn.execute(
                    "INSERT INTO saved_searches (name, criteria, paused, position, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (search.name, _criteria_json(search.criteria), int(search.paused), position,
                     to_text(utc_now())))
        except sqlite3.IntegrityError:
            raise SavedSearchError(f"a saved search named {search.name!r} already exists") \
                from None
        return self.get(search.name)

    def update(self, old_name: str, search: SavedSearch) -> SavedSearch:
        """Rename and/or change what a search asks for. Changed criteria start afresh: the
        next check takes the whole current result set again."""
        current = self.get(old_name)
        restart = current.criteria != search.criteria
        try:
            with self._db.transaction() as conn:
                conn.execute(
                    "UPDATE saved_searches SET name = ?, criteria = ?, paused = ?, "
                    "last_checked_on = CASE WHEN ? THEN NULL ELSE last_checked_on END "
                    "WHERE id = ?",
                    (search.name, _criteria_json(search.criteria), int(search.paused),
                     int(restart), current.id))
        except sqlite3.IntegrityError:
            raise SavedSearchError(f"a saved search named {search.name!r} already exists") \
                from None
        return self.get(search.name)

    def set_paused(self, name: str, paused: bool) -> SavedSearch:
        search = self.get(name)
        with self._db.transaction() as conn:
            conn.execute("UPDATE saved_searches SET paused = ? WHERE id = ?",
                         (int(paused), search.id))
        return self.get(name)

    def remove(self, name: str) -> None:
        """Delete the search, its dismissals, and inbox entries no other search found."""
        search = self.get(name)
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM saved_searches WHERE id = ?", (search.id,))
            conn.execute("DELETE FROM inbox WHERE nct_id NOT IN (SELECT nct_id FROM inbox_hits)")

    def narrowed_by_open_scope(self) -> list[SavedSearch]:
        """The searches the upgrade to 'a search without statuses follows open studies only'
        narrowed (listed by that migration, discovery_schema) and that still name no
        statuses, until `mark_open_scope_notice_shown`; searches saved since are never
        among them."""
        facts = dict(self._db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)",
            (OPEN_SCOPE_SEARCHES_KEY, OPEN_SCOPE_SHOWN_KEY)).fetchall())
        if OPEN_SCOPE_SHOWN_KEY in facts or OPEN_SCOPE_SEARCHES_KEY not in facts:
            return []
        listed = set(json.loads(facts[OPEN_SCOPE_SEARCHES_KEY]))
        return [s for s in self.all() if s.id in listed and not s.criteria.statuses]

    def mark_open_scope_notice_shown(self) -> None:
        """The notice of `narrowed_by_open_scope` was shown: it is not shown again."""
        with self._db.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (OPEN_SCOPE_SHOWN_KEY, to_text(utc_now())))

    def record_check(self, search_id: int, found: list[FoundRow], checked_on: dt.date | None,
                     total: int | None, in_inbox: Collection[str]
                     ) -> tuple[CheckTally, Replaced]:
        """Store one completed check and move the search's date, all in one transaction
        (`checked_on` None: store the findings but keep the date, so they are asked again;
        `in_inbox`: the inbox's studies when the round of checks began, which
        `reason_found_again` asks about). Returns the tally and the records of inbox studies
        found again that it replaced."""
        now = to_text(utc_now())
        counts = {"new": 0, "again": 0, "in_library": 0, "dismissed": 0}
        replaced: Replaced = {}
        with self._db.transaction() as conn:
            known = _library_ids(conn)
            for row in {r.nct_id: r for r in found}.values():  # pages may overlap: dedupe
                if known.intersection(row.all_ids):
                    counts["in_library"] += 1
                    continue
                outcome, before = _store_found(conn, search_id, row, now,
                                               row.nct_id in in_inbox)
                counts[outcome] += 1
                if before is not None:
                    replaced[row.nct_id] = before
            if checked_on is not None:
                conn.execute("UPDATE saved_searches SET last_checked_on = ?, "
                             "last_check_total = ? WHERE id = ?",
                             (checked_on.isoformat(), total, search_id))
        return CheckTally(**counts), replaced


def _library_ids(conn: sqlite3.Connection) -> set[str]:
    """Every id and alias in the library, read once per check (one scan, not one per study)."""
    known: set[str] = set()
    for trial_id, aliases in conn.execute("SELECT id, aliases FROM trials"):
        known.add(trial_id)
        if aliases != "[]":
            known.update(json.loads(aliases))
    return known


def _store_found(conn: sqlite3.Connection, search_id: int, row: FoundRow, now: str,
                 in_inbox_before: bool) -> tuple[str, tuple[str, str | None] | None]:
    """Store one found study: "new", "again" (with the record and sites it replaced) or
    "dismissed" (from this search: not stored). `in_inbox_before`: it was in the inbox when
    the round of checks began."""
    if conn.execute("SELECT 1 FROM inbox_dismissals WHERE search_id = ? AND nct_id = ?",
                    (search_id, row.nct_id)).fetchone():
        return "dismissed", None
    stored = conn.execute("SELECT record, reason, dismissed_at IS NULL, sites FROM inbox "
                          "WHERE nct_id = ?", (row.nct_id,)).fetchone()
    existed = stored is not None and bool(stored[2])
    if not existed:  # dismissed from other searches, found by this one: it starts afresh
        conn.execute("DELETE FROM inbox_hits WHERE nct_id = ?", (row.nct_id,))
    reason = row.reason if stored is None else reason_found_again(
        stored[1], row.reason, in_inbox_before=in_inbox_before,
        kept_update=json.loads(stored[0]).get("last_update_posted"))
    conn.execute(
        "INSERT INTO inbox (nct_id, record, first_posted, proposed_modality, evidence, found_at,"
        " reason, fetched_at, sites) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (nct_id) DO "
        "UPDATE SET record = excluded.record, first_posted = excluded.first_posted, "
        "proposed_modality = excluded.proposed_modality, evidence = excluded.evidence, "
        "fetched_at = excluded.fetched_at, sites = excluded.sites, dismissed_at = NULL, "
        "reason = excluded.reason",
        (row.nct_id, row.record_json, row.first_posted, row.proposed_modality, row.evidence,
         now, reason, now, row.sites_json))
    conn.execute("INSERT OR IGNORE INTO inbox_hits (nct_id, search_id, found_at) "
                 "VALUES (?, ?, ?)", (row.nct_id, search_id, now))
    return ("again", (stored[0], stored[3])) if existed else ("new", None)


def _criteria_json(criteria: SearchCriteria) -> str:
    return criteria.model_dump_json(exclude_defaults=True)


def _search_from_row(row: dict) -> SavedSearch:
    return SavedSearch.model_validate({
        "id": row["id"], "name": row["name"],
        "criteria": SearchCriteria.model_validate_json(row["criteria"]),
        "paused": bool(row["paused"]), "default_key": row["default_key"],
        "last_checked_on": row["last_checked_on"],
        "last_check_total": row["last_check_total"]}, context={"stored": True})
