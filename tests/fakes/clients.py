"""Clients of the fake registry with test settings (no pace, short timeouts, tiny backoff)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def serve_to_cli(server: FakeCtgov, data_dir: Path, studies: list[dict[str, Any]]) -> str:
    """`server` holding `studies`, for CLI runs on `data_dir` without a request pace: the
    --api-url to give them."""
    (data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    server.put_studies(studies)
    return server.base_url
