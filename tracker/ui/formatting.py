"""Words and colours for what cards and the detail view show (no widgets here)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor

from tracker.domain import Modality, RegistryStatus

STATUS_COLOURS = {
    RegistryStatus.RECRUITING: "#2e7d32",
    RegistryStatus.NOT_YET_RECRUITING: "#00897b",
    RegistryStatus.ENROLLING_BY_INVITATION: "#00897b",
    RegistryStatus.ACTIVE_NOT_RECRUITING: "#1565c0",
    RegistryStatus.COMPLETED: "#455a64",
    RegistryStatus.SUSPENDED: "#ef6c00",
    RegistryStatus.TERMINATED: "#c62828",
    RegistryStatus.WITHDRAWN: "#8e0000",
    RegistryStatus.UNKNOWN: "#757575",
}
STATE_COLOURS = {"never_synced": "#9e9e9e", "not_found": "#f9a825",
                 "no_registry_record": "#6d4c41", "found": "#757575"}
MODALITY_COLOURS = {
    Modality.BCL2: "#7b1fa2",
    Modality.CAR_T: "#d84315",
    Modality.BISPECIFIC: "#0277bd",
    Modality.OTHER: "#607d8b",
}
STATE_LABELS = {"never_synced": "Not synced yet", "not_found": "Not in registry",
                "no_registry_record": "No registry record", "found": "Unknown"}


def status_label(status: RegistryStatus | None, registry_state: str) -> str:
    if registry_state == "not_found" or status is None:
        return STATE_LABELS.get(registry_state, registry_state)
    return status.label


def status_colour(status: RegistryStatus | None, registry_state: str) -> QColor:
    if status is not None and registry_state != "not_found":
        return QColor(STATUS_COLOURS.get(status, "#757575"))
    return QColor(STATE_COLOURS.get(registry_state, "#9e9e9e"))


def modality_colour(modality: Modality) -> QColor:
    return QColor(MODALITY_COLOURS[modality])


def freshness(synced_at: dt.datetime | None, now: dt.datetime | None = None, *,
              found: bool = True) -> str:
    """"synced 3 days ago" / "not synced yet" (the one wording the window uses); "checked 3
    days ago" when that sync did not find the trial (`found` False): nothing was synced."""
    if synced_at is None:
        return "not synced yet"
    verb = "synced" if found else "checked"
    seconds = max(0, int(((now or dt.datetime.now(dt.UTC)) - synced_at).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{verb} {count} {unit}{'s' if count != 1 else ''} ago"
    return f"{verb} just now"


def completion_text(date: str | None, estimated: bool, overdue: bool = False) -> str:
    """"Primary completion 2026-06 (est.)"; "(est., overdue)" for an estimate a trial still
    under way has passed (`domain.views.passed_estimate`)."""
    if not date:
        return "Primary completion: n/a"
    return f"Primary completion {date}" + (" (est., overdue)" if overdue and estimated
                                           else " (est.)" if estimated else "")
