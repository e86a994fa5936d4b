"""urllib3 `Retry` with a cap on the total time spent retrying one request.

urllib3 already retries 429/5xx and dropped connections with exponential backoff and honours
`Retry-After`. What it lacks is a bound on the whole affair: a server answering
`Retry-After: 86400` or a long run of timeouts must not freeze a sync. `BoundedRetry` gives up
once `max_elapsed` seconds have passed since the first failure, never sleeps past that budget,
and gives up at once when the server asks for a wait longer than what is left.

A connection that cannot even be opened (DNS failure, connection refused, no route) is not
retried: offline, five tries with backoff only delay the message. Connect timeouts, dropped
connections and retryable statuses are.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable
from typing import Any

from urllib3.exceptions import InvalidHeader, MaxRetryError, NewConnectionError, ResponseError
from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_SECONDS = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


class BoundedRetry(Retry):
    """Retry that also stops after `max_elapsed` seconds; `on_retry` is told of each retry."""

    def __init__(
        self,
        *args: Any,
        max_elapsed: float = 60.0,
        started: float | None = None,
        on_retry: Callable[[], None] | None = None,
        sleeper: Callable[[float], object] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_elapsed = max_elapsed
        self.started = started
        self.on_retry = on_retry
        self.sleeper = sleeper or time.sleep

    def new(self, **kw: Any) -> BoundedRetry:
        # The clock starts at the first failure of a request; the adapter's template has none.
        kw.setdefault("max_elapsed", self.max_elapsed)
        kw.setdefault("started", self.started if self.started is not None else time.monotonic())
        kw.setdefault("on_retry", self.on_retry)
        kw.setdefault("sleeper", self.sleeper)
        return super().new(**kw)

    def remaining(self) -> float:
        if self.started is None:
            return self.max_elapsed
        return self.max_elapsed - (time.monotonic() - self.started)

    def is_exhausted(self) -> bool:
        return super().is_exhausted() or self.remaining() <= 0

    def increment(  # type: ignore[override]
        self,
        method: str | None = None,
        url: str | None = None,
        response: Any = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> BoundedRetry:
        if isinstance(error, NewConnectionError):  # DNS failure, refused: say so at once
            raise MaxRetryError(_pool, url or "", error)
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = new_retry.requested_wait(response)
        if wait is not None and wait > new_retry.remaining():
            reason = ResponseError(f"Retry-After of {wait:g} s exceeds the retry budget")
            raise MaxRetryError(_pool, url or "", reason)
        if self.on_retry is not None:
            self.on_retry()
        return new_retry

    def requested_wait(self, response: Any) -> float | None:
        """The server's Retry-After in seconds, when urllib3 would honour it for this answer."""
        if response is None or not self.respect_retry_after_header:
            return None
        if response.status not in self.RETRY_AFTER_STATUS_CODES:
            return None
        header = response.headers.get("Retry-After")
        if header is None:
            return None
        try:
            return self._parse_uncapped(header)
        except InvalidHeader:
            return None

    def _parse_uncapped(self, header: str) -> float:
        if _SECONDS.match(header):
            return float(header)  # fractions too, which urllib3 rejects
        parsed = email.utils.parsedate_tz(header)
        if parsed is None:
            raise InvalidHeader(f"Invalid Retry-After header: {header}")
        return max(email.utils.mktime_tz(parsed) - time.time(), 0.0)

    def parse_retry_after(self, retry_after: str) -> float:
        return min(self._parse_uncapped(retry_after), max(self.remaining(), 0.0))

    def get_retry_after(self, response: Any) -> float | None:
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None  # a garbled Retry-After falls back to the exponential backoff

    def get_backoff_time(self) -> float:
        return min(super().get_backoff_time(), max(self.remaining(), 0.0))

    def sleep(self, response: Any = None) -> None:
        """urllib3's choice of wait (Retry-After, else backoff), through `sleeper` so that a
        cancelled sync need not sit out a long Retry-After."""
        wait = self.get_retry_after(response) if (
            self.respect_retry_after_header and response is not None) else None
        wait = wait or self.get_backoff_time()
        if wait > 0:
            self.sleeper(wait)


def build_retry(
    max_tries: int, max_retry_seconds: float, backoff_factor: float,
    on_retry: Callable[[], None] | None = None,
    sleeper: Callable[[float], object] | None = None,
) -> BoundedRetry:
    """At most `max_tries` attempts per request (so `max_tries - 1` retries)."""
    return BoundedRetry(
        total=max(max_tries - 1, 0),
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff_factor,
        backoff_max=max(min(10.0, max_retry_seconds), 0.0),
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
        max_elapsed=max_retry_seconds,
        on_retry=on_retry,
        sleeper=sleeper,
    )
