"""Registry versions and the change log: the one place a full record becomes history.

`record_registry_version` is called wherever a full registry record is applied to a trial
(the sync's phase 2, adding a trial). It stores the record as a version unless it equals the
latest one, and logs the field changes between the previous version and this one. A trial
synced before versions existed has no previous version: its stored registry fields stand in
for one, so a status change across the upgrade is still logged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker.ctgov import RegistryRecord
from tracker.ctgov.record_details import facts_from_study, section
from tracker.ctgov.record_view import sites
from tracker.domain import RegistryState, Trial
from tracker.domain.changes import DateFact, FieldChange, RecordFacts, derive_changes
from tracker.domain.record import Site
from tracker.store import Library
from tracker.store.versions import NewVersion

#: What a trial's stored registry fields (or a record without its raw study) can tell.
_STORED_FIELDS = frozenset({
    "overall_status", "why_stopped", "start_date", "primary_completion_date", "completion_date",
    "enrollment", "lead_sponsor", "has_results",
})

#: Facts only a record carrying its results section can tell.
_RESULTS_FACTS = frozenset({"posted_results", "adverse_events"})


@dataclass
class HistoryWrites:
    """What applying full records writes besides the trials' rows (versions, their sites, the
    change log), gathered so that a batch writes each table in one statement (`write`)."""

    versions: list[NewVersion] = field(default_factory=list)
    sites: dict[str, tuple[Site, ...]] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)

    def write(self, library: Library) -> None:
        library.versions.insert(self.versions)
        library.sites.replace_many(self.sites)
        library.changes.add(self.changes)


def record_registry_version(library: Library, trial: Trial, record: RegistryRecord,
                            seen_at: dt.datetime, history: HistoryWrites | None = None
                            ) -> list[FieldChange]:
    """Store `record` as the newest version of its trial and log what changed; [] when the
    record equals the latest stored version (nothing is written then). Called inside the
    caller's transaction: a trial seen without a version gets its first one without looking
    again. With `history` the writes are gathered there, for the caller to write before that
    transaction ends (one record per trial until then); without, they are written now."""
    writes = history if history is not None else HistoryWrites()
    versioned, previous = library.versions.latest_if_any(record.nct_id)
    old = facts_from_study(previous) if previous is not None else baseline_facts(trial)
    if old is not None and not _RESULTS_FACTS <= old.known and record.raw is not None \
            and "resultsSection" in record.raw:
        old = _with_last_posted_results(library, record.nct_id, old)
    # a first version is only a baseline: its status is all the change log takes from it
    new = (facts_from_study(record.raw) if record.raw is not None and old is not None
           else facts_from_fields(record))
    if record.raw is not None:
        version = library.versions.prepare(record.nct_id, record.raw,
                                           record.last_update_posted, seen_at,
                                           first=not versioned)
        if version is None:
            return []
        writes.versions.append(version)
        writes.sites[record.nct_id] = sites(section(record.raw, "protocolSection"))
    changes = derive_changes(old, new, trial_id=record.nct_id,
                             registry_date=record.last_update_posted, seen_at=seen_at)
    writes.changes += changes
    if history is None:
        writes.write(library)
    return changes


def _with_last_posted_results(library: Library, trial_id: str, old: RecordFacts
                              ) -> RecordFacts:
    """`old` (a version stored without its results section) with the posted results and
    adverse events of the latest version that carried them, so a revision made meanwhile is
    still compared (and the version without them does not read as their withdrawal)."""
    study = library.versions.latest_with_results(trial_id)
    if study is None:
        return old
    known = facts_from_study(study)
    lacking = (_RESULTS_FACTS - old.known) & known.known
    return dataclasses.replace(old, known=old.known | lacking,
                               **{name: getattr(known, name) for name in lacking})


def baseline_facts(trial: Trial) -> RecordFacts | None:
    """The trial's stored registry fields as the previous version, if it was ever synced."""
    if trial.registry_state != RegistryState.FOUND or trial.status is None:
        return None
    return facts_from_fields(trial)


def facts_from_fields(source: Trial | RegistryRecord) -> RecordFacts:
    """Facts from the flat registry fields a `Trial` and a `RegistryRecord` share."""
    return RecordFacts(
        known=_STORED_FIELDS,
        overall_status=_value(source.status),
        why_stopped=source.why_stopped,
        start_date=_date(source.start_date),
        primary_completion_date=_date(source.primary_completion_date),
        completion_date=_date(source.completion_date),
        enrollment=(source.enrollment, source.enrollment_kind)
        if source.enrollment is not None else None,
        lead_sponsor=source.sponsor,
        has_results=source.has_results,
    )


def _value(enum: Any) -> str | None:
    return enum.value if enum is not None else None


def _date(date: Any) -> DateFact | None:
    if date is None:
        return None
    return DateFact(date.value, date.kind.value if date.kind else None)
