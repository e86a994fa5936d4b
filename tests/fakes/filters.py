"""`query.*` and `filter.*` parameters of the fake registry as study predicates.

Each builder returns a predicate, or a string: the text of the 400 answer the real API gives
to a bad value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tests.fakes.essie import EssieError, Predicate, area_predicate, compile_expression
from tests.fakes.studies import search_text, set_last_update

STATUSES = frozenset({
    "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
    "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
    "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN"})
_GEO = re.compile(r"^distance\((-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(km|mi)?\)$")


def select_studies(studies: dict[str, dict[str, Any]], ids: list[str],
                   params: dict[str, str]) -> list[str] | str:
    """`ids` kept by the query and filter parameters, in the asked order (a str: 400 text)."""
    for predicate in _predicates(params):
        if isinstance(predicate, str):
            return predicate
        ids = [i for i in ids if predicate(studies[i])]
    order = sort_key(params["sort"]) if params.get("sort") else None
    if isinstance(order, str):
        return order
    if order is not None:
        key, reverse = order
        ids = sorted(ids, key=lambda i: key(studies[i]), reverse=reverse)
    return ids


def _predicates(params: dict[str, str]) -> list[Predicate | str]:
    found = [query_predicate(area, params[f"query.{area}"].strip())
             for area in ("term", "cond", "intr") if params.get(f"query.{area}", "").strip()]
    for name, build in (("filter.overallStatus", status_predicate), ("filter.geo", geo_predicate),
                        ("filter.advanced", advanced_predicate)):
        if name in params:
            found.append(build(params[name]))
    return found


def query_predicate(area: str, text: str) -> Predicate | str:
    def atom(_kind: str, word: str) -> Predicate:
        lowered = word.lower()
        return lambda study: lowered in search_text(study, area)

    try:
        return compile_expression(text, atom)
    except EssieError as error:
        return f"query.{area}: {error}"


def advanced_predicate(text: str) -> Predicate | str:
    try:
        return compile_expression(text, area_predicate)
    except EssieError as error:
        return str(error)


def status_predicate(text: str) -> Predicate | str:
    wanted = {part.strip() for part in re.split(r"[|,]", text) if part.strip()}
    unknown = sorted(wanted - STATUSES)
    if unknown or not wanted:
        return f"filter.overallStatus: unknown status(es): {', '.join(unknown) or '(none)'}"
    return lambda study: study["protocolSection"]["statusModule"].get("overallStatus") in wanted


def geo_predicate(text: str) -> Predicate | str:
    match = _GEO.match(text)
    if not match:
        return f"filter.geo: expected distance(latitude,longitude,distance), got {text!r}"
    lat, lon, size, unit = match.groups()
    km = float(size) * (1.609344 if unit == "mi" else 1.0)
    return lambda study: any(_distance_km(float(lat), float(lon), point) <= km
                             for point in _geo_points(study))


def _geo_points(study: dict[str, Any]) -> list[dict[str, float]]:
    locations = study["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
    return [loc["geoPoint"] for loc in locations if "geoPoint" in loc]


def _distance_km(lat: float, lon: float, point: dict[str, float]) -> float:
    p1, p2 = math.radians(lat), math.radians(point["lat"])
    dp, dl = p2 - p1, math.radians(point["lon"] - lon)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


_SORT_FIELDS = {"StudyFirstPostDate": "studyFirstPostDateStruct",
                "LastUpdatePostDate": "lastUpdatePostDateStruct"}


def sort_key(text: str):
    """(key function, reverse) for a `sort` value, or the 400 text. Studies without the
    field go last, as the API documents; dates sort descending by default."""
    field, _, direction = text.partition(":")
    if field == "@relevance":
        return None
    if field not in _SORT_FIELDS or direction not in ("", "asc", "desc"):
        return f"sort: this fake cannot sort by {text!r}"
    reverse = direction != "asc"

    def key(study: dict[str, Any]) -> tuple[bool, str]:
        date = (study["protocolSection"]["statusModule"].get(_SORT_FIELDS[field]) or {}).get(
            "date")
        return (date is None) != reverse, date or ""

    return key, reverse


def posted_study(study: dict[str, Any], first_posted: str, *, study_type: str = "INTERVENTIONAL",
                 place: tuple[float, float] | None = None) -> dict[str, Any]:
    """`study` first posted on `first_posted` (YYYY-MM-DD), of this type, sited at `place`.
    As in the registry, its last update is posted no earlier than its first posting."""
    protocol = study["protocolSection"]
    protocol["statusModule"]["studyFirstPostDateStruct"] = {"date": first_posted,
                                                            "type": "ACTUAL"}
    protocol["statusModule"]["studyFirstSubmitDate"] = first_posted
    last = protocol["statusModule"].get("lastUpdatePostDateStruct", {}).get("date", "")
    if last < first_posted:
        set_last_update(protocol["statusModule"], first_posted)
    protocol["designModule"]["studyType"] = study_type
    if place is not None:
        protocol.setdefault("contactsLocationsModule", {})["locations"] = [
            {"facility": "Test site", "geoPoint": {"lat": place[0], "lon": place[1]}}]
    return study
