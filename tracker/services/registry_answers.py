"""What a sync concludes from the registry's answers: which record answers which asked trial,
and, record by record, whether a compact answer calls for the whole record, whether several
answers for one study agree, and whether a later answer went back behind an earlier one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.ctgov import RegistryRecord
from tracker.services.sync_report import contradicting_records

if TYPE_CHECKING:
    from tracker.ctgov import BatchResult, StudyFormatError
    from tracker.services.sync_report import SyncReport

#: A trial's stored sync state: (registry state, last update, status, status verified).
SyncState = tuple[str, str | None, str | None, str | None]


def needs_full_record(state: SyncState, trial_id: str, record: RegistryRecord) -> bool:
    """The record moved on, or carries a status-verified date the library lacks (a trial
    synced before the library kept it: asked in full once)."""
    _, last_update, status, verified = state
    return (record.nct_id != trial_id or last_update != record.last_update_posted
            or status != (record.status.value if record.status else None)
            or (verified is None and record.status_verified is not None))


def disagree(records: list[RegistryRecord]) -> bool:
    """Whether answers for one study differ (a repeated page repeats them exactly)."""
    first = _content(records[0])
    return any(_content(record) != first for record in records[1:])


def went_back(before: str | None, after: str | None) -> bool:
    """Whether a record's last-update date `after` is before `before`, the date of a record
    received or stored earlier (a registry's record never goes back)."""
    return bool(before and after and after < before)


def _content(record: RegistryRecord) -> object:
    """What tells two answers apart: the whole study when it came with one."""
    if record.raw is not None:
        return record.raw
    return (record.nct_id, record.last_update_posted, record.status, record.status_verified)


def match_answers(report: SyncReport, batch: BatchResult, wanted: dict[str, str],
                  seen: set[str]) -> list[tuple[str, RegistryRecord]]:
    """(library id, record) for each record answering an asked id (by id or alias); the
    rest of the page (studies not asked for, malformed ones) goes into `report`. `seen`:
    the library ids this pass has matched already; a second answer for one (a repeated
    page) is ignored, so each trial is counted once. Records of one trial in one answer
    that differ from each other are the registry contradicting itself: the trial fails,
    unchanged, rather than taking whichever came first."""
    answers: dict[str, list[RegistryRecord]] = {}
    for record in batch.records:
        trial_id = next((wanted[i] for i in record.all_ids if i in wanted), None)
        if trial_id is None:
            report.unasked.append(record.nct_id)
        elif trial_id not in seen:
            answers.setdefault(trial_id, []).append(record)
    pairs = []
    for trial_id, records in answers.items():
        seen.add(trial_id)
        if disagree(records):
            report.failed[trial_id] = contradicting_records(trial_id, records)
        else:
            pairs.append((trial_id, records[0]))
    for failure in batch.failures:
        _note_failure(report, failure, wanted, seen)
    return pairs


def _note_failure(report: SyncReport, failure: StudyFormatError, wanted: dict[str, str],
                  seen: set[str]) -> None:
    if failure.nct_id in wanted:
        trial_id = wanted[failure.nct_id]
        if trial_id not in seen:
            seen.add(trial_id)
            report.failed[trial_id] = str(failure)
    elif failure.nct_id is None:
        report.anonymous.append(str(failure))
    else:
        report.unasked.append(failure.nct_id)
