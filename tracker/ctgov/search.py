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
from tracker.domain.registry_text import clean_line
from tracker.domain.searches import SearchCriteria

FIRST_POSTED_FIELD = "protocolSection.statusModule.studyFirstPostDateStruct"
_LOCATIONS = "protocolSection.contactsLocationsModule.locations"
#: Where a study has sites, for the inbox's triage (count, recruiting, the nearest): a few short
#: fields per site, in the same request (no contacts, no addresses).
SITE_FIELDS = tuple(f"{_LOCATIONS}.{name}" for name in
                    ("facility", "city", "country", "status", "geoPoint"))
SEARCH_FIELDS = ",".join((*FULL_FIELDS, FIRST_POSTED_FIELD, *SITE_FIELDS))
SEARCH_PAGE_SIZE = 100


@dataclass(frozen=True)
class FoundSite:
    facility: str
    city: str
    country: str
    status: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class FoundStudy:
    record: RegistryRecord
    first_posted: str | None
    sites: tuple[FoundSite, ...] = ()


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
    extras = _extras_by_id(body)
    return FoundPage([FoundStudy(r, *extras.get(r.nct_id, (None, ()))) for r in page.records],
                     page.failures, page.next_page_token or None, page.total_count)


MAX_SITES = 2_000  # a study lists at most a few hundred; more is not a real answer


def _extras_by_id(body: bytes) -> dict[str, tuple[str | None, tuple[FoundSite, ...]]]:
    """nctId -> (studyFirstPostDateStruct.date, its sites), read from a page the parser
    already accepted; a value of the wrong type is left out, never raised."""
    found = {}
    for study in pydantic_core.from_json(body).get("studies") or ():
        protocol = _dict(_dict(study).get("protocolSection"))
        nct_id = _dict(protocol.get("identificationModule")).get("nctId")
        date = _dict(_dict(protocol.get("statusModule")).get("studyFirstPostDateStruct")).get(
            "date")
        locations = _dict(protocol.get("contactsLocationsModule")).get("locations")
        sites = tuple(_site(loc) for loc in (locations if isinstance(locations, list) else ())
                      [:MAX_SITES] if isinstance(loc, dict))
        if isinstance(nct_id, str):
            found[nct_id] = (date if isinstance(date, str) else None, sites)
    return found


def _site(location: dict) -> FoundSite:
    point = _dict(location.get("geoPoint"))
    lat, lon = point.get("lat"), point.get("lon")
    usable = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon))
    return FoundSite(*(_text(location.get(k)) for k in ("facility", "city", "country", "status")),
                     float(lat) if usable else None, float(lon) if usable else None)


def _text(value: object) -> str:
    """A site's field as clean one-line text (see `RegistryRecord`), at most 300 characters."""
    return (clean_line(value[:1_000]) or "")[:300] if isinstance(value, str) else ""


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}
