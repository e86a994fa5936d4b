"""Qt-free domain: trial records, outcomes, notes, watch lists, ids and errors."""

from tracker.domain.dates import DateKind, PartialDate
from tracker.domain.enums import Modality, Phase, RegistryState, RegistryStatus
from tracker.domain.errors import (
    InvalidTrialIdError,
    LibraryError,
    LibraryTooNewError,
    TrackerError,
    TrialNotFoundError,
)
from tracker.domain.ids import is_local_id, is_nct_id, parse_nct_id, parse_trial_id
from tracker.domain.models import (
    Note,
    Outcome,
    Source,
    StatusChange,
    Tag,
    Trial,
    WatchList,
)

__all__ = [
    "DateKind",
    "InvalidTrialIdError",
    "LibraryError",
    "LibraryTooNewError",
    "Modality",
    "Note",
    "Outcome",
    "PartialDate",
    "Phase",
    "RegistryState",
    "RegistryStatus",
    "Source",
    "StatusChange",
    "Tag",
    "TrackerError",
    "Trial",
    "TrialNotFoundError",
    "WatchList",
    "is_local_id",
    "is_nct_id",
    "parse_nct_id",
    "parse_trial_id",
]
