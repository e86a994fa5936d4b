"""Posted ClinicalTrials.gov results in words a clinician can quote: which arms an analysis
compares, the right denominator, what a record without a curated figure does have. The study
goes from the loopback registry into a real library file; `tracker show` and the domain
objects are read back from it."""

from __future__ import annotations

import json

import pytest

from tests.fakes.clients import serve_to_cli
from tests.fakes.three_arm import KARMMA, three_arm_study
from tests.unit.test_cli import run
from tracker.domain.record import ResultAnalysis, ResultGroup


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    return serve_to_cli(ctgov_server, _isolated_data_dir, [three_arm_study()])


def _show(capsys, api, nct_id: str = KARMMA, *more: str) -> str:
    assert run(capsys, "--api-url", api, "sync", nct_id)[0] == 0
    code, out, err = run(capsys, "show", nct_id, *more)
    assert code == 0, err
    return out


# -- 1. analyses name the arms they compare ---------------------------------------------------

def test_show_names_the_arms_each_analysis_compares(capsys, api):
    lines = [line.strip() for line in _show(capsys, api).splitlines()]
    analyses = [line for line in lines if line.startswith("analysis:")]
    assert analyses == [
        # the registry's own words give the direction: the arms are not put in an order
        "analysis: Ide-cel 300 and 450 x10^6, “450 vs 300”: OR 2.0 (95% CI 0.9–4.6), "
        "p = 0.09; Fisher Exact",
        "analysis: Ide-cel 150 vs 450 x10^6: OR 4.4 (95% CI 0.5–36), p = 0.20; Fisher Exact"]


def test_show_json_keeps_the_group_description_and_test_type(capsys, api, ctgov_server):
    study = three_arm_study()
    analysis = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0][
        "analyses"][0]
    analysis.update(nonInferiorityType="NON_INFERIORITY", statisticalComment="one-sided")
    ctgov_server.put_studies([study])
    out = _show(capsys, api, KARMMA, "--json")
    (first, _) = json.loads(out)[0]["registry_record"]["results"]["measures"][0]["analyses"]
    assert first["group_ids"] == ["OG001", "OG002"]
    assert (first["group_description"], first["non_inferiority_type"], first["description"]) \
        == ("450 vs 300", "NON_INFERIORITY", "one-sided")


ARMS = (ResultGroup("OG000", "Axicabtagene Ciloleucel"), ResultGroup("OG001", "Standard of Care"),
        ResultGroup("OG002", "Part A: Ide-cel 150 x 10^6 CAR+ T cells"),
        ResultGroup("OG003", "Part A: Ide-cel 450 x 10^6 CAR+ T cells"),
        ResultGroup("OG004", "Venetoclax + Azacitidine"),
        ResultGroup("OG005", "Placebo + Azacitidine"),
        ResultGroup("OG006", "Arm I - Genistein"), ResultGroup("OG007", "Arm II - Placebo"),
        ResultGroup("OG010", "Dose level 1 (100 mg)"),
        ResultGroup("OG011", "Dose level 2 (200 mg)"),
        ResultGroup("OG012", "Cohort A: venetoclax 400 mg"),
        ResultGroup("OG013", "Cohort B: venetoclax 400 mg"))


@pytest.mark.parametrize(("ids", "words"), [
    (("OG000", "OG001"), "Axicabtagene Ciloleucel vs Standard of Care"),
    (("OG002", "OG003"), "Part A: Ide-cel 150 vs 450 x 10^6 CAR+ T cells"),
    (("OG003",), "Part A: Ide-cel 450 x 10^6 CAR+ T cells"),
    (("OG000", "OG009"), "Axicabtagene Ciloleucel vs group OG009 (not among this measure's "
                         "arms)"),
    (("OG004", "OG005"), "Venetoclax + Azacitidine vs Placebo + Azacitidine"),
    (("OG006", "OG007"), "Arm I - Genistein vs Arm II - Placebo"),
    (("OG010", "OG011"), "Dose level 1 (100 mg) vs Dose level 2 (200 mg)"),  # not "1 (100 vs"
    (("OG012", "OG013"), "Cohort A: venetoclax 400 mg vs Cohort B: venetoclax 400 mg"),
    ((), ""),
])
def test_compared_arms_are_written_once_around_what_differs(ids, words):
    from tracker.domain.compared_arms import compared_arms

    assert compared_arms(ids, ARMS) == words


def test_an_analysis_names_a_non_inferiority_test_and_negative_limits_in_words():
    analysis = ResultAnalysis(("OG000", "OG001"), p_value="<0.001", param_type="Mean Difference",
                              param_value="-2.1", ci_percent="95", ci_lower="-3.0",
                              ci_upper="-1.2", non_inferiority_type="NON_INFERIORITY")
    assert analysis.compared_text(ARMS) == (
        "Axicabtagene Ciloleucel vs Standard of Care: Mean Difference -2.1 (95% CI -3.0 to "
        "-1.2), p <0.001; non-inferiority test")
    assert ResultAnalysis(()).compared_text(ARMS) == \
        "arms not named: analysis posted without figures"


# -- 2. the denominator in the measure's unit of analysis ---------------------------------------

def test_a_measure_counted_in_samples_takes_the_samples_denominator(capsys, api):
    out = _show(capsys, api, KARMMA, "--json")
    measures = json.loads(out)[0]["registry_record"]["results"]["measures"]
    mrd = next(m for m in measures if m["title"] == "MRD negativity by sample")
    assert (mrd["denominator_units"], mrd["denominators"]) == (
        "bone marrow samples", {"OG000": "3", "OG001": "40", "OG002": "33"})
    assert [d["units"] for d in mrd["posted_denominators"]] == ["Participants",
                                                                "bone marrow samples"]
    orr = measures[0]
    assert (orr["denominator_units"], orr["denominators"]["OG001"]) == ("Participants", "70")


@pytest.mark.parametrize(("selected", "units", "expected"), [
    ("bone marrow samples", "samples", ("bone marrow samples", "40")),  # named by the registry
    (None, "Samples", ("bone marrow samples", "40")),
    (None, "lesions", (None, None)),  # counted in units none of the denominators is in
])
def test_the_denominator_follows_the_unit_of_analysis(selected, units, expected):
    from tests.fakes.three_arm import mrd_by_sample
    from tracker.ctgov.results import result_measure

    raw = mrd_by_sample() | {"unitOfMeasure": units}
    if selected:
        raw["denomUnitsSelected"] = selected
    measure = result_measure(raw)
    assert (measure.denominator_units, measure.denominators.get("OG001")) == expected
    assert measure.analysed("OG001") == (f"n = 40 {expected[0]}" if expected[1] else None)


def test_show_prints_the_unit_of_a_denominator_that_is_not_participants(capsys, api,
                                                                        ctgov_server):
    from tests.fakes.three_arm import mrd_by_sample

    study = three_arm_study()
    primary = mrd_by_sample() | {"type": "PRIMARY"}
    study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"] = [primary]
    ctgov_server.put_studies([study])
    out = _show(capsys, api)
    assert ("MRD negative: Ide-cel 150 x10^6 (n = 3 bone marrow samples): 1; Ide-cel 300 x10^6 "
            "(n = 40 bone marrow samples): 12;") in out
    assert "(n = 70)" not in out


# -- 3. no review figure, but registry results posted -------------------------------------------

def test_show_headline_points_to_posted_registry_results(capsys, api, ctgov_server):
    from tests.fakes.three_arm import CARTIFAN

    ctgov_server.put_studies([three_arm_study(CARTIFAN)])
    lines = _show(capsys, api, CARTIFAN).splitlines()
    assert ("  Headline: No efficacy figure from the reviews · registry results posted "
            "(3 measures)") in lines
    assert not any("No efficacy figure in the reviews" in line for line in lines)


def test_show_headline_without_posted_results_still_says_none_reported(capsys, api,
                                                                        ctgov_server):
    from tests.fakes.studies import make_study
    from tests.fakes.three_arm import CARTIFAN

    ctgov_server.put_studies([make_study(CARTIFAN, status="RECRUITING")])
    assert "  Headline: No efficacy figure in the reviews" in _show(capsys, api, CARTIFAN).splitlines()


@pytest.mark.parametrize(("measures", "posted", "words"), [
    (4, True, "No efficacy figure from the reviews · registry results posted (4 measures)"),
    (1, True, "No efficacy figure from the reviews · registry results posted (1 measure)"),
    (0, True, "No efficacy figure from the reviews · registry results posted (no outcome "
              "measures)"),
    (None, True, "No efficacy figure from the reviews · registry results posted"),  # cards
    (None, False, "No efficacy figure in the reviews"), (None, None, "No efficacy figure in the reviews"),
])
def test_the_no_figure_words(measures, posted, words):
    from tracker.domain.registry_headline import headline_or_registry, no_figure_text

    assert no_figure_text(measures, posted) == words
    assert headline_or_registry("No efficacy figure in the reviews", measures, posted) == words
    assert headline_or_registry("ORR 73%", measures, posted) == "ORR 73%"


# -- 4. a paper published before the study started is not its result ----------------------------

def test_show_does_not_call_a_paper_older_than_the_study_its_result(capsys, api, ctgov_server):
    # the study (started 2023-01) files a 2011 paper as RESULT; a 2024 paper is a real result
    study = three_arm_study()
    study["protocolSection"]["referencesModule"]["references"].append(
        {"pmid": "38000001", "type": "RESULT", "citation": "Munshi NC et al. Ide-cel in RRMM: "
                                                         "final analysis. Blood. 2024."})
    ctgov_server.put_studies([study])
    lines = _show(capsys, api).splitlines()
    old = next(line for line in lines if "Tichelli" in line)
    assert old.startswith("  Filed as result, published before the study started in 2023: "
                          "Tichelli A"), old
    assert any(line.startswith("  Result: Munshi NC") for line in lines), lines


def test_reference_labels_follow_the_headers_rule():
    from tracker.domain.record import Reference

    old = Reference("1", "RESULT", "Someone. Blood. 2011.")
    assert old.label(2023) == "Filed as result, published before the study started in 2023"
    assert not old.reports_results(2023)
    assert old.label(None) == "Result" and old.reports_results(None), "no start: kept"
    assert old.label(2011) == "Result"
    assert Reference("2", "BACKGROUND", "x 2001").label(2023) == "Background"
    assert Reference("3", None, "x").label(2023) == "Reference"


# -- 5. measures posted without values, results without measures ---------------------------------

def _cartitude_with(results_of: str):
    """CARTITUDE-1 carrying the real results section of `results_of` (the loopback record)."""
    import copy

    from tests.fakes.studies import make_study, nct_id_of, real_studies

    study = make_study("NCT03548207", acronym="CARTITUDE-1", status="COMPLETED",
                       has_results=True, interventions=("Ciltacabtagene autoleucel",),
                       conditions=("Multiple Myeloma",), sponsor="Janssen")
    real = next(s for s in real_studies() if nct_id_of(s) == results_of)
    study["resultsSection"] = copy.deepcopy(real["resultsSection"])
    return study


def test_show_says_a_primary_measure_was_posted_without_values_and_why(capsys, api,
                                                                        ctgov_server):
    ctgov_server.put_studies([_cartitude_with("NCT01126879")])  # 4 measures, no values
    lines = _show(capsys, api, "NCT03548207").splitlines()
    start = next(n for n, line in enumerate(lines)
                 if line.startswith("    primary: Number of Circulating Prostate Cells"))
    block = lines[start + 1:start + 6]
    assert "      no values posted: Arm I - Genistein n = 0; Arm II - Placebo n = 0" in block
    said = " ".join(line.strip() for line in block)
    assert ("analysed: Data was not collected for analysis of this endpoint due to the study "
            "closing before the accrual goal was met.") in said


def test_show_results_with_adverse_events_only_say_so(capsys, api, ctgov_server):
    from tests.fakes.demo_safety import car_t_results

    study = three_arm_study()
    study["resultsSection"] = {"adverseEventsModule": car_t_results()["adverseEventsModule"]}
    ctgov_server.put_studies([study])
    lines = _show(capsys, api).splitlines()
    assert ("  Registry results: no outcome measures posted; adverse events posted (as of the "
            "registry update of 2025-01-15).") in lines
    assert not any("0 measures" in line for line in lines)
    assert any(line.startswith("  Serious adverse events (posted") for line in lines)
