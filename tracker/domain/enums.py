"""Vocabularies shared by the curated data, the registry and the UI."""

from __future__ import annotations

from enum import StrEnum


class DateKind(StrEnum):
    """Whether a registry date already happened or is planned."""

    ACTUAL = "ACTUAL"
    ESTIMATED = "ESTIMATED"


class Modality(StrEnum):
    BCL2 = "bcl2"
    CAR_T = "car-t"
    BISPECIFIC = "bispecific"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"bcl2": "BCL-2", "car-t": "CAR-T", "bispecific": "Bispecific", "other": "Other"}[
            self.value
        ]

    @classmethod
    def named(cls, text: str | None) -> Modality | None:
        """The modality a search for exactly its name means ("CAR-T", "car t", "BCL-2",
        "bispecifics"), else None; "other" names no modality."""
        key = "".join(ch for ch in (text or "").lower() if ch.isalnum()).removesuffix("s")
        return {"bcl2": cls.BCL2, "cart": cls.CAR_T, "bispecific": cls.BISPECIFIC}.get(key)


class OutcomeKind(StrEnum):
    """A curated figure is the trial's own `result`, or `context`: a class-level or background
    statement a review attaches to the trial (shown, but never a headline or a comparison cell)."""

    RESULT = "result"
    CONTEXT = "context"


class Phase(StrEnum):
    """ClinicalTrials.gov's phase vocabulary (designModule.phases)."""

    NA = "NA"
    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"


PHASE_LABELS = {
    Phase.NA: "N/A",
    Phase.EARLY_PHASE1: "Early phase 1",
    Phase.PHASE1: "Phase 1",
    Phase.PHASE2: "Phase 2",
    Phase.PHASE3: "Phase 3",
    Phase.PHASE4: "Phase 4",
}


def phase_label(phases: tuple[Phase, ...] | list[Phase]) -> str:
    """`["PHASE1", "PHASE2"]` -> `Phase 1/2`; empty -> `Phase not stated` (not "N/A", which the registry uses for "not applicable")."""
    if not phases:
        return "Phase not stated"
    numbers = [PHASE_LABELS[p].removeprefix("Phase ") for p in phases if p.startswith("PHASE")]
    if len(numbers) == len(phases):
        return "Phase " + "/".join(numbers)
    return " / ".join(PHASE_LABELS[p] for p in phases)


class RegistryStatus(StrEnum):
    """ClinicalTrials.gov overallStatus values."""

    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING"
    COMPLETED = "COMPLETED"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
    RECRUITING = "RECRUITING"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    WITHDRAWN = "WITHDRAWN"
    AVAILABLE = "AVAILABLE"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING"
    WITHHELD = "WITHHELD"
    UNKNOWN = "UNKNOWN"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class RegistryState(StrEnum):
    """What the last sync learned about the trial's registry record."""

    NEVER_SYNCED = "never_synced"
    FOUND = "found"
    NOT_FOUND = "not_found"
    NO_REGISTRY_RECORD = "no_registry_record"  # local curated studies
