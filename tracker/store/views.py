"""Stored trials and notes read for display, as plain views (no pydantic, no validation).

What was stored was validated on the way in; `tracker show` only prints it. The rows are read
the way `store/rows.py` reads them for the models, so a view and its model hold the same."""

from __future__ import annotations

import json
from typing import Any

from tracker.domain.enums import (
    DateKind,
    Modality,
    OutcomeKind,
    Phase,
    RegistryState,
    RegistryStatus,
)
from tracker.domain.errors import TrialNotFoundError
from tracker.domain.views import DateView, NoteView, OutcomeView, SourceView, TrialView
from tracker.store.damaged_rows import reading_row
from tracker.store.database import Database
from tracker.store.fault_column import fault_from_row
from tracker.store.timestamps import from_text

_LIST_FIELDS = ("aliases", "drugs", "diseases", "conditions", "interventions")
_DATE_FIELDS = ("start_date", "primary_completion_date", "completion_date")
_TEXT_FIELDS = ("id", "id_provenance", "acronym", "brief_title", "official_title", "summary",
                "brief_summary", "why_stopped", "enrollment", "enrollment_kind", "sponsor",
                "last_update_posted", "status_verified")

NOTES_OF_TRIAL_SQL = "SELECT * FROM notes WHERE trial_id = ? ORDER BY created_at, id"
OUTCOMES_OF_TRIALS_SQL = ("SELECT * FROM outcomes WHERE trial_id IN ({}) "
                          "ORDER BY trial_id, position")


def resolve_trial_id(db: Database, trial_id: str) -> str:
    """The library's id for `trial_id`, following registry aliases; raise if unknown."""
    row = db.execute(
        "SELECT id FROM trials WHERE id = ? UNION ALL SELECT id FROM trials "
        "WHERE EXISTS (SELECT 1 FROM json_each(aliases) WHERE value = ?) LIMIT 1",
        (trial_id, trial_id),
    ).fetchone()
    if row is None:
        raise TrialNotFoundError(trial_id)
    return row[0]


class ViewRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def trial(self, trial_id: str) -> TrialView:
        """The trial (found by id or alias) with its curated figures."""
        canonical = resolve_trial_id(self._db, trial_id)
        row = self._db.query("SELECT * FROM trials WHERE id = ?", (canonical,))[0]
        outcomes = self._db.query(OUTCOMES_OF_TRIALS_SQL.format("?"), (canonical,))
        return trial_view(row, tuple(outcome_view(o) for o in outcomes))

    def notes(self, trial_id: str) -> list[NoteView]:
        return [note_view(row) for row in self._db.query(NOTES_OF_TRIAL_SQL, (trial_id,))]


def trial_view(row: dict[str, Any], outcomes: tuple[OutcomeView, ...]) -> TrialView:
    """The row as a plain view; LibraryDamagedError naming the trial when a field is
    unreadable."""
    with reading_row(row.get("id")):
        return _trial_view(row, outcomes)


def _trial_view(row: dict[str, Any], outcomes: tuple[OutcomeView, ...]) -> TrialView:
    data: dict[str, Any] = {name: row[name] for name in _TEXT_FIELDS}
    for name in _LIST_FIELDS:
        data[name] = tuple(json.loads(row[name]))
    for name in _DATE_FIELDS:
        if row[name]:
            kind = row[f"{name}_kind"]
            data[name] = DateView(row[name], DateKind(kind) if kind else None)
    status = row["status"]
    return TrialView(
        **data,
        modality=Modality(row["modality"]),
        phases=tuple(Phase(phase) for phase in json.loads(row["phases"])),
        status=RegistryStatus(status) if status else None,
        last_known_status=(RegistryStatus(row["last_known_status"])
                           if row["last_known_status"] else None),
        registry_state=RegistryState(row["registry_state"]),
        has_results=None if row["has_results"] is None else bool(row["has_results"]),
        last_synced_at=from_text(row["last_synced_at"]),
        outcomes=outcomes,
        comparator=row.get("comparator"),  # absent from a library read as it is
    )


def outcome_view(row: dict[str, Any]) -> OutcomeView:
    return OutcomeView(
        metric=row["metric"], value=row["value"], number=row["number"], unit=row["unit"],
        arm=row["arm"], population=row["population"], timepoint=row["timepoint"],
        source=SourceView(row["source_file"], row["source_locator"]), quote=row["quote"],
        caveat=row["caveat"], kind=OutcomeKind(row["kind"]), print_fault=fault_from_row(row),
    )


def note_view(row: dict[str, Any]) -> NoteView:
    return NoteView(id=row["id"], trial_id=row["trial_id"], body=row["body"],
                    author=row["author"], created_at=from_text(row["created_at"]),
                    updated_at=from_text(row["updated_at"]))
