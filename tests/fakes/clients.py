"""Clients of the fake registry with test settings (no pace, short timeouts, tiny backoff)."""

from __future__ import annotations

from tests.fakes.server import FakeCtgov
from tracker.ctgov import CtgovClient

#: Every retry path finishes in well under a second with these.
FAST_CLIENT_OPTIONS: dict[str, float | int] = {
    "pace_seconds": 0.0,
    "connect_timeout": 0.5,
    "read_timeout": 0.5,
    "max_tries": 3,
    "max_retry_seconds": 5.0,
    "backoff_factor": 0.01,
}


def fast_client(server: FakeCtgov, **overrides: object) -> CtgovClient:
    """A client of `server` with `FAST_CLIENT_OPTIONS`, any of them overridden."""
    return CtgovClient(server.base_url, **{**FAST_CLIENT_OPTIONS, **overrides})
