"""Vocabularies shared by the curated data, the registry and the UI.

The registry's vocabularies (status, phase, date type) grow: a code this table does not list
yet (`overallStatus: "SOMETHING_NEW"`) still makes a member, an *unlisted* one, so the record
is kept, stored and shown as "Something new (registry code SOMETHING_NEW)" instead of being
dropped as malformed; an unlisted status says it is one this build does not recognise ("Something
new (unrecognised status, registry code SOMETHING_NEW)"), wherever it is shown, as it may come
from a file rather than from the registry. Only code-shaped text (capitals, digits,
underscores; at most 40) is taken; anything else is still a format error. Listed members stay
the only ones iteration yields, so pickers and filters offer the known codes alone.
"""

from __future__ import annotations

import re
from enum import StrEnum

_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,39}")
_MAX_UNLISTED = 200  # distinct unlisted codes kept as one member each (then made afresh)
_unlisted: dict[tuple[type, str], StrEnum] = {}


class RegistryCode(StrEnum):
    """A registry vocabulary that keeps codes it does not list (no members of its own)."""

    @classmethod
    def _missing_(cls, value: object) -> RegistryCode | None:
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            return None  # not a code: a format error, as before
        member = _unlisted.get((cls, value))
        if member is None:
            member = str.__new__(cls, value)
            member._name_ = member._value_ = value
            if len(_unlisted) < _MAX_UNLISTED:
                _unlisted[(cls, value)] = member
        return member  # type: ignore[return-value]

    @property
    def is_listed(self) -> bool:
        """False for a code the registry added after this table was written."""
        return self._name_ in type(self)._member_map_

    def unlisted_label(self, what: str = "") -> str:
        """`SOMETHING_NEW` -> `Something new (registry code SOMETHING_NEW)`; naming `what`
        the vocabulary holds ("status"): `Something new (unrecognised status, registry code
        SOMETHING_NEW)`."""
        flag = f"unrecognised {what}, " if what else ""
        return f"{self.value.replace('_', ' ').capitalize()} ({flag}registry code {self.value})"


def code_problem(value: object, what: str) -> str | None:
    """Why `value` cannot be a registry code for `what` ("status"), or None. Any code-shaped
    text is one (the vocabulary grows; an unlisted code is flagged where it is shown); text
    of any other shape (markup, a sentence, a long string) or another type never is."""
    if isinstance(value, RegistryCode):
        return None
    if not isinstance(value, str):
        from tracker.domain.plain_errors import kind_of

        return f"should be a registry {what} code (text), not {kind_of(value)}"
    if not _CODE.fullmatch(value):
        from tracker.domain.plain_errors import shown_value

        return (f"{shown_value(value)} is not a registry {what} code (capital letters, "
                "digits and underscores, at most 40 characters, such as RECRUITING)")
    return None


class DateKind(RegistryCode):
    """Whether a registry date already happened or is planned (an unlisted type is neither)."""

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


class Phase(RegistryCode):
    """ClinicalTrials.gov's phase vocabulary (designModule.phases)."""

    NA = "NA"
    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"

    @property
    def label(self) -> str:
        return PHASE_LABELS.get(self) or self.unlisted_label()


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
    labels = [PHASE_LABELS.get(p) or Phase(p).label for p in phases]
    numbers = [label.removeprefix("Phase ") for label in labels if label.startswith("Phase ")]
    if len(numbers) == len(phases):
        return "Phase " + "/".join(numbers)
    return " / ".join(labels)


class RegistryStatus(RegistryCode):
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
        """"Active not recruiting"; a code this table does not list is flagged (every view
        shows a status by this label)."""
        if not self.is_listed:
            return self.unlisted_label("status")
        return self.value.replace("_", " ").capitalize()

    @property
    def takes_patients(self) -> bool:
        """Whether a site can take a referral: only while the trial itself recruits (a
        completed or terminated trial's record often still lists its sites as recruiting)."""
        return self is RegistryStatus.RECRUITING

    @property
    def stopped_early(self) -> bool:
        """Suspended, terminated or withdrawn: a status whose sponsor's reason (`whyStopped`)
        is a safety fact every view states beside it."""
        return self in _STOPPED_EARLY


#: Statuses of a study still under way (not completed, terminated, withdrawn, stale or
#: withheld): what a saved search without statuses of its own follows.
OPEN_STATUSES = (RegistryStatus.NOT_YET_RECRUITING, RegistryStatus.RECRUITING,
                 RegistryStatus.ENROLLING_BY_INVITATION, RegistryStatus.ACTIVE_NOT_RECRUITING,
                 RegistryStatus.SUSPENDED, RegistryStatus.AVAILABLE,
                 RegistryStatus.TEMPORARILY_NOT_AVAILABLE)

_STOPPED_EARLY = frozenset({RegistryStatus.SUSPENDED, RegistryStatus.TERMINATED,
                            RegistryStatus.WITHDRAWN})


class RegistryState(StrEnum):
    """What the last sync learned about the trial's registry record."""

    NEVER_SYNCED = "never_synced"
    FOUND = "found"
    NOT_FOUND = "not_found"
    NO_REGISTRY_RECORD = "no_registry_record"  # local curated studies
