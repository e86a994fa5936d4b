"""Posted adverse events, participant flow and baseline, shaped as API v2 `resultsSection` modules.

Two trials a hematology pharmacist reads: venetoclax + azacitidine in AML (counts rounded from
the percentages of VIALE-A's published safety analysis, DiNardo et al., N Engl J Med 2020) and
a CAR-T versus standard of care in large B-cell lymphoma (counts in the range of ZUMA-7's
reports). Illustrative test data in the registry's shape, not a copy of either posting. The
CAR-T record carries the odd values real postings have: a count left out, a count sent as
text, an event with no term, a negative count.
"""

from __future__ import annotations

from typing import Any

VEN, PBO = "Venetoclax + Azacitidine", "Placebo + Azacitidine"


def _event(term: str, organ: str, counts: list[tuple[int, int]]) -> dict[str, Any]:
    return {"term": term, "organSystem": organ, "sourceVocabulary": "MedDRA 23.0",
            "assessmentType": "SYSTEMATIC_ASSESSMENT",
            "stats": [{"groupId": f"EG00{i}", "numEvents": affected, "numAffected": affected,
                       "numAtRisk": at_risk} for i, (affected, at_risk) in enumerate(counts)]}


BLOOD, INFECT = "Blood and lymphatic system disorders", "Infections and infestations"
GI, METAB = "Gastrointestinal disorders", "Metabolism and nutrition disorders"
_VEN_SERIOUS = [  # term, organ system, venetoclax arm affected, placebo arm affected
    ("Febrile neutropenia", BLOOD, 84, 15), ("Pneumonia", INFECT, 46, 32),
    ("Sepsis", INFECT, 16, 12), ("Anaemia", BLOOD, 14, 4),
    ("Atrial fibrillation", "Cardiac disorders", 13, 2), ("Thrombocytopenia", BLOOD, 11, 6),
    ("Urinary tract infection", INFECT, 9, 6), ("Lung infection", INFECT, 9, 4),
    ("Cellulitis", INFECT, 8, 3), ("Septic shock", INFECT, 7, 5),
    ("Neutropenia", BLOOD, 7, 2), ("Pyrexia", "General disorders", 6, 5),
    ("Fall", "Injury, poisoning and procedural complications", 5, 2),
    ("Tumour lysis syndrome", METAB, 3, 0)]
_VEN_OTHER = [
    ("Thrombocytopenia", BLOOD, 130, 58), ("Nausea", GI, 124, 50),
    ("Constipation", GI, 121, 56), ("Neutropenia", BLOOD, 119, 42),
    ("Febrile neutropenia", BLOOD, 118, 27), ("Diarrhoea", GI, 117, 48),
    ("Vomiting", GI, 85, 33), ("Hypokalaemia", METAB, 82, 42), ("Anaemia", BLOOD, 77, 29),
    ("Decreased appetite", METAB, 71, 25), ("Peripheral oedema", "General disorders", 68, 26),
    ("Pyrexia", "General disorders", 65, 32), ("Fatigue", "General disorders", 59, 24),
    ("Leukopenia", BLOOD, 59, 20)]


def venetoclax_modules() -> dict[str, Any]:
    """The three modules for the VIALE-A demo record (arms at risk 283 and 144)."""
    return {"adverseEventsModule": _venetoclax_events(),
            "participantFlowModule": _venetoclax_flow(),
            "baselineCharacteristicsModule": _venetoclax_baseline()}


def _venetoclax_events() -> dict[str, Any]:
    groups = [{"id": "EG000", "title": VEN, "deathsNumAffected": 150, "deathsNumAtRisk": 286,
               "seriousNumAffected": 235, "seriousNumAtRisk": 283,
               "otherNumAffected": 281, "otherNumAtRisk": 283},
              {"id": "EG001", "title": PBO, "deathsNumAffected": 101, "deathsNumAtRisk": 145,
               "seriousNumAffected": 105, "seriousNumAtRisk": 144,
               "otherNumAffected": 144, "otherNumAtRisk": 144}]
    return {"frequencyThreshold": "5", "timeFrame": "From first dose until 30 days after the "
            "last dose of study drug (median 7.6 months of treatment)",
            "description": "Treatment-emergent adverse events in participants who received at "
                           "least one dose of study drug.",
            "allCauseMortalityComment": "All-cause mortality in all randomized participants.",
            "eventGroups": groups,
            "seriousEvents": [_event(t, o, [(v, 283), (p, 144)]) for t, o, v, p in _VEN_SERIOUS],
            "otherEvents": [_event(t, o, [(v, 283), (p, 144)]) for t, o, v, p in _VEN_OTHER]}


def _flow_counts(key: str, values: tuple[Any, ...]) -> dict[str, Any]:
    return {key: [{"groupId": f"FG00{i}", "numSubjects": v} for i, v in enumerate(values)]}


def _venetoclax_flow() -> dict[str, Any]:
    milestones = [("STARTED", ("286", "145")), ("Received study drug", ("283", "144")),
                  ("COMPLETED", ("125", "36")), ("NOT COMPLETED", ("161", "109"))]
    reasons = [("Death", ("150", "101")), ("Withdrawal by Subject", ("8", "6")),
               ("Lost to Follow-up", ("3", "2"))]
    return {"recruitmentDetails": "Participants were randomized 2:1 at 134 sites.",
            "groups": [{"id": "FG000", "title": VEN}, {"id": "FG001", "title": PBO}],
            "periods": [{"title": "Overall Study",
                         "milestones": [{"type": kind} | _flow_counts("achievements", counts)
                                        for kind, counts in milestones],
                         "dropWithdraws": [{"type": kind} | _flow_counts("reasons", counts)
                                           for kind, counts in reasons]}]}


def _category(title: str | None, values: list[dict[str, str]]) -> dict[str, Any]:
    measurements = [{"groupId": f"BG00{i}"} | v for i, v in enumerate(values)]
    return ({"title": title} if title else {}) | {"measurements": measurements}


def _counts(title: str, rows: list[tuple[str, tuple[str, str, str]]]) -> dict[str, Any]:
    return {"title": title, "paramType": "COUNT_OF_PARTICIPANTS", "unitOfMeasure": "Participants",
            "classes": [{"categories": [_category(label, [{"value": v} for v in values])
                                        for label, values in rows]}]}


def _venetoclax_baseline() -> dict[str, Any]:
    age = {"title": "Age, Continuous", "paramType": "MEDIAN", "dispersionType": "FULL_RANGE",
           "unitOfMeasure": "years", "classes": [{"categories": [_category(None, [
               {"value": "76", "lowerLimit": "49", "upperLimit": "91"},
               {"value": "76", "lowerLimit": "60", "upperLimit": "90"},
               {"value": "76", "lowerLimit": "49", "upperLimit": "91"}])]}]}
    return {"populationDescription": "All randomized participants.",
            "groups": [{"id": "BG000", "title": VEN}, {"id": "BG001", "title": PBO},
                       {"id": "BG002", "title": "Total",
                        "description": "Total of all reporting groups"}],
            "denoms": [{"units": "Participants", "counts": [
                {"groupId": "BG000", "value": "286"}, {"groupId": "BG001", "value": "145"},
                {"groupId": "BG002", "value": "431"}]}],
            "measures": [age,
                         _counts("Sex: Female, Male", [("Female", ("110", "58", "168")),
                                                       ("Male", ("176", "87", "263"))]),
                         _counts("ECOG performance status", [("0-1", ("157", "81", "238")),
                                                             ("2-3", ("129", "64", "193"))]),
                         _counts("Cytogenetic risk", [("Intermediate", ("182", "89", "271")),
                                                      ("Poor", ("104", "56", "160"))])]}


AXI, SOC = "Axicabtagene Ciloleucel", "Standard of Care"


def car_t_results() -> dict[str, Any]:
    """A CAR-T trial's results section: CRS and neurotoxicity, odd values included."""
    serious = [_event("Cytokine release syndrome", "Immune system disorders", [(28, 170),
                                                                                (0, 168)]),
               _event("Encephalopathy", "Nervous system disorders", [(17, 170), (1, 168)]),
               _event("Immune effector cell-associated neurotoxicity syndrome",
                      "Nervous system disorders", [(5, 170), (0, 168)]),
               _event("Febrile neutropenia", BLOOD, [(4, 170), (18, 168)]),
               _event("Pneumonia", INFECT, [(8, 170), (5, 168)])]
    serious[4]["stats"][1].pop("numAffected")  # left out by the sponsor
    serious[3]["stats"][1]["numAffected"] = "18"  # a count sent as text
    odd = {"organSystem": "General disorders", "stats": [{"groupId": "EG000",
                                                          "numAffected": -1}]}
    events = {"frequencyThreshold": "5", "timeFrame": "Up to 5 years",
              "eventGroups": [{"id": "EG000", "title": AXI, "seriousNumAffected": 85,
                               "seriousNumAtRisk": 170},
                              {"id": "EG001", "title": SOC, "seriousNumAffected": 77,
                               "seriousNumAtRisk": 168}],
              "seriousEvents": serious + [odd],
              "otherEvents": [_event("Neutropenia", BLOOD, [(158, 170), (70, 168)])]}
    flow = {"groups": [{"id": "FG000", "title": AXI}, {"id": "FG001", "title": SOC}],
            "periods": [{"title": "Overall Study", "milestones": [
                {"type": "STARTED"} | _flow_counts("achievements", ("180", "179")),
                {"type": "Received CAR-T infusion"} | _flow_counts("achievements",
                                                                   ("170", "NA")),
                {"type": "COMPLETED"} | _flow_counts("achievements", ("0", "0"))],
                "dropWithdraws": [{"type": "Death"} | _flow_counts("reasons", ("82", "95"))]}]}
    return {"adverseEventsModule": events, "participantFlowModule": flow}
