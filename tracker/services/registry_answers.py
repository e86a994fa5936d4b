"""What a sync concludes from the registry's answers about one study, record by record:
whether a compact answer calls for the whole record, whether several answers for one study
agree, and whether a later answer went back behind an earlier one."""

from __future__ import annotations

from tracker.ctgov import RegistryRecord

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
