"""One `requests.Session` to the API: timeouts, retries, a polite pace, plain-words failures.

`Transport.get` returns whatever status the registry finally answered (after urllib3's
retries) as an `Answer`; it raises only `RegistryUnreachableError`, when no answer came at all.
Turning statuses into typed errors is the client's job.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from tracker.ctgov.deadline import AnswerDeadline
from tracker.ctgov.errors import RegistryUnreachableError, ResponseFormatError
from tracker.ctgov.retrying import build_retry

log = logging.getLogger(__name__)
#: The largest answer read (bytes after decompression). A page of 1,000 full records with our
#: field set is 2-6 MB; anything past this is a misbehaving server, not data to store.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_READ_CHUNK = 1024 * 1024
_LIST_SEPARATOR = re.compile(r"[,|]")
#: What the request being sent on this thread calls once it is written (`Transport.get`).
_sending = threading.local()


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float  # for each read from the socket
    answer: float = 120.0  # for the whole answer (a server dripping bytes is cut off)


@dataclass(frozen=True)
class RetryPolicy:
    max_tries: int
    max_retry_seconds: float
    backoff_factor: float


@dataclass(frozen=True)
class Answer:
    """The final HTTP answer to one request (redirects followed, retries done)."""

    request: str
    status: int
    body: bytes
    content_type: str
    retry_after: str | None
    tries: int


class ClientStats:
    """Counters for benchmarks: HTTP requests sent (retries and redirects included), body
    bytes received, and how many of the requests were retries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.bytes_received = 0
        self.retries = 0

    def record(self, requests_sent: int, retries: int, body_bytes: int) -> None:
        with self._lock:
            self.requests += requests_sent
            self.retries += retries
            self.bytes_received += body_bytes

    def __repr__(self) -> str:
        return (f"ClientStats(requests={self.requests}, retries={self.retries}, "
                f"bytes_received={self.bytes_received})")


class Pacer:
    """Keeps at least `interval` seconds between the starts of consecutive requests."""

    def __init__(self, interval: float) -> None:
        self.interval = max(interval, 0.0)
        self._lock = threading.Lock()
        self._next_start = 0.0

    def wait(self, cancel: threading.Event | None = None) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.interval
        delay = start - now
        if delay <= 0:
            return
        if cancel is not None:
            cancel.wait(delay)
        else:
            time.sleep(delay)


class Transport:
    """GET requests against `base_url` through one session with retries and a pace."""

    def __init__(self, base_url: str, *, user_agent: str, pace_seconds: float,
                 timeouts: Timeouts, policy: RetryPolicy,
                 max_answer_bytes: int = MAX_ANSWER_BYTES) -> None:
        self.base_url = base_url
        self.max_answer_bytes = max_answer_bytes
        self.timeouts = timeouts
        self.stats = ClientStats()
        self.pacer = Pacer(pace_seconds)
        self._local = threading.local()
        self.session = _build_session(user_agent, policy, self._count_retry, self._sleep)

    def close(self) -> None:
        self.session.close()

    def get(self, path: str, query: str = "", cancel: threading.Event | None = None,
            on_sent: Callable[[], None] | None = None) -> Answer:
        """Send now (callers keep the pace with `pacer.wait` first). Setting `cancel` cuts
        short a wait between retries; the retry itself is still sent. `on_sent` is called
        (on this thread) each time the request has been written and its answer is awaited,
        on a direct connection (not through a proxy)."""
        url = f"{self.base_url}{path}" + (f"?{query}" if query else "")
        request = describe_request("GET", url)
        self._local.retries = 0
        self._local.cancel = cancel
        _sending.on_sent = on_sent
        deadline: AnswerDeadline | None = None
        try:
            response = self.session.get(
                url, timeout=(self.timeouts.connect, self.timeouts.read), allow_redirects=True,
                stream=True,
            )
            with response, AnswerDeadline(response, self.timeouts.answer) as deadline:
                body = self._read_bounded(response, request)
        except requests.RequestException as error:
            if deadline is not None and deadline.expired:
                raise self._unfinished(request) from None
            answered = _answered_wrongly(error)
            if answered:  # it was reached: "could not be reached … check the network" is wrong
                self.stats.record(1 + self._local.retries, self._local.retries, 0)
                raise ResponseFormatError(request, answered) from error
            raise self._unreachable(error, request) from error
        finally:
            _sending.on_sent = None
        retries = self._local.retries
        self.stats.record(1 + retries + len(response.history), retries, len(body))
        log.debug("%s -> %s (%d bytes, %d retries)", request, response.status_code,
                  len(body), retries)
        return Answer(request, response.status_code, body,
                      response.headers.get("Content-Type", ""),
                      response.headers.get("Retry-After"), tries=1 + retries)

    def _read_bounded(self, response: requests.Response, request: str) -> bytes:
        """The body, or a ResponseFormatError once it passes `max_answer_bytes` (the rest is
        not read: the connection is dropped rather than drained)."""
        limit = self.max_answer_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            self._too_large(int(declared), request)
        parts: list[bytes] = []
        size = 0
        for part in response.iter_content(_READ_CHUNK):
            size += len(part)
            if size > limit:
                self._too_large(size, request)
            parts.append(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def _too_large(self, size: int, request: str) -> None:
        self.stats.record(1 + self._local.retries, self._local.retries, 0)
        raise ResponseFormatError(
            request, f"an answer of more than {_megabytes(self.max_answer_bytes)} "
            f"({_megabytes(size)} or more, not read to the end): far larger than any page "
            "of study records")

    def _count_retry(self) -> None:
        self._local.retries = getattr(self._local, "retries", 0) + 1

    def _sleep(self, seconds: float) -> None:
        cancel = getattr(self._local, "cancel", None)
        if cancel is None:
            time.sleep(seconds)
        else:
            cancel.wait(seconds)

    def _unfinished(self, request: str) -> RegistryUnreachableError:
        tries = 1 + self._local.retries
        self.stats.record(tries, tries - 1, 0)
        return RegistryUnreachableError(
            self.base_url, f"no complete answer within {self.timeouts.answer:g} s (it was sent "
            "too slowly); try again later", request=request, tries=tries)

    def _unreachable(self, error: BaseException, request: str) -> RegistryUnreachableError:
        tries = 1 + self._local.retries
        self.stats.record(tries, tries - 1, 0)
        reason = describe_network_failure(error, self.timeouts)
        return RegistryUnreachableError(self.base_url, reason, request=request, tries=tries)


def _build_session(user_agent: str, policy: RetryPolicy, on_retry: Callable[[], None],
                   sleeper: Callable[[float], None]) -> requests.Session:
    session = requests.Session()
    session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
    retry = build_retry(policy.max_tries, policy.max_retry_seconds, policy.backoff_factor,
                        on_retry=on_retry, sleeper=sleeper)
    adapter = _SignallingAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _announce_sent() -> None:
    on_sent = getattr(_sending, "on_sent", None)
    if on_sent is not None:
        on_sent()


class _Announcing:
    """Mixed into a urllib3 connection: `getresponse` is called once the request is written
    and its answer is awaited next."""

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _announce_sent()
        return super().getresponse(*args, **kwargs)


class _SignallingHTTPConnection(_Announcing, HTTPConnection):
    pass


class _SignallingHTTPSConnection(_Announcing, HTTPSConnection):
    pass


class _SignallingHTTPPool(HTTPConnectionPool):
    ConnectionCls = _SignallingHTTPConnection


class _SignallingHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _SignallingHTTPSConnection


class _SignallingAdapter(HTTPAdapter):
    """An adapter whose direct connections call `Transport.get`'s `on_sent` once a request is
    written, so a sync can read the library while its first request is in flight rather
    than while that request is prepared (the two would take turns with the GIL, delaying the
    request by several ms). Proxied connections keep urllib3's own classes (no signal)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _SignallingHTTPPool,
                                                   "https": _SignallingHTTPSPool}


def describe_request(method: str, url: str) -> str:
    """`GET https://…/studies?filter.ids=NCT…,…,NCT… (200 ids)&…`, short enough for a message."""
    parts = urlsplit(url)
    shown = "&".join(
        f"{key}={_abbreviate(key, value)}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return f"{method} {base}" + (f"?{shown}" if shown else "")


_ID_KEYS = frozenset({"filter.ids"})  # the other lists a request names are values, not ids


def _abbreviate(key: str, value: str) -> str:
    items = _LIST_SEPARATOR.split(value)
    if key == "fields":
        return f"<{len(items)} fields>"
    if len(items) > 3:
        what = "ids" if key in _ID_KEYS else "values"
        return f"{items[0]},…,{items[-1]} ({len(items)} {what})"
    return value


def _answered_wrongly(error: requests.RequestException) -> str | None:
    """What was wrong with an answer that did come (for ResponseFormatError), or None when
    no answer came."""
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return "a body that does not match its Content-Encoding header (it could not be decoded)"
    if isinstance(error, requests.TooManyRedirects):
        return "redirects that never end (more than 30)"
    # the base address was checked to be http(s) (settings_url): only a redirect gets here
    if isinstance(error, requests.exceptions.InvalidSchema | requests.exceptions.MissingSchema
                  | requests.exceptions.InvalidURL):
        return "a redirect to an address that is not a web address"
    return None


def describe_network_failure(error: BaseException, timeouts: Timeouts) -> str:
    """Why no answer came, in words: refused, unresolvable, timed out, dropped."""
    causes = list(_causes(error))

    def found(*types: type[BaseException]) -> bool:
        return any(isinstance(cause, types) for cause in causes)

    if found(ssl.SSLError):
        return ("the secure (https) connection could not be set up: does the address use "
                "https for a server that speaks plain http, or is its certificate wrong?")
    if found(NameResolutionError, socket.gaierror):
        return "the host name could not be resolved (no network, or a DNS failure)"
    if found(ConnectionRefusedError):
        return "the connection was refused (nothing is listening there)"
    if found(ReadTimeoutError, requests.ReadTimeout):
        return f"no answer within the {timeouts.read:g} s read timeout"
    if found(NewConnectionError):
        return f"no connection could be opened ({_deepest(causes, NewConnectionError)})"
    if found(ConnectTimeoutError, requests.ConnectTimeout, TimeoutError):
        return f"no connection within the {timeouts.connect:g} s connect timeout"
    if found(ProtocolError, ConnectionError, requests.exceptions.ChunkedEncodingError):
        return "the connection was closed before an answer arrived"
    return str(causes[-1]) if causes else type(error).__name__


def _deepest(causes: list[BaseException], wrapper: type[BaseException]) -> str:
    inner = [cause for cause in causes if isinstance(cause, OSError)
             and not isinstance(cause, wrapper)]
    return str(inner[-1] if inner else causes[-1])


def _causes(error: BaseException):
    """The error and everything it wraps (cause, context, `reason`, exception args)."""
    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        current = pending.pop(0)
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None),
                        *current.args])


def _megabytes(size: int) -> str:
    """Sizes in binary megabytes, as every size limit of the app is written (64 MB = 64 MiB)."""
    mib = size / (1024 * 1024)
    return f"{mib:,.0f} MB" if mib >= 10 else f"{mib:,.1f} MB"
