"""Fold a registry record into a library trial: registry fields only, curated data kept.

The field mapping itself is `tracker.ctgov.apply`; this adds what the library decides: when
the record was seen, and keeping curated values where the registry has none.
"""

from __future__ import annotations

import datetime as dt

from tracker.ctgov import RegistryRecord, apply_record, registry_values, trial_from_record
from tracker.domain import Trial
from tracker.domain.modality import guess_modality


def apply_full_record(trial: Trial, record: RegistryRecord, when: dt.datetime) -> Trial:
    """The trial with `record`'s registry fields; outcomes, summary, modality stay ours."""
    updated = apply_record(trial, record, full=True)
    return updated.model_copy(update={
        "brief_title": record.brief_title or trial.brief_title,
        "phases": record.phases or trial.phases,
        "acronym": trial.acronym or record.acronym,
        "last_synced_at": when,
    })


def new_trial_from_record(record: RegistryRecord, when: dt.datetime) -> Trial:
    """A library trial for a study added from the registry, with a guessed modality."""
    trial = trial_from_record(record)
    return trial.model_copy(update={
        "brief_title": record.brief_title or record.nct_id,
        "modality": guess_modality(record.interventions, record.brief_title or ""),
        "drugs": tuple(name.lower() for name in record.interventions),
        "last_synced_at": when,
    })


def registry_fields_differ(trial: Trial, record: RegistryRecord) -> bool:
    """True when a full record would change anything the registry owns."""
    values = registry_values(record, full=True)
    values["brief_title"] = record.brief_title or trial.brief_title
    values["phases"] = record.phases or trial.phases
    return any(getattr(trial, name) != value for name, value in values.items())
