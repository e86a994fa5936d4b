"""Qt-free domain: trial records, outcomes, notes, watch lists, ids and errors.

Names are loaded on first use (PEP 562), so `from tracker.domain import RegistryStatus`
does not import pydantic: the window paints before the models are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.lazy import lazy_attributes

_WHERE = {
    "PartialDate": "dates",
    "DateKind": "enums", "Modality": "enums", "OutcomeKind": "enums", "Phase": "enums",
    "RegistryState": "enums", "RegistryStatus": "enums",
    "InvalidTrialIdError": "errors", "LibraryError": "errors", "LibraryTooNewError": "errors",
    "TrackerError": "errors", "TrialNotFoundError": "errors",
    "NotALibraryError": "errors", "LibraryBusyError": "errors", "LibraryFullError": "errors",
    "LibraryDamagedError": "errors", "LibraryReadOnlyError": "errors",
    "NoteTooLongError": "errors",
    "is_local_id": "ids", "is_nct_id": "ids", "parse_nct_id": "ids", "parse_trial_id": "ids",
    "Note": "models", "Outcome": "models", "Source": "models", "StatusChange": "models",
    "Tag": "models", "Trial": "models", "WatchList": "models",
    "users_today": "calendar_day", "start_of_day": "calendar_day", "local_day": "calendar_day",
}
__all__ = sorted(_WHERE)


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


if TYPE_CHECKING:
    from tracker.domain.calendar_day import local_day, start_of_day, users_today
    from tracker.domain.dates import PartialDate
    from tracker.domain.enums import (
        DateKind,
        Modality,
        OutcomeKind,
        Phase,
        RegistryState,
        RegistryStatus,
    )
    from tracker.domain.errors import (
        InvalidTrialIdError,
        LibraryBusyError,
        LibraryDamagedError,
        LibraryError,
        LibraryFullError,
        LibraryReadOnlyError,
        LibraryTooNewError,
        NotALibraryError,
        NoteTooLongError,
        TrackerError,
        TrialNotFoundError,
    )
    from tracker.domain.ids import is_local_id, is_nct_id, parse_nct_id, parse_trial_id
    from tracker.domain.models import Note, Outcome, Source, StatusChange, Tag, Trial, WatchList
