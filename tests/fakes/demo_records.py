"""Demo record changes for screenshots and window tests: results posted, a slip, a new site.

The figures are VIALE-A's published primary analysis (DiNardo et al., N Engl J Med 2020),
shaped as the registry posts results, with one sentinel ("NA") and its comment, so the detail
view shows how it keeps registry strings. Adverse events, participant flow and baseline come
from `demo_safety`.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.demo_safety import venetoclax_modules
from tests.fakes.studies import set_last_update

GROUPS = [{"id": "OG000", "title": "Venetoclax + Azacitidine"},
          {"id": "OG001", "title": "Placebo + Azacitidine"}]


def _measure(kind: str, title: str, unit: str, param: str, dispersion: str | None,
             values: list[dict[str, Any]], denoms: tuple[str, str] = ("286", "145")
             ) -> dict[str, Any]:
    measure = {"type": kind, "title": title, "timeFrame": "Up to 3 years",
               "reportingStatus": "POSTED", "paramType": param, "unitOfMeasure": unit,
               "groups": copy.deepcopy(GROUPS),
               "denoms": [{"units": "Participants", "counts": [
                   {"groupId": "OG000", "value": denoms[0]},
                   {"groupId": "OG001", "value": denoms[1]}]}],
               "classes": [{"categories": [{"measurements": values}]}]}
    if dispersion:
        measure["dispersionType"] = dispersion
    return measure


def demo_results() -> dict[str, Any]:
    overall_survival = _measure(
        "PRIMARY", "Overall Survival (OS)", "months", "MEDIAN", "95% Confidence Interval",
        [{"groupId": "OG000", "value": "14.7", "lowerLimit": "11.9", "upperLimit": "18.7"},
         {"groupId": "OG001", "value": "9.6", "lowerLimit": "7.4", "upperLimit": "12.7"}])
    overall_survival["analyses"] = [{
        "groupIds": ["OG000", "OG001"], "pValue": "<0.001", "statisticalMethod": "Log Rank",
        "paramType": "Hazard Ratio (HR)", "paramValue": "0.66", "ciPctValue": "95",
        "ciLowerLimit": "0.52", "ciUpperLimit": "0.85"}]
    composite = _measure(
        "PRIMARY", "Composite Complete Remission Rate (CR + CRi)", "percentage of participants",
        "NUMBER", None, [{"groupId": "OG000", "value": "66.4"},
                         {"groupId": "OG001", "value": "28.3"}])
    duration = _measure(
        "SECONDARY", "Duration of Composite Complete Remission", "months", "MEDIAN",
        "95% Confidence Interval",
        [{"groupId": "OG000", "value": "17.5", "lowerLimit": "13.6", "upperLimit": "NA",
          "comment": "NA: the upper limit was not estimable at the data cut-off."},
         {"groupId": "OG001", "value": "13.4", "lowerLimit": "5.8", "upperLimit": "15.5"}],
        denoms=("190", "41"))
    return {"outcomeMeasuresModule": {"outcomeMeasures": [overall_survival, composite,
                                                          duration]}, **venetoclax_modules()}


def with_demo_results(study: dict[str, Any]) -> dict[str, Any]:
    """The study after an update: results posted, primary completion +14 months, a site in
    Berlin, the primary publication listed."""
    study = copy.deepcopy(study)
    protocol = study["protocolSection"]
    status = protocol["statusModule"]
    status["primaryCompletionDateStruct"] = {"date": "2027-08", "type": "ESTIMATED"}
    status["resultsFirstPostDateStruct"] = {"date": "2026-02-27", "type": "ACTUAL"}
    set_last_update(status, "2026-02-27")
    protocol.setdefault("contactsLocationsModule", {}).setdefault("locations", []).append(
        {"facility": "Charité – Universitätsmedizin Berlin", "city": "Berlin",
         "country": "Germany", "status": "RECRUITING", "geoPoint": {"lat": 52.52,
                                                                   "lon": 13.405}})
    protocol["referencesModule"] = {"references": []}  # not the template study's papers
    protocol["referencesModule"]["references"].append(
        {"pmid": "32786187", "type": "RESULT",
         "citation": "DiNardo CD, Jonas BA, Pullarkat V, et al. Azacitidine and Venetoclax in "
                     "Previously Untreated Acute Myeloid Leukemia. N Engl J Med. "
                     "2020;383(7):617-629."})
    study["hasResults"] = True
    study["resultsSection"] = demo_results()
    return study
