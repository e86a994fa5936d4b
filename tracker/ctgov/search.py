"""Saved-search requests: query, filters and the last-update window, page by page.

A check asks `GET /studies` with `query.term` / `query.cond` / `query.intr`,
`filter.overallStatus` (the statuses asked for, or the open ones), `filter.geo=distance(lat,
lon,Nkm)` and one `filter.advanced` expression that ANDs the phases (`AREA[Phase]`), the study
type (`AREA[StudyType]`) and, after the first check, the last-update window
(`AREA[LastUpdatePostDate]RANGE[<date>,MAX]`). A study posted since the last check has been
updated since too (its first posting is an update), so one window finds both the newly posted
studies and older ones that now match: one that starts recruiting, or opens a site in the
radius. The first check is sorted by first-posted date, newest first; later checks by
last-update date, oldest first. Pages are followed with `nextPageToken`; the first page asks
for `countTotal`.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

import pydantic_core

from tracker.ctgov.client import CtgovClient
from tracker.ctgov.errors import StudyFormatError
from tracker.ctgov.fields import FULL_FIELDS
from tracker.ctgov.records import RegistryRecord
from tracker.domain.searches import SearchCriteria

FIRST_POSTED_FIELD = "protocolSection.statusModule.studyFirstPostDateStruct"
SEARCH_FIELDS = ",".join((*FULL_FIELDS, FIRST_POSTED_FIELD))
SEARCH_PAGE_SIZE = 100


@dataclass(frozen=True)
class FoundStudy:
    record: RegistryRecord
    first_posted: str | None


@dataclass
class FoundPage:
    studies: list[FoundStudy] = field(default_factory=list)
    failures: list[StudyFormatError] = field(default_factory=list)
    next_page_token: str | None = None
    total_count: int | None = None


def advanced_filter(criteria: SearchCriteria, updated_since: dt.date | None) -> str | None:
    """The `filter.advanced` expression, or None when nothing needs it."""
    parts = []
    if updated_since is not None:
        parts.append(f"AREA[LastUpdatePostDate]RANGE[{updated_since.isoformat()},MAX]")
    if criteria.phases:
        either = " OR ".join(f"AREA[Phase]{phase.value}" for phase in criteria.phases)
        parts.append(f"({either})" if len(criteria.phases) > 1 else either)
    if criteria.study_type:
        parts.append(f"AREA[StudyType]{criteria.study_type.value}")
    return " AND ".join(parts) or None


def search_params(criteria: SearchCriteria, updated_since: dt.date | None,
                  page_size: int = SEARCH_PAGE_SIZE) -> dict[str, str]:
    """Every parameter of a check's requests except the page token."""
    params = {key: value for key, value in (
        ("query.term", criteria.term), ("query.cond", criteria.condition),
        ("query.intr", criteria.intervention)) if value}
    params["filter.overallStatus"] = "|".join(s.value for s in criteria.followed_statuses)
    if criteria.near:
        near = criteria.near
        params["filter.geo"] = f"distance({near.lat:g},{near.lon:g},{near.km:g}km)"
    advanced = advanced_filter(criteria, updated_since)
    if advanced:
        params["filter.advanced"] = advanced
    # The first check takes the newest postings first (a capped set keeps the most recent);
    # later checks go oldest update first, so a capped check can resume where it stopped.
    sort = "StudyFirstPostDate:desc" if updated_since is None else "LastUpdatePostDate:asc"
    return params | {"sort": sort, "fields": SEARCH_FIELDS, "pageSize": str(page_size)}


def fetch_found_page(client: CtgovClient, params: dict[str, str], token: str | None,
                     cancel: threading.Event | None) -> FoundPage | None:
    """One page of a saved search; None when `cancel` was set before the request was sent."""
    page_params = params | ({"pageToken": token} if token else {"countTotal": "true"})
    answered = client.studies_page(page_params, cancel)
    if answered is None:
        return None
    page, body = answered
    posted = _first_posted_by_id(body)
    return FoundPage([FoundStudy(r, posted.get(r.nct_id)) for r in page.records],
                     page.failures, page.next_page_token or None, page.total_count)


def _first_posted_by_id(body: bytes) -> dict[str, str]:
    """nctId -> studyFirstPostDateStruct.date, read from a page the parser already accepted."""
    found = {}
    for study in pydantic_core.from_json(body).get("studies") or ():
        status = _dict(_dict(study).get("protocolSection")).get("statusModule")
        ident = _dict(_dict(study).get("protocolSection")).get("identificationModule")
        nct_id = _dict(ident).get("nctId")
        date = _dict(_dict(status).get("studyFirstPostDateStruct")).get("date")
        if isinstance(nct_id, str) and isinstance(date, str):
            found[nct_id] = date
    return found


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}
