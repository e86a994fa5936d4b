"""ClinicalTrials.gov API v2: the HTTP client, response parsing and record -> domain mapping."""

from tracker.ctgov.apply import apply_record, merged_aliases, registry_values, trial_from_record
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
from tracker.ctgov.records import BatchResult, RegistryRecord, SearchPage
from tracker.ctgov.transport import ClientStats

__all__ = [
    "COMPACT_FIELDS",
    "DEFAULT_USER_AGENT",
    "FULL_FIELDS",
    "IDS_PER_REQUEST",
    "ApiRequestError",
    "BatchResult",
    "ClientStats",
    "CtgovClient",
    "CtgovError",
    "PagingError",
    "RateLimitedError",
    "RegistryRecord",
    "RegistryUnreachableError",
    "ResponseFormatError",
    "RetriesExhaustedError",
    "SearchPage",
    "ServerError",
    "StudyFormatError",
    "StudyNotFoundError",
    "UriTooLongError",
    "WrongStudyError",
    "apply_record",
    "merged_aliases",
    "registry_values",
    "trial_from_record",
]
