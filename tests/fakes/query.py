"""Query-string rules of the fake registry: allowed parameters, page sizes, page tokens.

A page token encodes the offset and a hash of the query, so a token sent with different
parameters is refused with a 400, as the real API requires the same parameters on every page.
"""

from __future__ import annotations

import base64
import hashlib

LIST_PARAMS = frozenset({"format", "markupFormat", "query.term", "query.cond", "query.intr",
                         "filter.ids", "filter.overallStatus", "filter.geo",
                         "filter.advanced", "sort", "fields", "countTotal", "pageSize", "pageToken"})
STUDY_PARAMS = frozenset({"format", "markupFormat", "fields"})
PAGING_PARAMS = frozenset({"pageSize", "pageToken", "countTotal"})
DEFAULT_PAGE_SIZE = 10


def check_params(params: dict[str, str], allowed: frozenset[str]) -> str | None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        return f"Unknown parameter(s): {', '.join(unknown)}"
    if params.get("format", "json") != "json":
        return f"format {params['format']!r} is not supported by this fake (json only)"
    if params.get("countTotal", "false") not in ("true", "false"):
        return f"countTotal must be true or false: {params['countTotal']!r}"
    return None


def page_size(value: str | None) -> int | None:
    if value is None:
        return DEFAULT_PAGE_SIZE
    if not value.isdigit():
        return None
    return min(int(value), 1000) or DEFAULT_PAGE_SIZE


def query_key(params: dict[str, str]) -> str:
    kept = sorted((k, v) for k, v in params.items() if k not in PAGING_PARAMS)
    return hashlib.sha1(repr(kept).encode()).hexdigest()[:10]


def make_token(offset: int, key: str) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{key}".encode()).decode().rstrip("=")


def read_token(token: str | None, key: str) -> int | None:
    if token is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        offset, token_key = text.split(":")
        return int(offset) if token_key == key else None
    except ValueError:
        return None
