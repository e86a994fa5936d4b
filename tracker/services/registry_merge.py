"""Fold a registry record into a library trial: registry fields only, curated data kept."""

from __future__ import annotations

import datetime as dt

from tracker.ctgov import RegistryRecord
from tracker.domain import RegistryState, Trial
from tracker.domain.modality import guess_modality

_COPIED = (
    "official_title", "brief_summary", "conditions", "interventions", "status", "why_stopped",
    "start_date", "primary_completion_date", "completion_date", "enrollment", "enrollment_kind",
    "sponsor", "has_results", "last_update_posted",
)


def apply_record(trial: Trial, record: RegistryRecord, when: dt.datetime) -> Trial:
    """The trial with `record`'s registry fields; outcomes, summary, modality stay ours."""
    update = {name: getattr(record, name) for name in _COPIED}
    update.update(
        id=record.nct_id,
        aliases=tuple(sorted({*trial.aliases, *record.aliases, trial.id} - {record.nct_id})),
        brief_title=record.brief_title or trial.brief_title,
        phases=record.phases or trial.phases,
        acronym=trial.acronym or record.acronym,
        last_synced_at=when,
        registry_state=RegistryState.FOUND,
    )
    return trial.model_copy(update=update)


def trial_from_record(record: RegistryRecord, when: dt.datetime) -> Trial:
    """A new library trial for a study added from the registry."""
    base = Trial(
        id=record.nct_id,
        id_provenance="registry",
        brief_title=record.brief_title or record.nct_id,
        modality=guess_modality(record.interventions, record.brief_title or ""),
        drugs=tuple(name.lower() for name in record.interventions),
    )
    return apply_record(base, record, when)


def registry_fields_differ(trial: Trial, record: RegistryRecord) -> bool:
    """True when a full record would change anything the registry owns."""
    return any(getattr(trial, name) != getattr(record, name) for name in _COPIED) or (
        bool(record.brief_title) and trial.brief_title != record.brief_title)
