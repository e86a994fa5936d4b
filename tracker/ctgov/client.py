"""`CtgovClient`: batch lookups, single studies and searches against ClinicalTrials.gov API v2.

Batch lookups put as many ids in one `filter.ids` request as fit a request target of
`URL_BUDGET` characters (6,000: below the 8 KB request-line limits of common servers and
CDNs), at most 1,000 (`pageSize=1000`, so a chunk normally comes back in one page). Each id
costs 12 characters, so a compact request carries about 420 ids and a full one about 400;
`ids_per_request` caps it lower. A server that still answers 414 URI Too Long gets the chunk
again in halves, and the halved size is kept for the rest of the client's life.

Pages are followed through `nextPageToken`, but never more pages than the chunk has ids (plus
one), and never a token the server already sent: a registry that pages forever is stopped
with a message instead of looping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from typing import Self
from urllib.parse import quote, urlencode, urlsplit

from tracker import __version__
from tracker.ctgov.errors import (
    ApiRequestError,
    PagingError,
    RateLimitedError,
    ResponseFormatError,
    ServerError,
    StudyNotFoundError,
    UriTooLongError,
    WrongStudyError,
)
from tracker.ctgov.fields import RESULTS_IDS_PER_REQUEST, fields_param, search_fields_param
from tracker.ctgov.parsing import ParsedPage, parse_page, parse_study
from tracker.ctgov.records import BatchResult, RegistryRecord, SearchPage
from tracker.ctgov.transport import (
    MAX_ANSWER_BYTES,
    Answer,
    ClientStats,
    RetryPolicy,
    Timeouts,
    Transport,
)
from tracker.domain import parse_nct_id

DEFAULT_USER_AGENT = f"TrialTracker/{__version__} (+desktop app)"
IDS_PER_REQUEST = 1000  # the most ids one request carries (a page holds at most 1,000)
MAX_PAGE_SIZE = 1000
URL_BUDGET = 6000  # characters of request target (path and query) a batch request may use
_ID_COST = 12  # "NCT01234567" and its comma
_MAX_ERROR_TEXT = 500


class CtgovClient:
    """A client of one API v2 base URL (e.g. `https://clinicaltrials.gov/api/v2`).

    A search may run while a sync does: urllib3's connection pool is thread-safe and the pace
    and counters are locked, though requests does not formally promise a thread-safe Session.
    """

    def __init__(
        self,
        base_url: str,
        *,
        pace_seconds: float = 0.2,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        answer_timeout: float = 120.0,
        max_tries: int = 5,
        max_retry_seconds: float = 60.0,
        user_agent: str | None = None,
        ids_per_request: int = IDS_PER_REQUEST,
        backoff_factor: float = 0.5,
        url_budget: int = URL_BUDGET,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.ids_per_request = max(1, min(ids_per_request, MAX_PAGE_SIZE))
        self.url_budget = url_budget
        self.max_retry_seconds = max_retry_seconds
        self._transport = Transport(
            self.base_url,
            user_agent=user_agent or DEFAULT_USER_AGENT,
            pace_seconds=pace_seconds,
            timeouts=Timeouts(connect=connect_timeout, read=read_timeout,
                              answer=answer_timeout),
            policy=RetryPolicy(max_tries, max_retry_seconds, backoff_factor),
            max_answer_bytes=max_answer_bytes,
        )

    @property
    def stats(self) -> ClientStats:
        return self._transport.stats

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- batch lookup -------------------------------------------------------------------------

    def fetch_records(
        self, ids: Iterable[str], *, full: bool, results: bool = False,
        cancel: threading.Event | None = None, on_sent: Callable[[], None] | None = None,
    ) -> Iterator[BatchResult]:
        """Look `ids` up in chunks; yield one `BatchResult` per HTTP page.

        `full` asks for whole records (kept on each record as `raw`), `results` adds posted
        results in smaller chunks. Stops quietly (no error) before the next request once
        `cancel` is set. Ids are normalised with `parse_nct_id` (InvalidTrialIdError before
        any request). `on_sent` is called (on the iterating thread) when a request has been
        written and its answer is awaited (see `Transport.get`).
        """
        pending = _unique_ids(ids)
        fields = fields_param(full, results)
        position = 0
        while position < len(pending):
            size = self.ids_per_chunk(full, results)
            chunk = pending[position:position + size]
            pages = self._fetch_chunk(chunk, fields, full, cancel, on_sent)
            try:
                first = next(pages, None)
            except UriTooLongError:
                if len(chunk) == 1:
                    raise
                self.ids_per_request = len(chunk) // 2  # and so for every later chunk
                continue
            if first is None:
                return
            position += len(chunk)
            yield first
            yield from pages

    def ids_per_chunk(self, full: bool, results: bool = False) -> int:
        """How many ids one batch request carries: what fits `url_budget`, at most
        `ids_per_request` (which a 414 halves), and at most `RESULTS_IDS_PER_REQUEST` when
        posted results (large) are asked for."""
        fixed = len(urlsplit(self.base_url).path) + len("/studies?filter.ids=&fields=&pageSize=")
        room = (self.url_budget - fixed - len(str(MAX_PAGE_SIZE))
                - len(fields_param(full, results)) + 1) // _ID_COST
        most = min(self.ids_per_request, RESULTS_IDS_PER_REQUEST) if results else \
            self.ids_per_request
        return max(1, min(most, room))

    def _fetch_chunk(
        self, chunk: tuple[str, ...], fields: str, keep_raw: bool,
        cancel: threading.Event | None, on_sent: Callable[[], None] | None = None,
    ) -> Iterator[BatchResult]:
        params = {"filter.ids": ",".join(chunk), "fields": fields,
                  "pageSize": str(MAX_PAGE_SIZE)}
        tally = _ChunkTally(chunk)
        tokens: set[str] = set()
        token: str | None = None
        while self._wait_turn(cancel):
            page_params = params | ({"pageToken": token} if token else {})
            answer = self._get("/studies", page_params, cancel=cancel, on_sent=on_sent)
            page = self._parse_page(answer, keep_raw)
            tally.add(page)
            token = page.next_page_token or None
            if token is not None:
                _check_paging(answer.request, token, tokens, len(chunk))
                tokens.add(token)
            yield BatchResult(answer.request, page.records, page.failures, chunk,
                              final_page=token is None,
                              missing_ids=() if token else tally.missing(),
                              strangers=() if token else tally.strangers())
            if token is None:
                return

    # -- single study and search ----------------------------------------------------------------

    def get_study(self, nct_id: str) -> RegistryRecord:
        """One full record; an alias id is followed (301) to its canonical record."""
        wanted = parse_nct_id(nct_id)
        self._wait_turn(None)
        answer = self._get(f"/studies/{wanted}", {"fields": fields_param(True, results=True)},
                           wanted)
        record = parse_study(answer.body, answer.request, answer.content_type)
        if wanted not in record.all_ids:
            raise WrongStudyError(answer.request, wanted, record.nct_id)
        return record

    def search(
        self,
        text: str | None = None,
        *,
        condition: str | None = None,
        intervention: str | None = None,
        page_size: int = 50,
        page_token: str | None = None,
    ) -> SearchPage:
        """One page of a registry search (query.term / query.cond / query.intr, all ANDed)."""
        queries = {"query.term": text, "query.cond": condition, "query.intr": intervention}
        params = {key: value.strip() for key, value in queries.items() if value and value.strip()}
        if not params:
            raise ValueError("a registry search needs text, a condition or an intervention")
        params |= {"fields": search_fields_param(),
                   "pageSize": str(min(max(page_size, 1), MAX_PAGE_SIZE))}
        params |= {"pageToken": page_token} if page_token else {"countTotal": "true"}
        answered = self.studies_page(params)
        assert answered is not None  # without a cancel event the request is always sent
        page, _ = answered
        return SearchPage(page.records, page.next_page_token or None, page.total_count,
                          page.failures)

    def studies_page(self, params: dict[str, str], cancel: threading.Event | None = None
                     ) -> tuple[ParsedPage, bytes] | None:
        """One `GET /studies` page with `params`, sent in its turn: the parsed page and the
        body it came from (for fields the parser does not keep). None when `cancel` was set
        before the request went out."""
        if not self._wait_turn(cancel):
            return None
        answer = self._get("/studies", params, cancel=cancel)
        return self._parse_page(answer), answer.body

    # -- plumbing -------------------------------------------------------------------------------

    def _wait_turn(self, cancel: threading.Event | None) -> bool:
        """Keep the pace; False when `cancel` was set meanwhile (then send nothing)."""
        if _cancelled(cancel):
            return False
        self._transport.pacer.wait(cancel)
        return not _cancelled(cancel)

    def _get(self, path: str, params: dict[str, str], not_found_id: str | None = None,
             cancel: threading.Event | None = None,
             on_sent: Callable[[], None] | None = None) -> Answer:
        query = urlencode(params, safe=",", quote_via=quote)
        answer = self._transport.get(path, query, cancel, on_sent)
        if answer.status == 404 and not_found_id:
            raise StudyNotFoundError(not_found_id, self.base_url, request=answer.request)
        _raise_for_status(answer, self.max_retry_seconds)
        return answer

    @staticmethod
    def _parse_page(answer: Answer, keep_raw: bool = False) -> ParsedPage:
        return parse_page(answer.body, answer.request, answer.content_type, keep_raw=keep_raw)


def _raise_for_status(answer: Answer, retry_budget: float) -> None:
    status = answer.status
    if 200 <= status < 300:
        return
    reason = _phrase(status)
    if status == 429:
        hint = _retry_after_hint(answer.retry_after, retry_budget)
        raise RateLimitedError(answer.request, status, reason, answer.tries, hint)
    if status >= 500:
        raise ServerError(answer.request, status, reason, answer.tries)
    if status == 414:
        raise UriTooLongError(answer.request, status, _text(answer.body))
    if status >= 400:
        raise ApiRequestError(answer.request, status, _text(answer.body))
    raise ResponseFormatError(answer.request, f"an unexpected {status} {reason} answer")


def _retry_after_hint(retry_after: str | None, retry_budget: float) -> str:
    if not retry_after:
        return ""
    try:
        seconds = float(retry_after)
    except ValueError:
        return f" (it asked to wait until {retry_after.strip()})"
    if seconds > retry_budget:
        return (f" (it asked to wait Retry-After: {seconds:g} s, longer than this client's "
                f"{retry_budget:g} s retry budget)")
    return f" (it last asked to wait {seconds:g} s)"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "(unknown status)"


def _text(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text if len(text) <= _MAX_ERROR_TEXT else text[:_MAX_ERROR_TEXT] + "…"


def _check_paging(request: str, token: str, seen: set[str], chunk_size: int) -> None:
    """Stop a registry that repeats a page token or sends more pages than the ids asked for
    could fill (one study per page, plus an empty last one)."""
    if token in seen:
        raise PagingError(request, f"a nextPageToken it had already sent ({token[:40]!r}); "
                          f"stopped after {len(seen) + 1} pages for {chunk_size} ids")
    if len(seen) + 1 >= chunk_size + 1:
        raise PagingError(request, f"still more pages after {len(seen) + 1} pages for "
                          f"{chunk_size} ids, more than those ids can fill; stopped there")


def _unique_ids(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(parse_nct_id(i) for i in ids))


class _ChunkTally:
    """Which requested ids the pages of one chunk answered, by record id, alias or failure."""

    def __init__(self, chunk: tuple[str, ...]) -> None:
        self.chunk = chunk
        self.answered: set[str] = set()
        self.anonymous_failure = False
        self._asked = set(chunk)
        self._strangers: dict[str, None] = {}  # studies answering no id of the chunk, in order

    def add(self, page: ParsedPage) -> None:
        self.answered.update(i for record in page.records for i in record.all_ids)
        self.answered.update(f.nct_id for f in page.failures if f.nct_id)
        self.anonymous_failure |= any(f.nct_id is None for f in page.failures)
        self._strangers.update((r.nct_id, None) for r in page.records
                               if self._asked.isdisjoint(r.all_ids))
        self._strangers.update((f.nct_id, None) for f in page.failures
                               if f.nct_id and f.nct_id not in self._asked)

    def strangers(self) -> tuple[str, ...]:
        """Studies the chunk's pages held that answer none of its ids."""
        return tuple(self._strangers)

    def missing(self) -> tuple[str, ...]:
        """Requested ids nothing answered for; () when a failure had no id to tie it to."""
        if self.anonymous_failure:
            return ()
        return tuple(i for i in self.chunk if i not in self.answered)


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()
