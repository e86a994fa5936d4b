"""Faults the fake registry can inject, each for the next N matching requests."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MAX_DELAY_SECONDS = 10.0  # a slow answer never sleeps longer than this (and stop() wakes it)

MAINTENANCE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>ClinicalTrials.gov - Scheduled Maintenance</title>"
    b"</head><body><h1>We'll be back soon</h1><p>ClinicalTrials.gov is undergoing scheduled "
    b"maintenance.</p></body></html>\n"
)
GARBAGE = b"\x1f\x8b\x08\x00\xde\xad\xbe\xef" + bytes((i * 37 + 11) % 256 for i in range(248))


class Fault(StrEnum):
    TOO_MANY_REQUESTS = "429 with Retry-After"
    SERVER_ERROR = "5xx (status=503 by default)"
    HTML_PAGE = "200 with an HTML page"
    TRUNCATED_JSON = "200 with JSON cut in half"
    GARBAGE = "200 with garbage bytes"
    SLOW = "answer after `delay` seconds"
    DRIP = "headers at once, then the body a byte every `delay` seconds (each read is quick)"
    DROP_CONNECTION = "close the socket without answering"
    MALFORMED_STUDY = "one study with wrong types (enrollmentInfo.count 'lots')"
    BAD_REQUEST = "400 with a text body"
    REPEAT_PAGE_TOKEN = "the same nextPageToken on every page"
    ENDLESS_PAGES = "a new nextPageToken on every page, never the last"
    WRONG_STUDY = "study `nct_id` (default: the first) is renamed `answer_id`, no aliases"
    EXTRA_STUDY = "a page also holds study `nct_id`, which nobody asked for"
    ANONYMOUS_STUDY = "study `nct_id` (default: the first) loses its nctId"
    CONTRADICTING_COPY = ("study `nct_id` (default: the first) is followed by a copy of itself "
                          "with status `status_text` and last update `last_update`")
    OLDER_COPY = ("study `nct_id` (default: the first) is answered as it was: status "
                  "`status_text`, last update `last_update`")
    REDIRECT_LOOP = "302 to the address asked for, for ever"
    REDIRECT_TO_FILE = "302 to file:///etc/passwd"
    FALSE_GZIP = "200 saying Content-Encoding: gzip with a body that is not gzip"

PAGING_FAULTS = frozenset({Fault.REPEAT_PAGE_TOKEN, Fault.ENDLESS_PAGES})


@dataclass
class Injection:
    """One armed fault. `path` limits it to requests whose path+query contains that text;
    `nct_id` picks the study a MALFORMED_STUDY fault spoils (default: the first)."""

    fault: Fault
    times: int = 1
    retry_after: float | str | None = None
    status: int = 503
    delay: float = 2.0
    body: str = "Bad Request: the query could not be parsed"
    nct_id: str | None = None
    answer_id: str = "NCT09999999"
    status_text: str = "WITHDRAWN"
    last_update: str = "2030-01-01"
    path: str | None = None
    used: int = 0

    @property
    def remaining(self) -> int:
        return self.times - self.used

    def matches(self, target: str) -> bool:
        return self.remaining > 0 and (self.path is None or self.path in target)


@dataclass
class Reply:
    """An HTTP answer before it is written: JSON payloads stay editable until then."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Reply:
        return cls(status, _dump(payload), "application/json", payload=payload)

    @classmethod
    def text(cls, status: int, text: str, **headers: str) -> Reply:
        return cls(status, text.encode("utf-8"), headers=dict(headers))


class FaultQueue:
    """Armed faults in the order they were injected; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Injection] = []

    def add(self, injection: Injection) -> Injection:
        with self._lock:
            self._items.append(injection)
        return injection

    def take(self, target: str) -> Injection | None:
        with self._lock:
            for injection in self._items:
                if injection.matches(target):
                    injection.used += 1
                    return injection
        return None

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def pending(self) -> int:
        with self._lock:
            return sum(max(item.remaining, 0) for item in self._items)


def fault_reply(injection: Injection) -> Reply | None:
    """The answer for faults that replace the real answer; None for those that alter it."""
    fault = injection.fault
    retry_after = _retry_after_headers(injection.retry_after)
    if fault is Fault.TOO_MANY_REQUESTS:
        return Reply.text(429, "Too Many Requests", **retry_after)
    if fault is Fault.SERVER_ERROR:
        return Reply.text(injection.status, "Service temporarily unavailable", **retry_after)
    if fault is Fault.HTML_PAGE:
        return Reply(200, MAINTENANCE_PAGE, "text/html; charset=utf-8")
    if fault is Fault.BAD_REQUEST:
        return Reply.text(400, injection.body)
    if fault is Fault.REDIRECT_TO_FILE:
        return Reply.text(302, "", Location="file:///etc/passwd")
    if fault is Fault.FALSE_GZIP:
        return Reply(200, b'{"studies": []}', "application/json",
                     headers={"Content-Encoding": "gzip"})
    return None


def spoil_reply(reply: Reply, injection: Injection) -> Reply:
    """Faults that damage a real 200 answer: truncation, garbage, one malformed study."""
    if reply.status != 200:
        return reply
    if injection.fault is Fault.TRUNCATED_JSON:
        return Reply(200, reply.body[: max(len(reply.body) // 2, 1)], reply.content_type)
    if injection.fault is Fault.GARBAGE:
        return Reply(200, GARBAGE, "application/json")
    if injection.fault is Fault.MALFORMED_STUDY and reply.payload is not None:
        _spoil_study(reply.payload, injection.nct_id)
        return Reply.json(reply.payload)
    if reply.payload is not None and injection.fault in _PAYLOAD_EDITS:
        _PAYLOAD_EDITS[injection.fault](reply.payload, injection)
        return Reply.json(reply.payload)
    return reply


def _add_page_token(payload: dict[str, Any], injection: Injection) -> None:
    repeat = injection.fault is Fault.REPEAT_PAGE_TOKEN
    payload["nextPageToken"] = "STUCK" if repeat else f"PAGE{injection.used}"


def _wrong_study(payload: dict[str, Any], injection: Injection) -> None:
    for study in payload.get("studies", [payload]):
        ident = study.get("protocolSection", {}).get("identificationModule", {})
        if injection.nct_id is None or ident.get("nctId") == injection.nct_id:
            ident["nctId"] = injection.answer_id
            ident.pop("nctIdAliases", None)
            return


def _extra_study(payload: dict[str, Any], injection: Injection) -> None:
    studies = payload.get("studies")
    if studies:
        extra = json.loads(json.dumps(studies[0]))
        ident = extra["protocolSection"]["identificationModule"]
        ident["nctId"] = injection.nct_id or "NCT09999999"
        ident.pop("nctIdAliases", None)
        studies.append(extra)


def _anonymous_study(payload: dict[str, Any], injection: Injection) -> None:
    for study in payload.get("studies", []):
        ident = study.get("protocolSection", {}).get("identificationModule", {})
        if injection.nct_id is None or ident.get("nctId") == injection.nct_id:
            ident.pop("nctId", None)
            return


def _pick(payload: dict[str, Any], nct_id: str | None) -> tuple[list, int] | None:
    studies = payload.get("studies", [])
    for position, study in enumerate(studies):
        ident = study.get("protocolSection", {}).get("identificationModule", {})
        if nct_id is None or ident.get("nctId") == nct_id:
            return studies, position
    return None


def _restamped(study: dict[str, Any], injection: Injection) -> dict[str, Any]:
    copy = json.loads(json.dumps(study))
    status = copy["protocolSection"].setdefault("statusModule", {})
    status["overallStatus"] = injection.status_text
    status["lastUpdatePostDateStruct"] = {"date": injection.last_update, "type": "ACTUAL"}
    return copy


def _contradicting_copy(payload: dict[str, Any], injection: Injection) -> None:
    picked = _pick(payload, injection.nct_id)
    if picked:
        studies, position = picked
        studies.insert(position + 1, _restamped(studies[position], injection))


def _older_copy(payload: dict[str, Any], injection: Injection) -> None:
    picked = _pick(payload, injection.nct_id)
    if picked:
        studies, position = picked
        studies[position] = _restamped(studies[position], injection)


_PAYLOAD_EDITS = {
    Fault.REPEAT_PAGE_TOKEN: _add_page_token,
    Fault.ENDLESS_PAGES: _add_page_token,
    Fault.WRONG_STUDY: _wrong_study,
    Fault.EXTRA_STUDY: _extra_study,
    Fault.ANONYMOUS_STUDY: _anonymous_study,
    Fault.CONTRADICTING_COPY: _contradicting_copy,
    Fault.OLDER_COPY: _older_copy,
}


def _spoil_study(payload: dict[str, Any], nct_id: str | None) -> None:
    studies = payload.get("studies", [payload])
    for study in studies:
        ident = study.get("protocolSection", {}).get("identificationModule", {})
        if nct_id is None or ident.get("nctId") == nct_id:
            design = study.setdefault("protocolSection", {}).setdefault("designModule", {})
            design["enrollmentInfo"] = {"count": "lots", "type": "ESTIMATED"}
            return


def _retry_after_headers(retry_after: float | str | None) -> dict[str, str]:
    if retry_after is None:
        return {}
    if isinstance(retry_after, float) and retry_after.is_integer():
        retry_after = int(retry_after)
    return {"Retry-After": str(retry_after)}


def _dump(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
