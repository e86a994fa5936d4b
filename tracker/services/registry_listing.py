"""When the registry stops listing a trial, and when it lists it again: major, dated entries
of the change log (`registry_listing`), written by the sync that sees it happen."""

from __future__ import annotations

import datetime as dt

from tracker.ctgov import RegistryRecord
from tracker.domain import RegistryState, Trial
from tracker.domain.changes import FieldChange, Significance
from tracker.domain.words import lower_first


def left_the_registry(trial: Trial, seen_at: dt.datetime) -> FieldChange | None:
    """The change for a trial this sync did not find; None unless the registry listed it
    until now (a trial missed again, or never listed, has nothing new to log)."""
    if trial.registry_state != RegistryState.FOUND:
        return None
    return FieldChange(
        trial_id=trial.id, field="registry_listing", significance=Significance.MAJOR,
        old=lower_first(trial.status.label) if trial.status else "listed", new="not found",
        seen_at=seen_at)


def listed_again(trial: Trial, record: RegistryRecord, seen_at: dt.datetime
                 ) -> FieldChange | None:
    """The change for a trial found again after a sync missed it; None unless it was listed
    before that (a status seen): a trial never listed until now is simply found."""
    if trial.registry_state != RegistryState.NOT_FOUND or trial.status is None:
        return None
    return FieldChange(
        trial_id=record.nct_id, field="registry_listing", significance=Significance.MAJOR,
        old="not found", new=lower_first(record.status.label) if record.status else "listed",
        registry_date=record.last_update_posted, seen_at=seen_at)
