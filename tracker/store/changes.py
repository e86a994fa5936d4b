"""The field-level change log: what changed in each trial's registry record, and when."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from tracker.domain.calendar_day import start_of_day
from tracker.domain.changes import FieldChange, Significance
from tracker.store.database import Database
from tracker.store.timestamps import from_text, to_text

_COLUMNS = "trial_id, field, old, new, detail, significance, registry_date, seen_at"


class ChangeRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, changes: Iterable[FieldChange]) -> None:
        rows = [(c.trial_id, c.field, c.old, c.new, c.detail, c.significance.value,
                 c.registry_date, to_text(c.seen_at)) for c in changes]
        if not rows:
            return
        with self._db.transaction() as conn:
            conn.executemany(f"INSERT INTO field_changes ({_COLUMNS}) VALUES "
                             "(?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def for_trial(self, trial_id: str) -> list[FieldChange]:
        """Oldest first (the order they were seen)."""
        rows = self._db.query("SELECT * FROM field_changes WHERE trial_id = ? "
                              "ORDER BY seen_at, id", (trial_id,))
        return [change_from_row(row) for row in rows]

    def for_trials(self, trial_ids: list[str]) -> dict[str, list[FieldChange]]:
        found: dict[str, list[FieldChange]] = {trial_id: [] for trial_id in trial_ids}
        for row in self._db.query("SELECT * FROM field_changes ORDER BY seen_at, id"):
            if row["trial_id"] in found:
                found[row["trial_id"]].append(change_from_row(row))
        return found

    def since(self, since: dt.datetime | dt.date | None = None, *,
              trial_ids: list[str] | None = None, major_only: bool = False,
              include_initial: bool = False) -> list[FieldChange]:
        """Changes seen at or after `since`, newest first (seen_at, then headline order)."""
        where, params = ["1 = 1"], []
        if since is not None:
            where.append("seen_at >= ?")
            params.append(_since_text(since))
        if major_only:
            where.append("significance = 'major'")
        elif not include_initial:
            where.append("significance != 'initial'")
        if trial_ids is not None:
            where.append("trial_id IN (SELECT value FROM json_each(?))")
            params.append(_json_list(trial_ids))
        rows = self._db.query(f"SELECT * FROM field_changes WHERE {' AND '.join(where)} "
                              "ORDER BY seen_at DESC, id DESC", tuple(params))
        changes = [change_from_row(row) for row in rows]
        return sorted(changes, key=lambda c: (-c.seen_at.timestamp(), c.rank))

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM field_changes").fetchone()[0]


def _since_text(since: dt.datetime | dt.date) -> str:
    """A moment as stored (UTC text); a date from its local midnight (`start_of_day`)."""
    if isinstance(since, dt.datetime):
        return to_text(since) or ""
    return to_text(start_of_day(since)) or ""


def _json_list(values: list[str]) -> str:
    return json.dumps(values)


def change_from_row(row: dict[str, Any]) -> FieldChange:
    return FieldChange(
        id=row["id"], trial_id=row["trial_id"], field=row["field"], old=row["old"],
        new=row["new"], detail=row["detail"], significance=Significance(row["significance"]),
        registry_date=row["registry_date"], seen_at=from_text(row["seen_at"]),
    )
