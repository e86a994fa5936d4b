"""Registry record -> domain `Trial`: new trials, and registry-field updates of known ones.

Only registry fields change (and, for a trial added from the registry, the diseases its
conditions map to through the disease vocabulary); curated facts (summary, modality, drugs, diseases, acronym,
outcomes) and the trial's id are left to the caller. Re-keying to a canonical id is the
store's business (`TrialRepository.rekey`); these functions never change `Trial.id`.
"""

from __future__ import annotations

from typing import Any

from tracker.ctgov.records import RegistryRecord
from tracker.domain import RegistryState, Trial
from tracker.domain.diseases import normalize

#: What a compact record (the check of trials already synced) carries.
COMPACT_TRIAL_FIELDS = (
    "status", "why_stopped", "start_date", "primary_completion_date", "completion_date",
    "enrollment", "enrollment_kind", "has_results", "last_update_posted",
)
#: What a full record carries on top of the compact fields.
FULL_ONLY_TRIAL_FIELDS = (
    "brief_title", "official_title", "brief_summary", "conditions", "interventions", "phases",
    "sponsor", "last_known_status", "status_verified",
)


def registry_values(record: RegistryRecord, *, full: bool) -> dict[str, Any]:
    """The Trial fields a record of this kind sets (aliases are merged separately)."""
    values: dict[str, Any] = {name: getattr(record, name) for name in COMPACT_TRIAL_FIELDS}
    if full:
        values.update({name: getattr(record, name) for name in FULL_ONLY_TRIAL_FIELDS})
        values["brief_title"] = record.brief_title or ""
    return values


def apply_record(trial: Trial, record: RegistryRecord, *, full: bool) -> Trial:
    """`trial` with the registry fields of `record`; aliases become the union of both."""
    update = registry_values(record, full=full)
    update["aliases"] = merged_aliases(trial, record)
    update["registry_state"] = RegistryState.FOUND
    if full and trial.id_provenance == "registry":  # no curated diseases: the registry's own
        update["diseases"] = normalize(record.conditions)
    return Trial.model_validate({**trial.model_dump(), **update})


def trial_from_record(record: RegistryRecord) -> Trial:
    """A new library trial for a full record (`add`, registry search results)."""
    return Trial(
        id=record.nct_id,
        aliases=record.aliases,
        id_provenance="registry",
        acronym=record.acronym,
        registry_state=RegistryState.FOUND,
        diseases=normalize(record.conditions),
        **registry_values(record, full=True),
    )


def merged_aliases(trial: Trial, record: RegistryRecord) -> tuple[str, ...]:
    """Old ids the trial already had plus the registry's, without either canonical id."""
    return tuple(sorted({*trial.aliases, *record.aliases} - {trial.id, record.nct_id}))
