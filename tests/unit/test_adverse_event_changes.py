"""Revised adverse-event postings in the change log: two versions of a record with posted
adverse events (the CAR-T and VIALE-A demo postings, read by the real parser) compared."""

from __future__ import annotations

import copy
import datetime as dt

from tests.fakes.demo_records import with_demo_results
from tests.fakes.demo_safety import AXI, SOC, VEN, car_t_results
from tests.fakes.studies import make_study
from tracker.ctgov.record_details import facts_from_study
from tracker.domain.changes import FieldChange, derive_changes

SEEN = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
AE_FIELDS = {"adverse_events_posted", "all_cause_mortality", "serious_adverse_events",
             "other_adverse_events", "adverse_event_time_frame"}


def _car_t() -> dict:
    study = make_study("NCT04000010", interventions=("Axicabtagene ciloleucel",),
                       conditions=("Large B-cell Lymphoma",))
    study["hasResults"] = True
    study["protocolSection"]["statusModule"]["resultsFirstPostDateStruct"] = {
        "date": "2026-02-27", "type": "ACTUAL"}
    study["resultsSection"] = car_t_results()
    return study


def _viale() -> dict:
    return with_demo_results(make_study("NCT04000009"))


def _module(study: dict) -> dict:
    return study["resultsSection"]["adverseEventsModule"]


def _event(study: dict, kind: str, term: str) -> dict:
    return next(e for e in _module(study)[kind] if e.get("term") == term)


def _ae_changes(old: dict, new: dict) -> list[FieldChange]:
    changes = derive_changes(facts_from_study(old), facts_from_study(new), trial_id="NCT0",
                             registry_date="2026-11-02", seen_at=SEEN)
    return [c for c in changes if c.field in AE_FIELDS]


def test_ae_changes_first_posting_is_one_major_entry_not_one_per_term():
    before = make_study("NCT04000010")  # no results yet: hasResults false
    (posted,) = _ae_changes(before, _car_t())
    assert (posted.field, posted.old, posted.significance) == (
        "adverse_events_posted", None, "major")
    assert posted.describe() == ("adverse events posted: 2 arms, 5 serious (+1 without a "
                                 "term) and 1 other term (time frame: Up to 5 years)")
    assert posted.marker() == "adverse events posted"
    two_unnamed = _car_t()  # a second event without a term, in the same organ system
    _module(two_unnamed)["seriousEvents"].append(
        {"organSystem": "General disorders", "stats": [{"groupId": "EG000", "numAffected": 2}]})
    (posted,) = _ae_changes(before, two_unnamed)
    assert "5 serious (+2 without a term)" in posted.describe()


def test_ae_changes_a_revised_crs_count_is_major_and_reads_plainly():
    old, new = _car_t(), _car_t()
    _event(new, "seriousEvents", "Cytokine release syndrome")["stats"][0]["numAffected"] = 30
    (change,) = _ae_changes(old, new)
    assert (change.field, change.significance) == ("serious_adverse_events", "major")
    assert change.describe() == (f"serious adverse events revised: Cytokine release syndrome, "
                                 f"arm '{AXI}', 28/170 → 30/170")
    assert change.marker() == "serious adverse events revised"
    assert change.registry_date == "2026-11-02"


def test_ae_changes_an_at_risk_count_revised_is_a_change_of_that_term():
    old, new = _car_t(), _car_t()
    _event(new, "seriousEvents", "Febrile neutropenia")["stats"][1]["numAtRisk"] = 170
    (change,) = _ae_changes(old, new)
    assert change.significance == "major", "every serious term is major, not only hallmarks"
    assert change.new == f"Febrile neutropenia, arm '{SOC}', 18/168 → 18/170"


def test_ae_changes_other_events_revised_are_minor_unless_a_class_toxicity_is_among_them():
    old, new = _viale(), _viale()
    _event(new, "otherEvents", "Nausea")["stats"][0]["numAffected"] = 126
    (nausea,) = _ae_changes(old, new)
    assert (nausea.field, nausea.significance) == ("other_adverse_events", "minor")
    assert nausea.describe() == ("other adverse events revised: Nausea, "
                                 f"arm '{VEN}', 124/283 → 126/283")

    old, new = _car_t(), _car_t()
    for study, affected in ((old, 120), (new, 125)):
        crs = copy.deepcopy(_event(study, "seriousEvents", "Cytokine release syndrome"))
        crs["stats"][0]["numAffected"] = affected
        _module(study)["otherEvents"].append(crs)
    _event(new, "otherEvents", "Neutropenia")["stats"][0]["numAffected"] = 150
    (other,) = _ae_changes(old, new)
    assert (other.field, other.significance) == ("other_adverse_events", "major")
    assert other.new.startswith("Cytokine release syndrome, "), "the class toxicity first"
    assert other.detail == "2 terms"


def test_ae_changes_a_serious_term_added_and_one_removed():
    old, new = _car_t(), _car_t()
    sepsis = copy.deepcopy(_event(new, "seriousEvents", "Pneumonia"))
    sepsis["term"] = "Sepsis"
    sepsis["stats"] = [{"groupId": "EG000", "numAffected": 6, "numAtRisk": 170},
                       {"groupId": "EG001", "numAffected": 0, "numAtRisk": 168}]
    _module(new)["seriousEvents"] = [e for e in _module(new)["seriousEvents"]
                                     if e.get("term") != "Pneumonia"] + [sepsis]
    (change,) = _ae_changes(old, new)
    assert change.significance == "major" and change.detail == "2 terms"
    assert change.describe() == (
        f"serious adverse events revised (2 terms): Sepsis added (arm '{AXI}' 6/170); "
        f"Pneumonia removed (was arm '{AXI}' 8/170, arm '{SOC}' —/168)")


def test_ae_changes_deaths_and_the_time_frame():
    old, new = _viale(), _viale()
    _module(new)["eventGroups"][0]["deathsNumAffected"] = 155
    _module(new)["timeFrame"] = "From first dose until 30 days after the last dose"
    deaths, time_frame = _ae_changes(old, new)
    assert (deaths.field, deaths.significance) == ("all_cause_mortality", "major")
    assert deaths.describe() == ("all-cause mortality revised: all-cause deaths, "
                                 f"arm '{VEN}', 150/286 → 155/286")
    assert deaths.marker() == "deaths revised"
    assert (time_frame.field, time_frame.significance) == ("adverse_event_time_frame", "minor")
    assert time_frame.new == "From first dose until 30 days after the last dose"
    assert time_frame.old.startswith("From first dose until 30 days after the last dose of")


def test_ae_changes_a_large_revision_is_one_short_entry_naming_how_many():
    """A sponsor re-posts 80 other-event terms with new counts: one line, not 80."""
    old, new = _viale(), _viale()
    for study, extra in ((old, 0), (new, 1)):
        _module(study)["otherEvents"] = [
            {"term": f"Event term {n:02d}", "organSystem": "General disorders",
             "stats": [{"groupId": "EG000", "numAffected": 20 + n + extra, "numAtRisk": 283},
                       {"groupId": "EG001", "numAffected": 10, "numAtRisk": 144}]}
            for n in range(80)]
    (change,) = _ae_changes(old, new)
    assert change.detail == "80 terms" and change.significance == "minor"
    assert change.describe() == ("other adverse events revised (80 terms): Event term 00, "
                                 "Event term 01, Event term 02 and 77 more")


def test_ae_changes_past_the_cap_the_class_toxicity_and_special_interest_are_named_first():
    old, new = _viale(), _viale()
    for event in _module(new)["seriousEvents"]:
        event["stats"][0]["numAtRisk"] = 284  # the venetoclax arm's safety population grew
    (change,) = _ae_changes(old, new)
    assert change.detail == "14 terms" and change.significance == "major"
    assert change.new == "Tumour lysis syndrome, Febrile neutropenia, Pneumonia and 11 more"


def test_ae_changes_a_record_without_its_results_section_tells_nothing_about_them():
    """A record the registry flags as having results but that does not carry them (they were
    not asked for) can tell neither a posting nor a withdrawal; one flagged without results
    says none are posted, so results arriving next are a first posting."""
    posted = _car_t()
    without = {k: v for k, v in copy.deepcopy(posted).items() if k != "resultsSection"}
    assert "adverse_events" not in facts_from_study(without).known
    assert _ae_changes(posted, without) == [] and _ae_changes(without, posted) == []
    not_yet = make_study("NCT04000010")  # hasResults false
    assert [c.field for c in _ae_changes(not_yet, posted)] == ["adverse_events_posted"]


def test_ae_changes_withdrawn_only_when_the_record_says_so():
    posted, withdrawn = _car_t(), _car_t()
    del withdrawn["resultsSection"]["adverseEventsModule"]
    (change,) = _ae_changes(posted, withdrawn)
    assert (change.field, change.new, change.significance) == (
        "adverse_events_posted", None, "major")
    assert change.describe() == ("adverse events withdrawn (were: 2 arms, 5 serious (+1 "
                                 "without a term) and 1 other term)")
    assert change.marker() == "adverse events withdrawn"


def test_ae_changes_case_spacing_and_organ_system_of_a_term_are_not_changes():
    old, new = _car_t(), _car_t()
    crs = _event(new, "seriousEvents", "Cytokine release syndrome")
    crs["term"], crs["organSystem"] = "Cytokine  Release Syndrome", "General disorders"
    assert _ae_changes(old, new) == []
    crs["stats"][0]["numAffected"] = 29
    (change,) = _ae_changes(old, new)
    assert change.new == f"Cytokine Release Syndrome, arm '{AXI}', 28/170 → 29/170"


def test_ae_changes_a_renamed_arm_with_the_same_counts_is_no_revision():
    """The sponsor renames 'Axicabtagene Ciloleucel' to 'Axi-cel', every count as it was:
    no safety revision is logged (the arm is matched by its group id, not its title)."""
    old, new = _car_t(), _car_t()
    for group in _module(new)["eventGroups"]:
        if group["title"] == AXI:
            group["title"] = "Axi-cel"
    assert _ae_changes(old, new) == []
    _event(new, "seriousEvents", "Cytokine release syndrome")["stats"][0]["numAffected"] = 30
    (change,) = _ae_changes(old, new)  # a revision after the rename is named as now posted
    assert change.new == "Cytokine release syndrome, arm 'Axi-cel', 28/170 → 30/170"


def test_a_revised_participant_flow_is_a_minor_dated_change_naming_arm_and_step():
    """The sponsor corrects how many started on axi-cel (180 -> 181) and the deaths on
    standard of care (95 -> 96): one entry for the period, each figure named by arm and
    step, minor (the outcome and safety figures carry the weight)."""
    old, new = _car_t(), _car_t()
    period = new["resultsSection"]["participantFlowModule"]["periods"][0]
    period["milestones"][0]["achievements"][0]["numSubjects"] = "181"
    period["dropWithdraws"][0]["reasons"][1]["numSubjects"] = "96"
    (flow,) = _entries(old, new, "Participant flow")
    assert flow.detail == "Participant flow (Overall Study)"
    assert flow.old == f"{AXI}, started: 180; {SOC}, Death: 95"
    assert flow.new == f"{AXI}, started: 181; {SOC}, Death: 96"
    assert flow.significance == "minor"
    assert flow.registry_date == "2026-11-02"
    renamed = _car_t()  # an arm renamed, every count as it was: no entry
    renamed["resultsSection"]["participantFlowModule"]["groups"][0]["title"] = "Axi-cel"
    assert not _entries(old, renamed, "Participant flow")


def test_a_revised_baseline_is_a_minor_dated_change_naming_arm_and_row():
    """The sponsor corrects VIALE-A's baseline (poor cytogenetic risk on placebo 56 -> 57):
    one entry per measure, each figure named by arm and row, minor."""
    old, new = _viale(), _viale()
    module = new["resultsSection"]["baselineCharacteristicsModule"]
    risk = next(m for m in module["measures"] if m["title"] == "Cytogenetic risk")
    poor = risk["classes"][0]["categories"][1]
    assert poor["title"] == "Poor"
    poor["measurements"][1]["value"] = "57"
    (baseline,) = _entries(old, new, "Baseline")
    assert baseline.detail == "Baseline: Cytogenetic risk"
    assert baseline.old == "Placebo + Azacitidine, Poor: 56"
    assert baseline.new == "Placebo + Azacitidine, Poor: 57"
    assert baseline.significance == "minor"
    renamed = _viale()  # an arm renamed, every figure as it was: no entry
    renamed["resultsSection"]["baselineCharacteristicsModule"]["groups"][1]["title"] = "Pbo"
    assert not _entries(old, renamed, "Baseline")


def _entries(old: dict, new: dict, detail_start: str) -> list[FieldChange]:
    """The change-log entries between two versions whose detail starts with `detail_start`."""
    changes = derive_changes(facts_from_study(old), facts_from_study(new), trial_id="NCT0",
                             registry_date="2026-11-02", seen_at=SEEN)
    return [c for c in changes if c.detail and c.detail.startswith(detail_start)]
