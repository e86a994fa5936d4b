"""A dose-finding CAR-T record with three arms (ide-cel 150/300/450 × 10^6 cells), the shape
of KarMMa's posted results: analyses comparing two of three arms, a measure counted in bone
marrow samples beside the participants, and a time-to-event measure with one arm left out."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.studies import make_study

KARMMA, CARTIFAN = "NCT03361748", "NCT03758417"  # both in the curated library
DOSES = ("Ide-cel 150 x10^6", "Ide-cel 300 x10^6", "Ide-cel 450 x10^6")
_GROUPS = [{"id": f"OG00{i}", "title": title} for i, title in enumerate(DOSES)]


def _denom(counts: tuple[str, str, str], units: str = "Participants") -> dict[str, Any]:
    return {"units": units, "counts": [{"groupId": f"OG00{i}", "value": v}
                                       for i, v in enumerate(counts)]}


def _values(*values: str, **limits) -> list[dict[str, Any]]:
    return [{"groupId": f"OG00{i}", "value": v} for i, v in enumerate(values)]


def response_rate() -> dict[str, Any]:
    measurements = _values("50.0", "68.6", "81.5")
    for measurement, (low, high) in zip(measurements, (("6.8", "93.2"), ("56.4", "79.1"),
                                                       ("68.6", "90.7")), strict=True):
        measurement.update(lowerLimit=low, upperLimit=high)
    return {"type": "PRIMARY", "title": "Overall Response Rate", "timeFrame": "Up to 24 months",
            "reportingStatus": "POSTED", "paramType": "NUMBER",
            "dispersionType": "95% Confidence Interval",
            "unitOfMeasure": "percentage of participants", "groups": copy.deepcopy(_GROUPS),
            "denoms": [_denom(("4", "70", "54"))],
            "classes": [{"categories": [{"measurements": measurements}]}],
            "analyses": [
                {"groupIds": ["OG001", "OG002"], "pValue": "0.09", "statisticalMethod":
                 "Fisher Exact", "paramType": "Odds Ratio (OR)", "paramValue": "2.0",
                 "ciPctValue": "95", "ciLowerLimit": "0.9", "ciUpperLimit": "4.6",
                 "groupDescription": "450 vs 300"},
                {"groupIds": ["OG000", "OG002"], "pValue": "0.20", "statisticalMethod":
                 "Fisher Exact", "paramType": "Odds Ratio (OR)", "paramValue": "4.4",
                 "ciPctValue": "95", "ciLowerLimit": "0.5", "ciUpperLimit": "36"}]}


def crs_by_grade() -> dict[str, Any]:
    return {"type": "PRIMARY", "title": "Number of Participants With CRS by Grade",
            "timeFrame": "Up to 24 months", "reportingStatus": "POSTED",
            "paramType": "COUNT_OF_PARTICIPANTS", "unitOfMeasure": "Participants",
            "groups": copy.deepcopy(_GROUPS), "denoms": [_denom(("4", "70", "54"))],
            "classes": [{"title": "Any grade",
                         "categories": [{"measurements": _values("2", "53", "52")}]},
                        {"title": "Grade >= 3",
                         "categories": [{"measurements": _values("0", "1", "5")}]}]}


def mrd_by_sample() -> dict[str, Any]:
    """Counted in samples: the second denominator (bone marrow samples) is the one to use."""
    return {"type": "SECONDARY", "title": "MRD negativity by sample", "timeFrame": "Month 3",
            "reportingStatus": "POSTED", "paramType": "COUNT_OF_UNITS", "unitOfMeasure": "samples",
            "groups": copy.deepcopy(_GROUPS),
            "denoms": [_denom(("4", "70", "54")),
                       _denom(("3", "40", "33"), units="bone marrow samples")],
            "classes": [{"categories": [
                {"title": "MRD negative", "measurements": _values("1", "12", "20")},
                {"title": "MRD positive", "measurements": _values("2", "28", "13")}]}]}


def three_arm_results() -> dict[str, Any]:
    return {"outcomeMeasuresModule": {"outcomeMeasures": [response_rate(), crs_by_grade(),
                                                          mrd_by_sample()]}}


def three_arm_study(nct_id: str = KARMMA, **fields) -> dict[str, Any]:
    study = make_study(nct_id, status="COMPLETED", has_results=True,
                       interventions=("Idecabtagene vicleucel",),
                       conditions=("Multiple Myeloma",), sponsor="Celgene", **fields)
    study["resultsSection"] = three_arm_results()
    return study
