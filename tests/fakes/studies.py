"""Study records for the fake registry: the real sample page, `make_study`, and `fields` paths.

Records are plain JSON dicts shaped exactly like `data/real-studies-page.json`, a real page of
10 studies from the ClinicalTrials.gov API v2 (public-domain registry data, vendored so the suite
needs nothing outside the repository). `make_study` deep-copies a real record
and overwrites what a test cares about, so everything else stays realistic.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

REAL_PAGE_PATH = Path(__file__).resolve().parent / "data" / "real-studies-page.json"
TEMPLATE_ID = "NCT05531279"  # a recruiting haematology study without a results section
NCT_QUERY_ID = re.compile(r"^[Nn][Cc][Tt]0*([1-9]\d{0,7})$")
FIELD_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-. ]*$")
TOP_LEVEL_KEYS = frozenset(
    {"protocolSection", "resultsSection", "annotationSection", "documentSection",
     "derivedSection", "hasResults"}
)

DateSpec = tuple[str, str | None] | None


@cache
def _real_page_text() -> str:
    return REAL_PAGE_PATH.read_text(encoding="utf-8")


def real_page() -> dict[str, Any]:
    """The real page of 10 studies (a fresh copy each call)."""
    return json.loads(_real_page_text())


def real_page_bytes() -> bytes:
    return _real_page_text().encode("utf-8")


def real_studies() -> list[dict[str, Any]]:
    return real_page()["studies"]


def nct_id_of(study: dict[str, Any]) -> str:
    return study["protocolSection"]["identificationModule"]["nctId"]


def normalise_query_id(text: str) -> str | None:
    """`nct4277637` -> `NCT04277637`, as the API accepts ids without leading zeros."""
    match = NCT_QUERY_ID.match(text.strip())
    return f"NCT{int(match.group(1)):08d}" if match else None


def make_study(
    nct_id: str,
    *,
    status: str = "RECRUITING",
    last_update: str = "2025-01-15",
    acronym: str | None = None,
    title: str | None = None,
    aliases: Sequence[str] = (),
    phases: Sequence[str] = ("PHASE2",),
    conditions: Sequence[str] = ("Acute Myeloid Leukemia",),
    interventions: Sequence[str] = ("Venetoclax", "Azacitidine"),
    start: DateSpec = ("2023-01", "ACTUAL"),
    primary_completion: DateSpec = ("2026-06", "ESTIMATED"),
    completion: DateSpec = ("2027-12", "ESTIMATED"),
    enrollment: tuple[int, str] | None = (120, "ESTIMATED"),
    why_stopped: str | None = None,
    has_results: bool = False,
    sponsor: str = "AbbVie",
    summary: str | None = None,
) -> dict[str, Any]:
    """A realistic API v2 study record (a copy of a real one with these fields set)."""
    study = _template()
    protocol = study["protocolSection"]
    _set_identification(protocol["identificationModule"], nct_id, acronym, aliases,
                        title or f"{' and '.join(interventions)} in {', '.join(conditions)}")
    _set_status(protocol["statusModule"], status, last_update, why_stopped,
                {"startDateStruct": start, "primaryCompletionDateStruct": primary_completion,
                 "completionDateStruct": completion})
    _set_design(protocol["designModule"], phases, enrollment)
    _set_interventions(protocol["armsInterventionsModule"], interventions)
    protocol["conditionsModule"]["conditions"] = list(conditions)
    protocol["sponsorCollaboratorsModule"]["leadSponsor"] = {"name": sponsor, "class": "INDUSTRY"}
    protocol["descriptionModule"]["briefSummary"] = summary or f"A study of {nct_id}."
    study["hasResults"] = has_results
    return study


@cache
def _template_text() -> str:
    for study in real_studies():
        if nct_id_of(study) == TEMPLATE_ID:
            return json.dumps(study)
    raise LookupError(f"{TEMPLATE_ID} is not in the sample page")


def _template() -> dict[str, Any]:
    return json.loads(_template_text())


def _set_identification(module: dict[str, Any], nct_id: str, acronym: str | None,
                        aliases: Sequence[str], title: str) -> None:
    module["nctId"] = nct_id
    module["orgStudyIdInfo"] = {"id": f"ORG-{nct_id[3:]}"}
    module["briefTitle"] = title
    module["officialTitle"] = f"{title}: an Open-label Study"
    _set_or_drop(module, "acronym", acronym)
    _set_or_drop(module, "nctIdAliases", list(aliases) or None)


def _set_status(module: dict[str, Any], status: str, last_update: str, why_stopped: str | None,
                dates: dict[str, DateSpec]) -> None:
    module["overallStatus"] = status
    _set_or_drop(module, "whyStopped", why_stopped)
    for key, spec in dates.items():
        _set_or_drop(module, key, _date_struct(spec))
    set_last_update(module, last_update)


def set_last_update(status_module: dict[str, Any], last_update: str) -> None:
    status_module["lastUpdateSubmitDate"] = last_update
    status_module["lastUpdatePostDateStruct"] = {"date": last_update, "type": "ACTUAL"}


def next_day(date_text: str) -> str:
    return (dt.date.fromisoformat(date_text) + dt.timedelta(days=1)).isoformat()


def _date_struct(spec: DateSpec) -> dict[str, str] | None:
    if spec is None:
        return None
    date, kind = spec
    return {"date": date, "type": kind} if kind else {"date": date}


def _set_design(module: dict[str, Any], phases: Sequence[str],
                enrollment: tuple[int, str] | None) -> None:
    _set_or_drop(module, "phases", list(phases) or None)
    count_kind = {"count": enrollment[0], "type": enrollment[1]} if enrollment else None
    _set_or_drop(module, "enrollmentInfo", count_kind)


def _set_interventions(module: dict[str, Any], names: Sequence[str]) -> None:
    labels = [group["label"] for group in module.get("armGroups", [])]
    module["interventions"] = [
        {"type": "DRUG", "name": name, "armGroupLabels": labels} for name in names
    ]
    for group in module.get("armGroups", []):
        group["interventionNames"] = [f"Drug: {name}" for name in names]


def _set_or_drop(mapping: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


# -- fields=... projection ----------------------------------------------------------------------


def parse_fields(value: str) -> list[list[str]] | str:
    """Dotted paths from a `fields` value, or an error text for a 400 answer."""
    names = [name.strip() for name in re.split(r"[,|]", value) if name.strip()]
    if not names:
        return "fields must be a non-empty list"
    for name in names:
        if not FIELD_NAME.match(name):
            return f"invalid field name: {name!r}"
        if "." not in name and name not in TOP_LEVEL_KEYS:
            return f"unknown field (this fake knows dotted paths only): {name!r}"
    return [name.split(".") for name in names]


def project(study: dict[str, Any], paths: Iterable[list[str]] | None) -> dict[str, Any]:
    """Only the given dotted paths of `study` (through lists, as the real API does)."""
    if paths is None:
        return copy.deepcopy(study)
    result: dict[str, Any] = {}
    for path in paths:
        _copy_path(study, result, path)
    return _prune(result)


def _copy_path(source: Any, target: dict[str, Any], path: list[str]) -> None:
    key, rest = path[0], path[1:]
    if not isinstance(source, dict) or key not in source:
        return
    value = source[key]
    if not rest:
        target[key] = copy.deepcopy(value)
    elif isinstance(value, dict):
        _copy_path(value, target.setdefault(key, {}), rest)
    elif isinstance(value, list):
        items = target.setdefault(key, [{} for _ in value])
        for item_source, item_target in zip(value, items):
            if isinstance(item_target, dict):
                _copy_path(item_source, item_target, rest)


def _prune(value: Any) -> Any:
    """Drop the empty containers `_copy_path` created for paths a study does not have."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if not _is_hollow(item)}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _is_hollow(value: Any) -> bool:
    if value == {}:
        return True
    return isinstance(value, list) and bool(value) and all(item == {} for item in value)


# -- query.term / query.cond / query.intr ---------------------------------------------------------


def search_text(study: dict[str, Any], area: str) -> str:
    """Lower-case text a simple substring search looks at, per query area."""
    protocol = study.get("protocolSection", {})
    ident = protocol.get("identificationModule", {})
    conditions = protocol.get("conditionsModule", {})
    condition_text = " ".join(conditions.get("conditions", []) + conditions.get("keywords", []))
    interventions = protocol.get("armsInterventionsModule", {}).get("interventions", [])
    intervention_text = " ".join(
        " ".join([item.get("name", ""), *item.get("otherNames", [])]) for item in interventions
    )
    if area == "cond":
        return condition_text.lower()
    if area == "intr":
        return intervention_text.lower()
    titles = " ".join(str(ident.get(key, "")) for key in
                      ("nctId", "briefTitle", "officialTitle", "acronym"))
    return f"{titles} {condition_text} {intervention_text}".lower()


def matches(study: dict[str, Any], area: str, query: str) -> bool:
    """Every word of the query appears in the area's text (case-insensitive)."""
    text = search_text(study, area)
    return all(word in text for word in query.lower().split())
