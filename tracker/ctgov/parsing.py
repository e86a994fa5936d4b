"""Turn API v2 response bodies into `RegistryRecord`s, one bad study never sinking its page.

A page is validated in one `validate_json` call on the raw bytes (the fast path: ~40 ms per
1,000 studies with the full field set, mapping included). Only when that fails is the page
parsed loosely and each study validated on its own, so a malformed study becomes a
`StudyFormatError` naming its id while the others are still returned. A body that is not a
JSON page at all is a `ResponseFormatError` naming the request.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pydantic_core
from pydantic import ValidationError

from tracker.ctgov import wire
from tracker.ctgov.errors import ResponseFormatError, StudyFormatError
from tracker.ctgov.records import MappingError, RegistryRecord, record_from_study
from tracker.domain import is_nct_id

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_FIRST_BYTE = re.compile(rb"\s*(\S)")
_MAX_LISTED_ERRORS = 3


@dataclass
class ParsedPage:
    records: list[RegistryRecord] = field(default_factory=list)
    failures: list[StudyFormatError] = field(default_factory=list)
    next_page_token: str | None = None
    total_count: int | None = None


def parse_page(body: bytes, request: str, content_type: str = "", *,
               keep_raw: bool = False) -> ParsedPage:
    """Parse a `GET /studies` answer; raises ResponseFormatError if it is not a page at all.

    With `keep_raw` each record also carries its study exactly as received (for versions):
    the body is then read once into Python objects (`_loaded_studies`) and validated from
    those (~40 ms per 1,000)."""
    check_json_body(body, request, content_type)
    raws = _loaded_studies(body) if keep_raw else None
    try:
        envelope = (wire.PAGE.validate_python(raws) if raws is not None
                    else wire.PAGE.validate_json(body))
    except ValidationError:
        return _parse_page_study_by_study(body, request, keep_raw)
    page = _empty_page(envelope)
    studies = raws["studies"] if raws is not None else None
    for position, study in enumerate(envelope["studies"]):
        _add_mapped(page, study, position, request, studies[position] if studies else None)
    return page


def _loaded_studies(body: bytes) -> Any:
    """The page as Python data, or None when it is not JSON or nests too deep for Python's
    parser (the slow path, whose parser has its own depth limit, says why).

    pydantic-core's parser builds the same objects as `json.loads` about twice as fast
    (a 100-record first-sync page: 1.6 ms instead of 3.3; 1,000 whole real records: ~150 ms
    instead of ~210; floats parse to the same values). It refuses what `json.loads` takes
    (an escaped lone surrogate such as \\ud800, a byte-order mark), so a body it refuses is
    read by `json.loads` as before."""
    try:
        return pydantic_core.from_json(body)
    except ValueError:
        pass
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _empty_page(envelope: wire.Page | wire.LoosePage) -> ParsedPage:
    return ParsedPage(next_page_token=envelope.get("nextPageToken"),
                      total_count=envelope.get("totalCount"))


def parse_study(body: bytes, request: str, content_type: str = "") -> RegistryRecord:
    """Parse a `GET /studies/{id}` answer (one study object)."""
    check_json_body(body, request, content_type)
    try:
        study = wire.STUDY.validate_json(body)
    except ValidationError as error:
        raw = _loads_or_raise(body, request)
        if not isinstance(raw, dict):
            raise ResponseFormatError(request, "JSON that is not a study object") from None
        raise _study_error(raw, error, request, None) from None
    try:
        return record_from_study(study, pydantic_core.from_json(body))
    except (MappingError, ValidationError) as error:
        raise _study_error(dict(study), error, request, None) from None


def check_json_body(body: bytes, request: str, content_type: str = "") -> None:
    """Reject empty bodies and HTML pages (maintenance pages, proxies) before parsing."""
    first = _FIRST_BYTE.match(body)
    start = first.group(1) if first else b""
    if not start:
        raise ResponseFormatError(request, "an empty body instead of JSON")
    if start == b"<" or "html" in content_type.lower():
        raise ResponseFormatError(request, f"an HTML page instead of JSON{_html_title(body)}")


def _html_title(body: bytes) -> str:
    match = _TITLE.search(body[:4096])
    if not match:
        return ""
    title = " ".join(match.group(1).decode("utf-8", "replace").split())
    return f' ("{title[:80]}")' if title else ""


def _parse_page_study_by_study(body: bytes, request: str, keep_raw: bool) -> ParsedPage:
    try:
        envelope = wire.LOOSE_PAGE.validate_json(body)
    except ValidationError as error:
        _loads_or_raise(body, request)
        raise ResponseFormatError(
            request, f"JSON that is not a page of studies ({_describe(error)})"
        ) from None
    page = _empty_page(envelope)
    for position, raw in enumerate(envelope["studies"]):
        _add_raw(page, raw, position, request, keep_raw)
    return page


def _add_raw(page: ParsedPage, raw: Any, position: int, request: str, keep_raw: bool) -> None:
    if not isinstance(raw, dict):
        page.failures.append(
            StudyFormatError(None, "not a JSON object", request=request, position=position)
        )
        return
    try:
        study = wire.STUDY.validate_python(raw)
    except ValidationError as error:
        page.failures.append(_study_error(raw, error, request, position))
        return
    _add_mapped(page, study, position, request, raw if keep_raw else None)


def _add_mapped(page: ParsedPage, study: wire.Study, position: int, request: str,
                raw: dict[str, Any] | None = None) -> None:
    try:
        page.records.append(record_from_study(study, raw))
    except (MappingError, ValidationError) as error:
        page.failures.append(_study_error(dict(study), error, request, position))


def _loads_or_raise(body: bytes, request: str) -> Any:
    """The body as Python data; a ResponseFormatError when it is not JSON at all."""
    try:
        return pydantic_core.from_json(body)
    except ValueError as json_error:
        raise ResponseFormatError(request, _describe_invalid_json(body, str(json_error))) from None


def _describe_invalid_json(body: bytes, detail: str) -> str:
    if "EOF while parsing" in detail:
        return f"JSON that ends early (cut off after {len(body):,} bytes)"
    return f"a body that is not valid JSON ({detail}; it starts with {body[:16]!r})"


def _study_error(
    raw: dict[str, Any], error: MappingError | ValidationError, request: str,
    position: int | None,
) -> StudyFormatError:
    problem = _describe(error) if isinstance(error, ValidationError) else str(error)
    return StudyFormatError(_nct_id_of(raw), problem, request=request, position=position)


def _nct_id_of(raw: dict[str, Any]) -> str | None:
    """The study's id if it has a usable one (a failure is then matched to its trial)."""
    protocol = raw.get("protocolSection")
    ident = protocol.get("identificationModule") if isinstance(protocol, dict) else None
    value = ident.get("nctId") if isinstance(ident, dict) else None
    return value if isinstance(value, str) and is_nct_id(value) else None


def _describe(error: ValidationError) -> str:
    items = error.errors(include_url=False)
    parts = [_describe_item(item) for item in items[:_MAX_LISTED_ERRORS]]
    if len(items) > _MAX_LISTED_ERRORS:
        parts.append(f"and {len(items) - _MAX_LISTED_ERRORS} more")
    return "; ".join(parts)


def _describe_item(item: Any) -> str:
    where = ".".join(str(part) for part in item["loc"]) or "body"
    got = repr(item.get("input"))
    got = got if len(got) <= 40 else got[:37] + "..."
    return f"{where}: {item['msg']} (got {got})"
