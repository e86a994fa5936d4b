"""Trials: read with their outcomes, insert curated ones, write registry fields, re-key."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from tracker.domain import Outcome, RegistryState, Trial, TrialNotFoundError
from tracker.store.database import Database
from tracker.store.query import ListRow, TrialQuery
from tracker.store.rows import (
    outcome_from_row,
    outcome_to_row,
    registry_row,
    trial_from_row,
    trial_to_row,
)
from tracker.store.timestamps import to_text, utc_now
from tracker.store.views import OUTCOMES_OF_TRIALS_SQL, resolve_trial_id


class TrialRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, trial_id: str) -> Trial:
        canonical = self.resolve(trial_id)
        rows = self._db.query("SELECT * FROM trials WHERE id = ?", (canonical,))
        return trial_from_row(rows[0], self._outcomes_for([canonical])[canonical])

    def resolve(self, trial_id: str) -> str:
        """The library's id for `trial_id`, following registry aliases; raise if unknown."""
        return resolve_trial_id(self._db, trial_id)

    def exists(self, trial_id: str) -> bool:
        try:
            self.resolve(trial_id)
        except TrialNotFoundError:
            return False
        return True

    def ids(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM trials ORDER BY id")]

    def registry_ids(self) -> list[str]:
        return [i for i in self.ids() if i.startswith("NCT")]

    def sync_states(self) -> dict[str, tuple[str, str | None, str | None, str | None]]:
        """id -> (registry_state, last_update_posted, status, status_verified): what a sync
        compares, cheaply."""
        rows = self._db.execute(
            "SELECT id, registry_state, last_update_posted, status, status_verified FROM trials")
        return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM trials").fetchone()[0]

    def list(self, query: TrialQuery | None = None, with_outcomes: bool = True) -> list[Trial]:
        sql, params = (query or TrialQuery()).to_sql()
        rows = self._db.query(sql, params)
        outcomes = self._outcomes_for([r["id"] for r in rows]) if with_outcomes else {}
        return [trial_from_row(row, outcomes.get(row["id"], ())) for row in rows]

    def list_rows(self, query: TrialQuery | None = None) -> Iterator[ListRow]:
        """The few columns a terminal listing shows, streamed row by row in display order
        (no model objects: `tracker list` over 100,000 trials stays small and quick)."""
        sql, params = (query or TrialQuery()).to_sql(
            "t.id, t.modality, t.phases, t.status, t.registry_state, t.acronym, t.brief_title")
        for row in self._db.execute(sql, params):
            yield ListRow(*row)

    def longest_id(self) -> int:
        return self._db.execute("SELECT coalesce(max(length(id)), 0) FROM trials").fetchone()[0]

    def _outcomes_for(self, ids: list[str]) -> dict[str, list[Outcome]]:
        found: dict[str, list[Outcome]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._db.query(
                OUTCOMES_OF_TRIALS_SQL.format(",".join("?" * len(chunk))), tuple(chunk))
            for row in rows:
                found[row["trial_id"]].append(outcome_from_row(row))
        return found

    def insert(self, trials: Iterable[Trial], added_at: dt.datetime | None = None) -> int:
        """Insert new trials with their outcomes in one transaction; return how many."""
        stamp = to_text(added_at or utc_now())
        count = 0
        with self._db.transaction() as conn:
            for trial in trials:
                row = trial_to_row(trial) | {"added_at": stamp}
                _insert_row(conn, "trials", row)
                for position, outcome in enumerate(trial.outcomes):
                    _insert_row(conn, "outcomes", outcome_to_row(trial.id, position, outcome))
                count += 1
        return count

    def update_registry(self, trial: Trial) -> None:
        """Write the registry fields of an existing trial; curated fields are left alone."""
        self.update_registry_many([trial])

    def update_registry_many(self, trials: Iterable[Trial]) -> None:
        """`update_registry` for each of `trials`, in one statement per set of columns (the
        search index's trigger is cheaper run in one statement than in one per trial);
        TrialNotFoundError, writing none, when one of them is not in the library."""
        groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for trial in trials:
            row = registry_row(trial)
            groups[tuple(row)].append(row | {"id": trial.id})
        with self._db.transaction() as conn:
            for names, rows in groups.items():
                assignments = ", ".join(f"{name} = :{name}" for name in names)
                cursor = conn.executemany(f"UPDATE trials SET {assignments} WHERE id = :id",
                                          rows)
                if cursor.rowcount != len(rows):
                    raise TrialNotFoundError(self._first_unknown([row["id"] for row in rows]))

    def _first_unknown(self, trial_ids: list[str]) -> str:
        return next((i for i in trial_ids if not self._db.execute(
            "SELECT 1 FROM trials WHERE id = ?", (i,)).fetchone()), trial_ids[0])

    def update_curated(self, trial_id: str, curated: Trial) -> None:
        """Replace the curated facts of a trial (summary, modality, drugs, diseases, acronym,
        comparator, outcomes) with `curated`'s; registry fields and everything of the user's
        stay."""
        row = trial_to_row(curated)
        with self._db.transaction() as conn:
            conn.execute(
                "UPDATE trials SET summary = ?, modality = ?, drugs = ?, diseases = ?, "
                "acronym = coalesce(?, acronym), comparator = ?, id_provenance = CASE WHEN "
                "id_provenance = 'registry' THEN ? ELSE id_provenance END WHERE id = ?",
                (row["summary"], row["modality"], row["drugs"], row["diseases"], row["acronym"],
                 row["comparator"], row["id_provenance"], trial_id))
            conn.execute("DELETE FROM outcomes WHERE trial_id = ?", (trial_id,))
            for position, outcome in enumerate(curated.outcomes):
                _insert_row(conn, "outcomes", outcome_to_row(trial_id, position, outcome))

    def mark_not_found(self, trial_ids: Iterable[str], when: dt.datetime) -> None:
        """The registry does not know these trials (nothing is deleted): state not_found and
        the time of this check (also for trials missed before: "checked … ago" is the latest
        check); one transaction."""
        gone = RegistryState.NOT_FOUND.value
        with self._db.transaction() as conn:
            conn.executemany(
                "UPDATE trials SET registry_state = ?, last_synced_at = ? WHERE id = ?",
                [(gone, to_text(when), trial_id) for trial_id in trial_ids])

    def rekey(self, old_id: str, new_id: str) -> None:
        """Give a trial its canonical registry id; notes, tags, lists and history follow
        (ON UPDATE CASCADE) and the old id is kept as an alias."""
        with self._db.transaction() as conn:
            aliases = json.loads(
                conn.execute("SELECT aliases FROM trials WHERE id = ?", (old_id,)).fetchone()[0]
            )
            merged = sorted({*aliases, old_id} - {new_id})
            conn.execute(
                "UPDATE trials SET id = ?, aliases = ? WHERE id = ?",
                (new_id, json.dumps(merged), old_id),
            )

    def delete(self, trial_id: str) -> None:
        """Delete a trial; its outcomes, notes, tags, history and list entries go with it."""
        with self._db.transaction() as conn:
            if conn.execute("DELETE FROM trials WHERE id = ?", (trial_id,)).rowcount != 1:
                raise TrialNotFoundError(trial_id)

    def disease_lists(self) -> list[tuple[list[str], int]]:
        """Each distinct list of disease codes with how many trials have it (for counts that
        roll up the vocabulary's tree; grouped in SQL, so 100,000 trials are a few rows)."""
        rows = self._db.execute("SELECT diseases, count(*) FROM trials GROUP BY diseases")
        return [(json.loads(row[0]), row[1]) for row in rows]

    def apply_disease_vocabulary(self) -> int:
        """Map every stored disease through the vocabulary (libraries made before it existed
        kept "ALL", "SLL", "hematologic malignancies"…); trials added from the registry get
        theirs from their conditions. Returns how many trials changed."""
        from tracker.domain.diseases import normalize

        changed = []
        rows = self._db.execute("SELECT id, diseases, conditions, id_provenance FROM trials")
        for trial_id, stored, conditions, provenance in rows.fetchall():
            old = json.loads(stored)
            new = list(normalize(old, keep_unknown=True))
            if not new and provenance == "registry":
                new = list(normalize(json.loads(conditions)))
            if new != old:
                changed.append((json.dumps(new, ensure_ascii=False), trial_id))
        with self._db.transaction() as conn:
            conn.executemany("UPDATE trials SET diseases = ? WHERE id = ?", changed)
        return len(changed)

    def facet_counts(self, column: str) -> dict[str, int]:
        """Counts per modality / status / disease / phase for the library tree."""
        if column in ("diseases", "phases"):
            sql = (f"SELECT j.value AS key, count(*) AS n FROM trials, json_each(trials.{column}) j "
                   "GROUP BY j.value ORDER BY n DESC, key")
        elif column == "status_or_state":  # a trial without a current registry status: why not
            sql = ("SELECT CASE WHEN registry_state = 'not_found' THEN 'state:not_found' "
                   "ELSE coalesce(status, 'state:' || registry_state) END AS key, count(*) AS n "
                   "FROM trials GROUP BY key ORDER BY n DESC, key")
        elif column in ("modality", "status", "registry_state"):
            sql = (f"SELECT coalesce({column}, '') AS key, count(*) AS n FROM trials "
                   f"GROUP BY {column} ORDER BY n DESC, key")
        else:
            raise ValueError(f"no facet {column!r}")
        return {row[0]: row[1] for row in self._db.execute(sql)}


def _insert_row(conn, table: str, row: dict) -> None:
    columns = ", ".join(row)
    placeholders = ", ".join(f":{name}" for name in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", row)
