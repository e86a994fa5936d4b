"""The inbox of studies saved searches found: listing, refreshing, triage (accept leaves it
to the library; dismiss and restore) and the filing of a study under a modality.

`SavedSearchRepository.record_check` (tracker.store.discovery) writes what a check found;
this repository reads and changes the entries afterwards.
"""

from __future__ import annotations

import json

from tracker.domain import Modality, Phase, RegistryStatus
from tracker.domain.dates import PartialDate
from tracker.domain.inbox import InboxItem, sites_from_dict
from tracker.domain.searches import SearchCriteria
from tracker.store.database import Database
from tracker.store.discovery import FoundRow, Replaced, SavedSearchError
from tracker.store.timestamps import to_text, utc_now


class InboxRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def items(self) -> list[InboxItem]:
        """Found on the latest day first, then newest first-posted (an older study that now
        matches is not buried under a year of postings); studies in the library left out."""
        rows = self._db.query(
            f"SELECT i.*, {_found_by('inbox_hits')} FROM inbox i "
            "WHERE i.dismissed_at IS NULL AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = "
            "i.nct_id) ORDER BY substr(i.found_at, 1, 10) DESC, i.first_posted DESC, i.nct_id")
        return _items_from_rows(rows)

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

    def refresh(self, rows: list[FoundRow], confirmed: list[str] = ()) -> Replaced:
        """Newer records of studies already in the inbox (their status, dates and sites now);
        why and when they were found stays; `confirmed`: asked for and known unchanged, so
        fetched now too. One transaction; returns the record and sites JSON each replaced
        (a study the answer repeats is stored once, its last copy, as `record_check` does,
        and compared with the record from before the answer, not with its own first copy)."""
        now = to_text(utc_now())
        replaced: Replaced = {}
        with self._db.transaction() as conn:
            conn.executemany("UPDATE inbox SET fetched_at = ? WHERE nct_id = ? AND "
                             "dismissed_at IS NULL", [(now, i) for i in confirmed])
            for row in {r.nct_id: r for r in rows}.values():
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
            f"SELECT i.*, {_found_by('inbox_dismissals')} FROM inbox i WHERE i.dismissed_at IS "
            "NOT NULL AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = i.nct_id) "
            "ORDER BY i.dismissed_at DESC, i.nct_id")
        return _items_from_rows(rows)

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


def _found_by(table: str) -> str:
    """The columns `searches` and `criteria`: JSON arrays of the names and the criteria of
    the searches that found each study, as `table` (inbox_hits, inbox_dismissals) lists
    them."""
    found = (f"FROM {table} f JOIN saved_searches s ON s.id = f.search_id "
             "WHERE f.nct_id = i.nct_id")
    return (f"(SELECT json_group_array(s.name) {found}) AS searches, "
            f"(SELECT json_group_array(s.criteria) {found}) AS criteria")


def _items_from_rows(rows: list[dict]) -> list[InboxItem]:
    followed: dict[str, tuple[RegistryStatus, ...]] = {}  # each search's criteria read once
    return [_item_from_row(row, _followed(row["criteria"], followed)) for row in rows]


def _followed(criteria: str | None, known: dict[str, tuple[RegistryStatus, ...]]
              ) -> tuple[RegistryStatus, ...]:
    """The statuses the searches whose criteria JSON `criteria` lists follow, together."""
    statuses: set[RegistryStatus] = set()
    for text in json.loads(criteria or "[]"):
        if text not in known:
            known[text] = SearchCriteria.model_validate_json(text).followed_statuses
        statuses.update(known[text])
    return tuple(sorted(statuses))


def _item_from_row(row: dict, followed: tuple[RegistryStatus, ...]) -> InboxItem:
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
        last_update_posted=record.get("last_update_posted"), followed_statuses=followed)


def _date(value: dict | None) -> PartialDate | None:
    return PartialDate.model_validate(value) if value else None
