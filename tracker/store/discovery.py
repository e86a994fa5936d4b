"""Saved searches and the inbox of new studies they found (tables of the discovery migration).

Each completed check of a search is written by `record_check` in one transaction: the studies
it found, and only then the search's new last-check date. A check that fails or is cancelled
writes nothing, so the inbox and the date always agree.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass

from tracker.domain import Modality, Phase, RegistryStatus, TrackerError
from tracker.domain.dates import PartialDate
from tracker.domain.inbox import InboxItem, sites_from_dict
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
                     total: int | None) -> CheckTally:
        """Store one completed check and move the search's date, all in one transaction
        (`checked_on` None: store the findings but keep the date, so they are asked again)."""
        now = to_text(utc_now())
        counts = {"new": 0, "again": 0, "in_library": 0, "dismissed": 0}
        with self._db.transaction() as conn:
            known = _library_ids(conn)
            for row in {r.nct_id: r for r in found}.values():  # pages may overlap: dedupe
                if known.intersection(row.all_ids):
                    counts["in_library"] += 1
                else:
                    counts[_store_found(conn, search_id, row, now)] += 1
            if checked_on is not None:
                conn.execute("UPDATE saved_searches SET last_checked_on = ?, "
                             "last_check_total = ? WHERE id = ?",
                             (checked_on.isoformat(), total, search_id))
        return CheckTally(**counts)


def _library_ids(conn: sqlite3.Connection) -> set[str]:
    """Every id and alias in the library, read once per check (one scan, not one per study)."""
    known: set[str] = set()
    for trial_id, aliases in conn.execute("SELECT id, aliases FROM trials"):
        known.add(trial_id)
        if aliases != "[]":
            known.update(json.loads(aliases))
    return known


def _store_found(conn: sqlite3.Connection, search_id: int, row: FoundRow, now: str) -> str:
    if conn.execute("SELECT 1 FROM inbox_dismissals WHERE search_id = ? AND nct_id = ?",
                    (search_id, row.nct_id)).fetchone():
        return "dismissed"
    existed = conn.execute("SELECT 1 FROM inbox WHERE nct_id = ? AND dismissed_at IS NULL",
                           (row.nct_id,)).fetchone()
    if not existed:  # dismissed from other searches, found by this one: it starts afresh
        conn.execute("DELETE FROM inbox_hits WHERE nct_id = ?", (row.nct_id,))
    conn.execute(
        "INSERT INTO inbox (nct_id, record, first_posted, proposed_modality, evidence, found_at,"
        " reason, fetched_at, sites) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (nct_id) DO "
        "UPDATE SET record = excluded.record, first_posted = excluded.first_posted, "
        "proposed_modality = excluded.proposed_modality, evidence = excluded.evidence, "
        "fetched_at = excluded.fetched_at, sites = excluded.sites, dismissed_at = NULL, "
        # found again because it was updated (it now matches): that is now why it is here
        "reason = CASE WHEN excluded.reason LIKE 'updated:%' OR inbox.reason = '' "
        "THEN excluded.reason ELSE inbox.reason END",
        (row.nct_id, row.record_json, row.first_posted, row.proposed_modality, row.evidence,
         now, row.reason, now, row.sites_json))
    conn.execute("INSERT OR IGNORE INTO inbox_hits (nct_id, search_id, found_at) "
                 "VALUES (?, ?, ?)", (row.nct_id, search_id, now))
    return "again" if existed else "new"


class InboxRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def items(self) -> list[InboxItem]:
        """Found on the latest day first, then newest first-posted (an older study that now
        matches is not buried under a year of postings); studies in the library left out."""
        rows = self._db.query(
            "SELECT i.*, (SELECT json_group_array(s.name) FROM inbox_hits h JOIN saved_searches s"
            " ON s.id = h.search_id WHERE h.nct_id = i.nct_id) AS searches FROM inbox i "
            "WHERE i.dismissed_at IS NULL AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = "
            "i.nct_id) ORDER BY substr(i.found_at, 1, 10) DESC, i.first_posted DESC, i.nct_id")
        return [_item_from_row(row) for row in rows]

    def fetched_before(self, moment: str) -> dict[str, list[int]]:
        """Inbox studies (not dismissed, not in the library) whose record was fetched before
        `moment`, each with the ids of the searches that found it."""
        rows = self._db.execute(
            "SELECT i.nct_id, h.search_id FROM inbox i LEFT JOIN inbox_hits h ON h.nct_id = "
            "i.nct_id WHERE i.dismissed_at IS NULL AND coalesce(i.fetched_at, i.found_at) < ? "
            "AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = i.nct_id) ORDER BY i.nct_id",
            (moment,))
        found: dict[str, list[int]] = {}
        for nct_id, search_id in rows:
            found.setdefault(nct_id, []).extend([search_id] if search_id is not None else [])
        return found

    def refresh(self, rows: list[FoundRow], confirmed: list[str] = ()
                ) -> dict[str, tuple[str, str | None]]:
        """Newer records of studies already in the inbox (their status, dates and sites now);
        why and when they were found stays; `confirmed`: asked for and known unchanged, so
        fetched now too. One transaction; returns the record and sites JSON each replaced."""
        now = to_text(utc_now())
        replaced = {}
        with self._db.transaction() as conn:
            conn.executemany("UPDATE inbox SET fetched_at = ? WHERE nct_id = ? AND "
                             "dismissed_at IS NULL", [(now, i) for i in confirmed])
            for row in rows:
                before = conn.execute("SELECT record, sites FROM inbox WHERE nct_id = ? AND "
                                      "dismissed_at IS NULL", (row.nct_id,)).fetchone()
                if before is not None:  # not dismissed meanwhile
                    replaced[row.nct_id] = (before[0], before[1])
                    conn.execute(
                        "UPDATE inbox SET record = ?, first_posted = coalesce(?, first_posted),"
                        " sites = coalesce(?, sites), fetched_at = ? WHERE nct_id = ?",
                        (row.record_json, row.first_posted, row.sites_json, now, row.nct_id))
        return replaced

    def dismissed_items(self) -> list[InboxItem]:
        """Dismissed studies whose record was kept, latest dismissed first (not those in the
        library meanwhile)."""
        rows = self._db.query(
            "SELECT i.*, (SELECT json_group_array(s.name) FROM inbox_dismissals d JOIN "
            "saved_searches s ON s.id = d.search_id WHERE d.nct_id = i.nct_id) AS searches "
            "FROM inbox i WHERE i.dismissed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            "trials t WHERE t.id = i.nct_id) ORDER BY i.dismissed_at DESC, i.nct_id")
        return [_item_from_row(row) for row in rows]

    def dismissed_without_record(self) -> list[str]:
        """Ids dismissed before records were kept for dismissed studies (no inbox row)."""
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT d.nct_id FROM inbox_dismissals d WHERE NOT EXISTS (SELECT 1 FROM "
            "inbox i WHERE i.nct_id = d.nct_id) AND NOT EXISTS (SELECT 1 FROM trials t WHERE "
            "t.id = d.nct_id) ORDER BY d.nct_id")]

    def restore(self, nct_ids: list[str]) -> int:
        """Undo dismissals: the studies are in the inbox again (their searches' dismissals
        are forgotten, so a later check may find them again too)."""
        known = set(self.dismissed_without_record()) | {
            row[0] for row in self._db.execute(
                "SELECT nct_id FROM inbox WHERE dismissed_at IS NOT NULL")}
        missing = [i for i in nct_ids if i not in known]
        if missing:
            raise SavedSearchError(f"not dismissed: {', '.join(missing)} (see: tracker inbox "
                                   "dismissed)")
        with self._db.transaction() as conn:
            for nct_id in nct_ids:
                conn.execute("DELETE FROM inbox_dismissals WHERE nct_id = ?", (nct_id,))
                conn.execute("UPDATE inbox SET dismissed_at = NULL WHERE nct_id = ?", (nct_id,))
        return len(nct_ids)

    def ids(self, search_id: int | None = None) -> list[str]:
        """NCT ids in the inbox and not in the library; with `search_id`, those it found."""
        sql = ("SELECT i.nct_id FROM inbox i WHERE i.dismissed_at IS NULL AND NOT EXISTS "
               "(SELECT 1 FROM trials t WHERE t.id = i.nct_id)")
        if search_id is None:
            return [row[0] for row in self._db.execute(sql + " ORDER BY i.nct_id")]
        return [row[0] for row in self._db.execute(
            sql + " AND EXISTS (SELECT 1 FROM inbox_hits h WHERE h.nct_id = i.nct_id AND "
            "h.search_id = ?) ORDER BY i.nct_id", (search_id,))]

    def others_that_found(self, search_id: int) -> dict[str, list[str]]:
        """For each inbox study `search_id` found: the names of the other saved searches
        that found it too (empty for a study only this search found)."""
        found: dict[str, list[str]] = {nct_id: [] for nct_id in self.ids(search_id)}
        for nct_id, name in self._db.execute(
                "SELECT h.nct_id, s.name FROM inbox_hits h JOIN saved_searches s ON s.id = "
                "h.search_id WHERE h.search_id != ? AND h.nct_id IN (SELECT nct_id FROM "
                "inbox_hits WHERE search_id = ?) ORDER BY h.nct_id, s.position, s.id",
                (search_id, search_id)):
            if nct_id in found:
                found[nct_id].append(name)
        return found

    def count(self) -> int:
        return self._db.execute(
            "SELECT count(*) FROM inbox i WHERE i.dismissed_at IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM trials t WHERE t.id = i.nct_id)").fetchone()[0]

    def records(self, nct_ids: list[str]) -> dict[str, tuple[str, Modality]]:
        """Stored record JSON and the modality to file it under, for each id in the inbox."""
        found = {}
        for nct_id in nct_ids:
            row = self._db.execute(
                "SELECT record, coalesce(chosen_modality, proposed_modality) FROM inbox "
                "WHERE nct_id = ? AND dismissed_at IS NULL", (nct_id,)).fetchone()
            if row:
                found[nct_id] = (row[0], Modality(row[1]))
        return found

    def require(self, nct_ids: list[str]) -> None:
        """SavedSearchError naming, for each id not in the inbox, why: in the library
        already, dismissed (and how to bring it back), or never found by a check."""
        missing = [i for i in nct_ids if not self._db.execute(
            "SELECT 1 FROM inbox WHERE nct_id = ? AND dismissed_at IS NULL", (i,)).fetchone()]
        if missing:
            raise SavedSearchError("; ".join(self._why_not_in_inbox(i) for i in missing))

    def _why_not_in_inbox(self, nct_id: str) -> str:
        if self._db.execute("SELECT 1 FROM trials WHERE id = ?", (nct_id,)).fetchone():
            return f"{nct_id} is already in the library, not in the inbox"
        if self._db.execute("SELECT 1 FROM inbox WHERE nct_id = ?", (nct_id,)).fetchone():
            return (f"{nct_id} was dismissed from the inbox: `tracker inbox restore {nct_id}` "
                    "brings it back")
        return f"not in the inbox: {nct_id}"

    def set_modality(self, nct_id: str, modality: Modality) -> None:
        self.require([nct_id])
        with self._db.transaction() as conn:
            conn.execute("UPDATE inbox SET chosen_modality = ? WHERE nct_id = ?",
                         (modality.value, nct_id))

    def remove(self, nct_ids: list[str]) -> None:
        with self._db.transaction() as conn:
            conn.executemany("DELETE FROM inbox WHERE nct_id = ?", [(i,) for i in nct_ids])

    def dismiss(self, nct_ids: list[str]) -> int:
        """Remember the dismissal for every search that found each study; the entries leave
        the inbox but keep their records (listed by `dismissed_items`, `restore` undoes)."""
        self.require(nct_ids)
        now = to_text(utc_now())
        with self._db.transaction() as conn:
            for nct_id in nct_ids:
                conn.execute(
                    "INSERT OR IGNORE INTO inbox_dismissals (search_id, nct_id, dismissed_at) "
                    "SELECT search_id, nct_id, ? FROM inbox_hits WHERE nct_id = ?",
                    (now, nct_id))
                conn.execute("UPDATE inbox SET dismissed_at = ? WHERE nct_id = ?", (now, nct_id))
        return len(nct_ids)

    def dismissed_by(self, search_id: int) -> set[str]:
        return {row[0] for row in self._db.execute(
            "SELECT nct_id FROM inbox_dismissals WHERE search_id = ?", (search_id,))}


def _criteria_json(criteria: SearchCriteria) -> str:
    return criteria.model_dump_json(exclude_defaults=True)


def _search_from_row(row: dict) -> SavedSearch:
    return SavedSearch.model_validate({
        "id": row["id"], "name": row["name"],
        "criteria": SearchCriteria.model_validate_json(row["criteria"]),
        "paused": bool(row["paused"]), "default_key": row["default_key"],
        "last_checked_on": row["last_checked_on"],
        "last_check_total": row["last_check_total"]}, context={"stored": True})


def _item_from_row(row: dict) -> InboxItem:
    record = json.loads(row["record"])
    proposed = Modality(row["proposed_modality"])
    return InboxItem(
        nct_id=row["nct_id"], title=record.get("brief_title") or row["nct_id"],
        acronym=record.get("acronym"),
        phases=tuple(Phase(p) for p in record.get("phases") or ()),
        status=RegistryStatus(record["status"]) if record.get("status") else None,
        sponsor=record.get("sponsor"), first_posted=row["first_posted"],
        conditions=tuple(record.get("conditions") or ()),
        interventions=tuple(record.get("interventions") or ()),
        searches=tuple(sorted(json.loads(row["searches"] or "[]"))),
        proposed_modality=proposed, evidence=row["evidence"],
        modality=Modality(row["chosen_modality"]) if row["chosen_modality"] else proposed,
        found_at=row["found_at"], reason=row["reason"],
        fetched_at=row["fetched_at"] or row["found_at"], dismissed_at=row["dismissed_at"] or "",
        enrollment=record.get("enrollment"), enrollment_kind=record.get("enrollment_kind"),
        start=_date(record.get("start_date")),
        primary_completion=_date(record.get("primary_completion_date")),
        brief_summary=record.get("brief_summary"),
        sites=sites_from_dict(json.loads(row["sites"]) if row["sites"] else None),
        last_known_status=(RegistryStatus(record["last_known_status"])
                           if record.get("last_known_status") else None),
        status_verified=record.get("status_verified"), why_stopped=record.get("why_stopped"),
        last_update_posted=record.get("last_update_posted"))


def _date(value: dict | None) -> PartialDate | None:
    return PartialDate.model_validate(value) if value else None
