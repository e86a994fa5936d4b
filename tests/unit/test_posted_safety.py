"""Posted adverse events, participant flow and baseline: from the loopback registry into a real
library file, read back as value objects, printed by `tracker show` and `show --json`."""

from __future__ import annotations

import json

import pytest

from tests.fakes.clients import fast_client, serve_to_cli
from tests.fakes.demo_records import with_demo_results
from tests.fakes.demo_safety import AXI, SOC, VEN, car_t_results
from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.ctgov.record_view import record_details
from tracker.domain.adverse_events import Proportion
from tracker.services.record import load_record
from tracker.services.registry import RegistryService

CAR_T, VIALE_A = "NCT05000001", "NCT02993523"


def car_t_study() -> dict:
    study = make_study(CAR_T, acronym="CAR-T vs SOC", status="COMPLETED", has_results=True,
                       interventions=(AXI, "Platinum-based salvage chemotherapy"),
                       conditions=("Large B-cell Lymphoma",), sponsor="Kite")
    study["resultsSection"] = car_t_results()
    return study


@pytest.fixture
def car_t_record(empty_library):
    with FakeCtgov([car_t_study()]) as server, fast_client(server) as client:
        assert RegistryService(empty_library, client).add([CAR_T]).added == [CAR_T]
    return load_record(empty_library, CAR_T)


def test_serious_events_per_arm_most_affected_first_with_the_posted_counts(car_t_record):
    events = car_t_record.adverse_events
    assert events.time_frame == "Up to 5 years" and events.frequency_threshold == "5"
    car_t, soc = events.serious_by_arm()
    assert (car_t.group.title, soc.group.title) == (AXI, SOC)
    assert car_t.group.serious.text() == "85/170 (50.0%)"
    assert [(e.term, p.text()) for e, p in car_t.ranked[:2]] == [
        ("Cytokine release syndrome", "28/170 (16.5%)"), ("Encephalopathy", "17/170 (10.0%)")]
    crs = car_t.ranked[0][0]
    assert crs.organ_system == "Immune system disorders" and crs.of_special_interest
    assert crs.vocabulary == "MedDRA 23.0" and crs.count_for("EG000").events == 28


def test_an_arm_total_left_out_above_listed_events_is_a_total_not_posted(car_t_record):
    """ZUMA-1 posts no total of participants with other events but lists Neutropenia for
    each arm; deaths are posted as totals only, so none posted is simply "not posted"."""
    events = car_t_record.adverse_events
    car_t = events.groups[0]
    assert [events.arm_total(car_t, kind) for kind in ("serious", "other", "deaths")] == [
        "85/170 (50.0%)", "total not posted", "not posted"]
    assert events.arm_total(car_t, "other") != car_t.other.text()


def test_odd_counts_are_absent_never_guessed(car_t_record):
    soc = car_t_record.adverse_events.serious_by_arm()[1]
    # a count sent as text is read; one left out, or negative, is absent: shown last as "—"
    assert [(e.term, p.text()) for e, p in soc.ranked] == [
        ("Febrile neutropenia", "18/168 (10.7%)"), ("Encephalopathy", "1/168 (0.6%)"),
        ("Pneumonia", "—/168")]
    untitled = car_t_record.adverse_events.serious[-1]
    assert untitled.term == "(term not posted)" and untitled.count_for("EG000").affected is None
    car_t = car_t_record.adverse_events.serious_by_arm()[0]
    assert car_t.ranked[-1] == (untitled, Proportion(None, None))
    assert car_t_record.adverse_events.groups[0].deaths.text() == "not posted"
    assert car_t_record.baseline is None


def test_participant_flow_keeps_the_sponsors_milestones_and_strings(car_t_record):
    flow = car_t_record.participant_flow
    period = flow.periods[0]
    assert [m.label for m in period.milestones] == ["started", "Received CAR-T infusion",
                                                    "completed"]
    assert flow.arm_line(period, flow.groups[0]) == (
        "started 180, Received CAR-T infusion 170, completed 0 (Death 82)")
    assert flow.arm_line(period, flow.groups[1]).startswith("started 179, Received CAR-T "
                                                            "infusion NA,")


def test_baseline_overall_number_age_and_sex_as_posted():
    record = record_details(with_demo_results(make_study(VIALE_A)))
    baseline = record.baseline
    assert baseline.denominators == {"BG000": "286", "BG001": "145", "BG002": "431"}
    assert [m.title for m in baseline.essentials] == ["Age, Continuous", "Sex: Female, Male"]
    age = baseline.essentials[0]
    assert age.rows[0].value_for("BG000").text("Full range") == "76 (Full range 49 to 91)"
    sex = baseline.essentials[1]
    assert [row.label for row in sex.rows] == ["Female", "Male"]
    assert sex.denominators["BG002"] == "431", "the overall number when the measure has none"
    assert [g.title for g in baseline.groups] == [VEN, "Placebo + Azacitidine", "Total"]


@pytest.mark.parametrize("module", [[], "n/a", {"eventGroups": "x", "seriousEvents": [1, None],
                                                "periods": {"a": 1}, "measures": [[]]}])
def test_malformed_modules_never_crash(module):
    study = make_study(VIALE_A)
    study["resultsSection"] = {"adverseEventsModule": module, "participantFlowModule": module,
                               "baselineCharacteristicsModule": module}
    record = record_details(study)
    for value in (record.adverse_events, record.participant_flow, record.baseline):
        assert value is None or not any(getattr(value, key, ()) for key in
                                        ("groups", "serious", "periods", "measures"))


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    return serve_to_cli(ctgov_server, _isolated_data_dir, [car_t_study()])


def test_show_prints_the_top_serious_events_per_arm_and_the_flow(capsys, api):
    assert run(capsys, "--api-url", api, "add", CAR_T)[0] == 0
    code, out, _ = run(capsys, "show", CAR_T)
    assert code == 0
    lines = out.splitlines()
    start = lines.index("  Serious adverse events (posted, most frequent per arm; time frame: "
                        "Up to 5 years; as of the registry update of 2025-01-15):")
    assert lines[start + 1] == f"    {AXI}: any serious event 85/170 (50.0%)"
    assert lines[start + 2].startswith("      Cytokine release syndrome 28/170 (16.5%) · "
                                       "Encephalopathy 17/170 (10.0%)")
    assert f"    {SOC}: started 179, Received CAR-T infusion NA, completed 0 (Death 95)" in lines


def test_show_json_registry_record_carries_every_term_and_milestone(capsys, api):
    assert run(capsys, "--api-url", api, "add", CAR_T)[0] == 0
    code, out, _ = run(capsys, "show", CAR_T, "--json")
    assert code == 0
    record = json.loads(out)[0]["registry_record"]
    events = record["adverse_events"]
    assert events["groups"][0]["serious"] == {"affected": 85, "at_risk": 170}
    assert len(events["serious"]) == 6 and events["serious"][0]["counts"][0] == {
        "group_id": "EG000", "affected": 28, "at_risk": 170, "events": 28}
    assert events["serious"][4]["counts"][1]["affected"] is None, "left out stays null"
    milestone = record["participant_flow"]["periods"][0]["milestones"][1]
    assert milestone["kind"] == "Received CAR-T infusion"
    assert milestone["counts"][1] == {"group_id": "FG001", "subjects": "NA", "comment": None}
    assert record["baseline"] is None


def test_show_names_a_class_toxicity_past_the_five_most_frequent(empty_library):
    """VIALE-A's tumour lysis syndrome (3 of 283, 14th by frequency) is still named."""
    from tracker.cli.render import detail_text
    from tracker.services.details import load_details

    with FakeCtgov([with_demo_results(make_study(VIALE_A))]) as server, \
            fast_client(server) as client:
        assert RegistryService(empty_library, client).add([VIALE_A]).added == [VIALE_A]
    text = " ".join(detail_text(load_details(empty_library, VIALE_A)).split())
    assert ("Atrial fibrillation 13/283 (4.6%) · Tumour lysis syndrome 3/283 (1.1%) · … and 8 "
            "more terms") in text
    assert "Thrombocytopenia 11/283" not in text, "sixth by frequency: not in the summary"
