"""Registry status history and small library-wide facts (the last sync time).

The status history is the `overall_status` part of the change log (`field_changes`); this
repository keeps its older, status-only interface for the callers that want just that.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tracker.store.database import Database
from tracker.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from tracker.domain import StatusChange


def status_change_from_row(row: dict[str, Any]) -> StatusChange:
    """The model (imported on first use: the library's meta facts need no pydantic)."""
    from tracker.store.rows import status_change_from_row as from_row

    return from_row(row)


class HistoryRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def record(self, change: StatusChange) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO field_changes (trial_id, field, old, new, significance, "
                "registry_date, seen_at) VALUES (?, 'overall_status', ?, ?, ?, ?, ?)",
                (
                    change.trial_id,
                    change.old_status.value if change.old_status else None,
                    change.new_status.value,
                    "major" if change.old_status else "initial",
                    change.registry_date,
                    to_text(change.seen_at),
                ),
            )

    def for_trial(self, trial_id: str) -> list[StatusChange]:
        rows = self._db.query(
            "SELECT * FROM status_changes WHERE trial_id = ? ORDER BY seen_at, id", (trial_id,)
        )
        return [status_change_from_row(row) for row in rows]

    def for_trials(self, trial_ids: list[str]) -> dict[str, list[StatusChange]]:
        found: dict[str, list[StatusChange]] = {trial_id: [] for trial_id in trial_ids}
        for row in self._db.query("SELECT * FROM status_changes ORDER BY seen_at, id"):
            if row["trial_id"] in found:
                found[row["trial_id"]].append(status_change_from_row(row))
        return found


class MetaRepository:
    """Key/value facts about the library itself."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def last_sync_at(self) -> dt.datetime | None:
        return from_text(self.get("last_sync_at"))
