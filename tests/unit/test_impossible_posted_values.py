"""Posted values that cannot be true are never printed as fact: more affected than at risk is
shown as posted, said to be impossible, with no share; a negative or fractional count is
absent (adverse events, flow and denominators alike); a group id the registry gives to two arms
has its counts assigned to neither. The record goes through the loopback registry into a real
library file and is printed by `tracker show`."""

from __future__ import annotations

import pytest

from tests.fakes.clients import serve_to_cli
from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.ctgov.record_view import record_details
from tracker.domain.adverse_events import Proportion

STUDY = "NCT03548207"


def edge_study() -> dict:
    """Two arms, a third under the second's id, impossible and odd counts everywhere."""
    study = make_study(STUDY, acronym="CARTITUDE-1", status="COMPLETED", has_results=True,
                       interventions=("Ciltacabtagene autoleucel",),
                       conditions=("Multiple Myeloma",), sponsor="Janssen")
    groups = [{"id": "EG000", "title": "Arm A", "seriousNumAffected": 5, "seriousNumAtRisk": 0,
               "deathsNumAffected": 12, "deathsNumAtRisk": 10},
              {"id": "EG001", "title": "Arm B", "seriousNumAffected": "3",
               "seriousNumAtRisk": "40"},
              {"id": "EG001", "title": "Arm C", "seriousNumAffected": 7, "seriousNumAtRisk": 9}]

    def event(term: str, stats: list[dict]) -> dict:
        return {"term": term, "organSystem": "Immune system disorders", "stats": stats}

    study["resultsSection"] = {
        "adverseEventsModule": {"timeFrame": "1 year", "eventGroups": groups, "seriousEvents": [
            event("Cytokine release syndrome", [
                {"groupId": "EG000", "numAffected": 3, "numAtRisk": 0},
                {"groupId": "EG001", "numAffected": 50, "numAtRisk": 10}]),
            event("Pneumonia", [{"groupId": "EG000", "numAffected": 1, "numAtRisk": 10}]),
            event("Sepsis", [{"groupId": "EG000", "numAffected": -2, "numAtRisk": 10}])]},
        "participantFlowModule": {
            "groups": [{"id": "FG000", "title": "Arm A"}, {"id": "FG001", "title": "Arm B"}],
            "periods": [{"title": "Overall Study", "milestones": [
                {"type": "STARTED", "achievements": [{"groupId": "FG000", "numSubjects": "-3"},
                                                     {"groupId": "FG001", "numSubjects": "40"}]},
                {"type": "COMPLETED", "achievements": [
                    {"groupId": "FG000", "numSubjects": "1.5"},
                    {"groupId": "FG001", "numSubjects": "NA"}]}]}]},
        "outcomeMeasuresModule": {"outcomeMeasures": [{
            "type": "PRIMARY", "title": "Overall Response Rate", "paramType": "NUMBER",
            "unitOfMeasure": "percentage of participants",
            "groups": [{"id": "OG000", "title": "Arm A"}, {"id": "OG000", "title": "Arm A again"},
                       {"id": "OG001", "title": "Arm B"}],
            "denoms": [{"units": "Participants", "counts": [
                {"groupId": "OG000", "value": "10"}, {"groupId": "OG001", "value": "-4"}]}],
            "classes": [{"categories": [{"measurements": [
                {"groupId": "OG000", "value": "50"}, {"groupId": "OG000", "value": "60"},
                {"groupId": "OG001", "value": "70"}]}]}]}]}}
    return study


@pytest.mark.parametrize(("affected", "at_risk", "text", "share"), [
    (50, 10, "50/10 (as posted: affected exceeds at risk)", None),
    (5, 0, "5/0 (as posted: affected exceeds at risk)", None),
    (10, 10, "10/10 (100.0%)", 1.0), (0, 0, "0/0", None), (None, 10, "—/10", None),
])
def test_a_share_is_only_given_for_counts_that_can_be_true(affected, at_risk, text, share):
    proportion = Proportion(affected, at_risk)
    assert (proportion.text(), proportion.share) == (text, share)


def test_the_domain_reads_odd_counts_as_absent_and_shared_ids_as_unassigned():
    record = record_details(edge_study())
    events = record.adverse_events
    arm_a, arm_b, arm_c = events.serious_by_arm()
    assert [(e.term, p.text()) for e, p in arm_a.ranked] == [
        ("Pneumonia", "1/10 (10.0%)"),
        ("Cytokine release syndrome", "3/0 (as posted: affected exceeds at risk)"),
        ("Sepsis", "—/10")], "the impossible count is not ranked as the most frequent"
    assert arm_b.ranked == arm_c.ranked == ()
    assert events.shared_group_ids == {"EG001"}
    assert arm_b.unassigned == arm_c.unassigned == (
        "event counts not assigned: group id EG001 is posted for 2 arms (Arm B; Arm C)")
    assert (arm_b.group.serious.text(), arm_c.group.serious.text()) == (
        "3/40 (7.5%)", "7/9 (77.8%)"), "each arm's own totals stay"
    flow = record.participant_flow
    assert flow.arm_line(flow.periods[0], flow.groups[0]) == "started —, completed —"
    assert flow.arm_line(flow.periods[0], flow.groups[1]) == "started 40, completed NA"
    (measure,) = record.results.measures
    assert measure.denominators == {"OG000": "10"}, "a negative denominator is absent"
    row = measure.rows[0]
    assert [measure.value_text(row, g.id) for g in measure.groups] == [
        "not assigned: group id OG000 is posted for 2 arms",
        "not assigned: group id OG000 is posted for 2 arms", "70"]
    assert measure.analysed("OG000") is None


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    return serve_to_cli(ctgov_server, _isolated_data_dir, [edge_study()])


def test_show_prints_impossible_values_as_posted_and_says_so(capsys, api):
    assert run(capsys, "--api-url", api, "sync", STUDY)[0] == 0
    code, out, _ = run(capsys, "show", STUDY)
    assert code == 0
    lines = out.splitlines()
    assert "    Arm A: any serious event 5/0 (as posted: affected exceeds at risk)" in lines
    assert ("      event counts not assigned: group id EG001 is posted for 2 arms (Arm B; Arm C)"
            in lines)
    assert "    Arm A: started —, completed —" in lines
    assert ("      Arm A: not assigned: group id OG000 is posted for 2 arms; Arm A again: not "
            "assigned: group id OG000 is posted for 2 arms; Arm B: 70") in lines
    assert "500.0%" not in out and "-3" not in out and "(n = -4)" not in out


def test_handouts_give_arms_sharing_a_group_id_no_event_counts(empty_library, tmp_path):
    """The same record in a handout: the HTML table and the xlsx sheet give Arm B and Arm C
    no event counts (not both the same 50/10), and say why."""
    import io

    from openpyxl import load_workbook

    from tests.fakes.clients import fast_client
    from tests.fakes.server import FakeCtgov
    from tracker.services.exports import export_watchlist
    from tracker.services.registry import RegistryService

    with FakeCtgov([edge_study()]) as server, fast_client(server) as client:
        assert RegistryService(empty_library, client).add([STUDY]).added == [STUDY]
    empty_library.watchlists.create("JC")
    empty_library.watchlists.add("JC", [STUDY])
    html = export_watchlist(empty_library, "JC", "html", tmp_path / "jc.html").read_text()
    assert "50/10" not in html
    assert ("Event counts not shown for Arm B; Arm C: the record files them under one group "
            "id shared by these arms.") in html
    book = load_workbook(io.BytesIO(export_watchlist(
        empty_library, "JC", "xlsx", tmp_path / "jc.xlsx").read_bytes()))
    rows = list(book["Adverse events"].iter_rows(min_row=2, values_only=True))
    assert not [r for r in rows if r[2] in ("Arm B", "Arm C") and r[3] == "serious"]
    assert [r[3] for r in rows if r[2] == "Arm B"][-1] == "not assigned"
