"""What a registry status needs beside it: what an UNKNOWN status was last known to be, and
how long ago the sponsor last verified any status.

ClinicalTrials.gov marks a study whose sponsor has not verified an open status for two years
UNKNOWN, keeping `lastKnownStatus`; `statusVerifiedDate` (YYYY-MM) says when the sponsor last
confirmed the status. An open status verified over a year ago is named with its date, so
"Recruiting" from 2022 is not read as recruiting today.
"""

from __future__ import annotations

import datetime as dt

from tracker.domain.enums import OPEN_STATUSES, RegistryState, RegistryStatus

STALE_AFTER_MONTHS = 12


def status_context(status: RegistryStatus | str | None,
                   last_known: RegistryStatus | str | None, verified: str | None,
                   today: dt.date | None = None) -> str:
    """"last known: Enrolling by invitation; last verified 2019-12" for an UNKNOWN status,
    "last verified 2022-09" for a status of a study under way (recruiting, active…) verified
    over a year ago, else "" (a final status, completed or terminated, does not go stale)."""
    if status is None:
        return ""
    parts = []
    unknown = RegistryStatus(status) is RegistryStatus.UNKNOWN
    if unknown and last_known:
        parts.append(f"last known: {RegistryStatus(last_known).label}")
    stale = (RegistryStatus(status) in OPEN_STATUSES
             and _months_ago(verified or "", today) > STALE_AFTER_MONTHS)
    if verified and (unknown or stale):
        parts.append(f"last verified {verified}")
    return "; ".join(parts)


def status_with_context(label: str, status: RegistryStatus | str | None,
                        last_known: RegistryStatus | str | None, verified: str | None,
                        today: dt.date | None = None) -> str:
    """"Unknown (last known: Enrolling by invitation; last verified 2019-12)", "Recruiting —
    last verified 2022-09", or the label alone."""
    context = status_context(status, last_known, verified, today)
    if not context:
        return label
    if status is not None and RegistryStatus(status) is RegistryStatus.UNKNOWN:
        return f"{label} ({context})"
    return f"{label} — {context}"


def stop_reason(status: RegistryStatus | str | None, why_stopped: str | None) -> str:
    """The sponsor's reason for a suspended, terminated or withdrawn study ("" for any other
    status: a completed study's leftover `whyStopped` is not a stop)."""
    if not why_stopped or status is None or not RegistryStatus(status).stopped_early:
        return ""
    return why_stopped


def handout_status(trial, *, context: bool = True, today: dt.date | None = None) -> str | None:
    """A synced trial's status as a handout prints it: "Recruiting — last verified 2022-09",
    "Unknown (last known: Active, not recruiting; last verified 2019-12)" (`context`: with
    what the status needs beside it), "Not found in the registry (last seen: Recruiting)";
    None for a trial with no registry status (the caller says why)."""
    last_seen = trial.status
    if str(getattr(trial.registry_state, "value", trial.registry_state)) == "not_found":
        return "Not found in the registry" + (f" (last seen: {last_seen.label})"
                                             if last_seen else "")
    if last_seen is None:
        return None
    if not context:
        return last_seen.label
    return status_with_context(last_seen.label, last_seen, trial.last_known_status,
                               trial.status_verified, today)


def status_note(trial, today: dt.date | None = None) -> str:
    """What a trial's status needs beside it, for a column of its own next to the bare status
    (spreadsheet, CSV): "Not found in the registry (last seen: Recruiting)" for a trial the
    registry no longer lists, "last known: Active not recruiting; last verified 2019-12" for
    a found one whose status needs context, else ""."""
    if trial.not_found:
        return handout_status(trial) or ""
    if trial.registry_state != RegistryState.FOUND or trial.status is None:
        return ""
    return status_context(trial.status, trial.last_known_status, trial.status_verified, today)


def _months_ago(verified: str, today: dt.date | None) -> int:
    """Whole months from `verified` (YYYY-MM or YYYY-MM-DD) to today; 0 when unreadable."""
    today = today or dt.datetime.now(dt.UTC).date()
    try:
        year, month = int(verified[:4]), int(verified[5:7])
    except ValueError:
        return 0
    return (today.year - year) * 12 + today.month - month
