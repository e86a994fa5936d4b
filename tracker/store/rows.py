"""Convert between SQLite rows and domain objects (lists are stored as JSON text)."""

from __future__ import annotations

import json
from typing import Any

from tracker.domain import Note, Outcome, PartialDate, StatusChange, Trial
from tracker.store.damaged_rows import reading_row
from tracker.store.fault_column import fault_from_row, fault_to_text
from tracker.store.timestamps import from_text, to_text

_LIST_FIELDS = ("aliases", "drugs", "diseases", "conditions", "interventions", "phases")
_DATE_FIELDS = ("start_date", "primary_completion_date", "completion_date")
_SCALAR_FIELDS = (
    "id", "id_provenance", "acronym", "brief_title", "official_title", "summary",
    "brief_summary", "modality", "status", "why_stopped", "enrollment", "enrollment_kind",
    "sponsor", "last_update_posted", "registry_state", "last_known_status", "status_verified",
    "comparator",
)
#: Columns a library read as it is may lack (tracker.store.migrations.READABLE_WITHOUT);
#: the outcomes' `print_fault` too (fault_column.py).
OPTIONAL_COLUMNS = frozenset({"comparator"})
REGISTRY_FIELDS = (
    "aliases", "brief_title", "official_title", "brief_summary", "conditions", "interventions",
    "phases", "status", "why_stopped", "start_date", "primary_completion_date",
    "completion_date", "enrollment", "enrollment_kind", "sponsor", "has_results",
    "last_update_posted", "last_synced_at", "registry_state", "last_known_status",
    "status_verified",
)


#: Lists are stored as JSON text. One encoder for every row: `json.dumps` with a
#: non-default option builds a new encoder per call (half the cost of a short list).
_list_to_json = json.JSONEncoder(ensure_ascii=False).encode

_ENUM_FIELDS = ("modality", "status", "last_known_status", "registry_state")
_REGISTRY_SCALARS = tuple(name for name in _SCALAR_FIELDS
                          if name in REGISTRY_FIELDS and name not in _ENUM_FIELDS)
_REGISTRY_ENUMS = tuple(name for name in _ENUM_FIELDS if name in REGISTRY_FIELDS)
_REGISTRY_LISTS = tuple(name for name in _LIST_FIELDS if name in REGISTRY_FIELDS)


def trial_to_row(trial: Trial) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(trial, name) for name in _SCALAR_FIELDS}
    _put_columns(row, trial, _ENUM_FIELDS, _LIST_FIELDS)
    return row


def registry_row(trial: Trial) -> dict[str, Any]:
    """Only the columns a sync may write: registry fields, and the diseases of a trial that
    has no curated ones (added from the registry; its diseases come from its conditions).
    The same values as `trial_to_row`'s, without making the columns it leaves out."""
    row: dict[str, Any] = {name: getattr(trial, name) for name in _REGISTRY_SCALARS}
    lists = _REGISTRY_LISTS + (("diseases",) if trial.id_provenance == "registry" else ())
    _put_columns(row, trial, _REGISTRY_ENUMS, lists)
    return row


def _put_columns(row: dict[str, Any], trial: Trial, enums: tuple[str, ...],
                 lists: tuple[str, ...]) -> None:
    """The columns that are not plain attributes: enum values, JSON lists, dates with their
    kinds, has_results and last_synced_at."""
    for name in enums:
        value = getattr(trial, name)
        row[name] = value.value if value is not None else None
    for name in lists:
        values = getattr(trial, name)
        row[name] = _list_to_json([str(v) for v in values]) if values else "[]"
    for name in _DATE_FIELDS:
        date: PartialDate | None = getattr(trial, name)
        row[name] = date.value if date else None
        row[f"{name}_kind"] = date.kind.value if date and date.kind else None
    row["has_results"] = None if trial.has_results is None else int(trial.has_results)
    row["last_synced_at"] = to_text(trial.last_synced_at)


def trial_from_row(row: dict[str, Any], outcomes: list[Outcome] | tuple = ()) -> Trial:
    """The trial a stored row holds; LibraryDamagedError naming it when a field is unreadable."""
    with reading_row(row.get("id")):
        return _trial_from_row(row, outcomes)


def _trial_from_row(row: dict[str, Any], outcomes: list[Outcome] | tuple) -> Trial:
    data: dict[str, Any] = {name: row[name] if name not in OPTIONAL_COLUMNS else row.get(name)
                            for name in _SCALAR_FIELDS}
    for name in _LIST_FIELDS:
        data[name] = json.loads(row[name])
    for name in _DATE_FIELDS:
        if row[name]:
            data[name] = PartialDate(value=row[name], kind=row[f"{name}_kind"])
    data["has_results"] = None if row["has_results"] is None else bool(row["has_results"])
    data["last_synced_at"] = from_text(row["last_synced_at"])
    data["outcomes"] = tuple(outcomes)
    return Trial.model_validate(data)


def outcome_to_row(trial_id: str, position: int, outcome: Outcome) -> dict[str, Any]:
    row = outcome.model_dump(exclude={"source"})
    row.update(
        trial_id=trial_id,
        position=position,
        source_file=outcome.source.file,
        source_locator=outcome.source.locator,
        kind=outcome.kind.value,
        print_fault=fault_to_text(outcome.print_fault),
    )
    return row


def outcome_from_row(row: dict[str, Any]) -> Outcome:
    fields = ("metric", "value", "number", "unit", "arm", "population", "timepoint", "quote",
              "caveat", "kind")
    data = {name: row[name] for name in fields}
    data["source"] = {"file": row["source_file"], "locator": row["source_locator"]}
    data["print_fault"] = fault_from_row(row)
    return Outcome.model_validate(data)


def note_from_row(row: dict[str, Any]) -> Note:
    return Note(
        id=row["id"],
        trial_id=row["trial_id"],
        body=row["body"],
        author=row["author"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )


def status_change_from_row(row: dict[str, Any]) -> StatusChange:
    return StatusChange(
        trial_id=row["trial_id"],
        old_status=row["old_status"],
        new_status=row["new_status"],
        registry_date=row["registry_date"],
        seen_at=from_text(row["seen_at"]),
    )
