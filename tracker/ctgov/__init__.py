"""ClinicalTrials.gov API v2: the HTTP client, response parsing and record -> domain mapping.

Names are loaded on first use (PEP 562): reading a stored record (`tracker show`, the detail
view) imports the record modules only, not `requests` and the HTTP client behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.lazy import lazy_attributes

_ERRORS = ("ApiRequestError", "CtgovError", "PagingError", "RateLimitedError",
           "RegistryUnreachableError", "ResponseFormatError", "RetriesExhaustedError",
           "ServerError", "StudyFormatError", "StudyNotFoundError", "UriTooLongError",
           "WrongStudyError")
_WHERE = {
    **dict.fromkeys(("apply_record", "merged_aliases", "registry_values", "trial_from_record"),
                    "apply"),
    **dict.fromkeys(("DEFAULT_USER_AGENT", "IDS_PER_REQUEST", "CtgovClient"), "client"),
    **dict.fromkeys(_ERRORS, "errors"),
    **dict.fromkeys(("COMPACT_FIELDS", "FULL_FIELDS"), "fields"),
    **dict.fromkeys(("BatchResult", "RegistryRecord", "SearchPage", "build_record_validators"),
                    "records"),
    "ClientStats": "transport",
}
__all__ = sorted(_WHERE)


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


if TYPE_CHECKING:
    from tracker.ctgov.apply import (
        apply_record,
        merged_aliases,
        registry_values,
        trial_from_record,
    )
    from tracker.ctgov.client import DEFAULT_USER_AGENT, IDS_PER_REQUEST, CtgovClient
    from tracker.ctgov.errors import (
        ApiRequestError,
        CtgovError,
        PagingError,
        RateLimitedError,
        RegistryUnreachableError,
        ResponseFormatError,
        RetriesExhaustedError,
        ServerError,
        StudyFormatError,
        StudyNotFoundError,
        UriTooLongError,
        WrongStudyError,
    )
    from tracker.ctgov.fields import COMPACT_FIELDS, FULL_FIELDS
    from tracker.ctgov.records import (
        BatchResult,
        RegistryRecord,
        SearchPage,
        build_record_validators,
    )
    from tracker.ctgov.transport import ClientStats
