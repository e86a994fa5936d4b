"""Typed errors of the registry client. Each message is a sentence meant for the user.

Every error names what was asked (`request`, a short "GET <url>" description) so a message in
the CLI or a dialog tells which call failed; study-level errors also name the trial.
"""

from __future__ import annotations

from tracker.domain import TrackerError


class CtgovError(TrackerError):
    """Base of every error raised while talking to the ClinicalTrials.gov API."""

    def __init__(self, message: str, *, request: str | None = None) -> None:
        super().__init__(message)
        self.request = request


UNREACHABLE_WORDS = "could not be reached"  # in every RegistryUnreachableError's message


class RegistryUnreachableError(CtgovError):
    """No answer at all: connection refused, DNS failure, dropped connections or timeouts."""

    def __init__(self, base_url: str, reason: str, *, request: str | None = None,
                 tries: int = 1) -> None:
        details = ", ".join(filter(None, (_tries_text(tries) if tries > 1 else "", request)))
        super().__init__(
            f"the registry at {base_url} {UNREACHABLE_WORDS}: {reason}"
            + (f" ({details})" if details else ""),
            request=request,
        )
        self.base_url = base_url
        self.reason = reason
        self.tries = tries


def _tries_text(tries: int) -> str:
    return "1 try" if tries == 1 else f"{tries} tries"


class ResponseFormatError(CtgovError):
    """The registry answered, but the body is not the JSON the API documents."""

    def __init__(self, request: str, problem: str) -> None:
        super().__init__(f"the registry answered {request} with {problem}", request=request)
        self.problem = problem


class PagingError(ResponseFormatError):
    """The registry's pages do not end: a repeated `nextPageToken`, or more pages than the ids
    asked for can fill."""


class WrongStudyError(ResponseFormatError):
    """`GET /studies/{id}` answered with another study that does not list the id as an alias."""

    def __init__(self, request: str, asked: str, answered: str) -> None:
        super().__init__(request, f"a different study, {answered}, which does not list {asked} "
                         "among its earlier ids; the trial was left as it was")
        self.asked = asked
        self.answered = answered


class StudyFormatError(CtgovError):
    """One study in an otherwise readable answer has fields of the wrong type or shape."""

    def __init__(
        self, nct_id: str | None, problem: str, *, request: str | None = None,
        position: int | None = None,
    ) -> None:
        who = nct_id or _anonymous(position)
        where = f" (in {request})" if request else ""
        super().__init__(f"{who}: the registry record is malformed: {problem}{where}",
                         request=request)
        self.nct_id = nct_id
        self.problem = problem
        self.position = position


def _anonymous(position: int | None) -> str:
    return "a study without an NCT id" if position is None else f"study #{position + 1}"


class ApiRequestError(CtgovError):
    """The registry refused the request (400 and other 4xx answers); its text is surfaced."""

    def __init__(self, request: str, status: int, body: str) -> None:
        # one line whatever the body holds: a line break in it printed a forged second line
        # ("tracker: sync complete: 0 failed") under the real one
        text = " ".join(body.split()) or "no explanation given"
        hint = _NOT_THE_API if status == 404 else ""
        super().__init__(f"the registry refused {request} ({status}): {text}{hint}",
                         request=request)
        self.status = status
        self.body = body


#: A 404 for a list or search request: the address is not the API's (a single study's 404 is
#: StudyNotFoundError), most often a base URL without its /api/v2.
_NOT_THE_API = (" (is the registry address right? ClinicalTrials.gov's API v2 address ends in "
                "/api/v2, e.g. https://clinicaltrials.gov/api/v2)")


class UriTooLongError(ApiRequestError):
    """414: the id list made the URL longer than the server accepts (the client splits it)."""


class StudyNotFoundError(CtgovError, LookupError):
    """404 for `GET /studies/{id}`: the registry does not know this id."""

    def __init__(self, nct_id: str, base_url: str, *, request: str | None = None) -> None:
        super().__init__(f"{nct_id} was not found in the registry at {base_url}", request=request)
        self.nct_id = nct_id


class RetriesExhaustedError(CtgovError):
    """Base of the errors raised when the registry kept answering with a retryable status."""

    def __init__(self, request: str, status: int, reason: str, tries: int, hint: str = "") -> None:
        super().__init__(
            f"the registry answered {status} {reason} to {request} "
            f"after {_tries_text(tries)}{hint}",
            request=request,
        )
        self.status = status
        self.tries = tries


class RateLimitedError(RetriesExhaustedError):
    """429 Too Many Requests after every allowed retry (or a Retry-After beyond the budget)."""


class ServerError(RetriesExhaustedError):
    """5xx after every allowed retry."""
