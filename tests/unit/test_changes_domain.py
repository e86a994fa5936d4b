"""The change rules in tracker.domain.changes, on facts from real registry records (no database)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.fakes.studies import real_studies
from tracker.ctgov.record_details import facts_from_study
from tracker.domain.changes import (
    CHANGE_FIELDS,
    Significance,
    derive_changes,
    most_significant,
)

SEEN = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _study(nct_id: str = "NCT05531279") -> dict:
    return copy.deepcopy(next(s for s in real_studies()
                              if s["protocolSection"]["identificationModule"]["nctId"] == nct_id))


def _diff(old: dict, new: dict):
    return derive_changes(facts_from_study(old), facts_from_study(new), trial_id="NCT05531279",
                          registry_date="2026-02-27", seen_at=SEEN)


def _status(study: dict) -> dict:
    return study["protocolSection"]["statusModule"]


def test_changes_identical_records_give_no_changes():
    assert _diff(_study(), _study()) == []


def test_changes_first_version_records_only_the_initial_status():
    changes = derive_changes(None, facts_from_study(_study()), trial_id="NCT05531279",
                             registry_date=None, seen_at=SEEN)
    assert [(c.field, c.old, c.new, c.significance) for c in changes] == [
        ("overall_status", None, "RECRUITING", Significance.INITIAL)]
    assert most_significant(changes) is None


@pytest.mark.parametrize(("new_date", "detail", "significance"), [
    ("2029-10", "+14 months", Significance.MAJOR),
    ("2028-11", "+3 months", Significance.MAJOR),
    ("2028-10", "+2 months", Significance.MINOR),
    ("2028-06", "-2 months", Significance.MAJOR),  # moved earlier: worth a look
])
def test_changes_primary_completion_slip_in_months(new_date, detail, significance):
    old, new = _study(), _study()
    before = _status(old)["primaryCompletionDateStruct"] = {"date": "2028-08", "type": "ESTIMATED"}
    _status(new)["primaryCompletionDateStruct"] = {**before, "date": new_date}
    (change,) = _diff(old, new)
    assert (change.field, change.old, change.new, change.detail, change.significance) == (
        "primary_completion_date", "2028-08 (estimated)", f"{new_date} (estimated)", detail,
        significance)
    assert change.marker() == f"primary completion {detail}"


def test_changes_date_type_alone_is_a_minor_change():
    old, new = _study(), _study()
    _status(old)["startDateStruct"] = {"date": "2023-01", "type": "ESTIMATED"}
    _status(new)["startDateStruct"] = {"date": "2023-01", "type": "ACTUAL"}
    (change,) = _diff(old, new)
    assert (change.field, change.old, change.new, change.detail) == (
        "start_date", "2023-01 (estimated)", "2023-01 (actual)", None)
    assert change.significance == Significance.MINOR


@pytest.mark.parametrize(("count", "significance"), [(120, "major"), (330, "minor"),
                                                    (480, "major")])
def test_changes_enrollment_major_from_twenty_percent(count, significance):
    old, new = _study(), _study()
    old["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 400, "type": "ESTIMATED"}
    new["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": count, "type": "ACTUAL"}
    (change,) = _diff(old, new)
    assert (change.old, change.new) == ("400 (estimated)", f"{count} (actual)")
    assert change.significance == significance


def test_changes_status_and_why_stopped():
    old, new = _study(), _study()
    _status(new)["overallStatus"] = "TERMINATED"
    _status(new)["whyStopped"] = "Sponsor decision"
    status, why = _diff(old, new)
    assert (status.field, status.old, status.new, status.significance) == (
        "overall_status", "RECRUITING", "TERMINATED", "major")
    # the sponsor's reason for a stop is read with the status (a reviewer found it filed
    # under "Minor:" beside a major "→ Terminated")
    assert (why.field, why.new, why.significance) == ("why_stopped", "Sponsor decision", "major")
    assert status.marker() == "now terminated"


def test_changes_primary_endpoint_changed_is_major_secondary_minor():
    old, new = _study("NCT05013879"), _study("NCT05013879")
    outcomes = new["protocolSection"]["outcomesModule"]
    outcomes["primaryOutcomes"][0]["measure"] = "Overall survival"
    outcomes["secondaryOutcomes"][0]["timeFrame"] = "Up to 5 years"
    changes = _diff(old, new)
    primary = [c for c in changes if c.field == "primary_outcome"]
    secondary = [c for c in changes if c.field == "secondary_outcome"]
    assert len(primary) == 1 and primary[0].significance == Significance.MAJOR
    assert primary[0].new.startswith("Overall survival [")
    assert primary[0].old != primary[0].new and primary[0].old is not None
    assert len(secondary) == 1 and secondary[0].detail == "time frame changed"
    assert secondary[0].significance == Significance.MINOR
    assert changes[0] is primary[0], "major changes come first"


def test_changes_site_added_and_recruiting_count_per_country():
    old, new = _study(), _study()
    locations = new["protocolSection"]["contactsLocationsModule"]["locations"]
    locations.append({"facility": "Charité", "city": "Berlin", "country": "Germany",
                      "status": "RECRUITING", "geoPoint": {"lat": 52.52, "lon": 13.40}})
    changes = _diff(old, new)
    site = next(c for c in changes if c.field == "site")
    assert (site.old, site.new, site.detail) == (None, "Charité, Berlin, Germany", "recruiting")
    counts = next(c for c in changes if c.field == "recruiting_sites")
    assert "Germany 1" in counts.new and "Germany" not in (counts.old or "")
    assert site.marker() == "site added: Charité, Berlin, Germany"
    # the status is the site's own record's: a trial not recruiting does not honour it
    assert site.detail_text == "site marked recruiting"
    assert counts.label == "sites marked recruiting"
    from tracker.services.handout_changes import _handout_change

    assert _handout_change(site).describe().endswith(
        "site added: Charité, Berlin, Germany (site marked recruiting) "
        "(registry update 2026-02-27)")


def test_changes_results_posted_from_a_real_record_with_results():
    with_results = _study("NCT01126879")
    before = copy.deepcopy(with_results)
    before.pop("resultsSection")
    before["hasResults"] = False
    _status(before).pop("resultsFirstPostDateStruct", None)
    changes = _diff(before, with_results)
    posted = [c for c in changes if c.field == "results_first_posted"]
    assert len(posted) == 1 and posted[0].significance == Significance.MAJOR
    assert posted[0].new == _status(with_results)["resultsFirstPostDateStruct"]["date"]
    assert posted[0].marker().startswith("results posted")
    assert most_significant(changes).field in {"overall_status", "results_first_posted"}


def test_changes_reference_added_and_arms():
    old, new = _study(), _study()
    new["protocolSection"].setdefault("referencesModule", {}).setdefault("references", []).append(
        {"pmid": "12345678", "type": "RESULT", "citation": "Doe J. A result. Blood. 2026."})
    new["protocolSection"]["armsInterventionsModule"]["armGroups"].append(
        {"label": "Cohort B", "type": "EXPERIMENTAL"})
    changes = _diff(old, new)
    ref = next(c for c in changes if c.field == "result_reference")
    assert ref.new.startswith("PMID 12345678 (result)") and ref.detail == "result"
    assert ref.marker().startswith("result publication: PMID 12345678")
    assert most_significant([c for c in changes if c.field != "arm"]) == ref
    arm = next(c for c in changes if c.field == "arm")
    assert (arm.old, arm.new) == (None, "Cohort B")


def test_changes_hostile_values_are_treated_as_absent():
    broken = _study()
    broken["protocolSection"]["contactsLocationsModule"] = {"locations": "not a list"}
    broken["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": "lots"}
    facts = facts_from_study(broken)
    assert facts.sites == () and facts.enrollment is None
    assert facts_from_study({"protocolSection": 7}).overall_status is None


def test_changes_table_orders_headlines_and_names_every_rule():
    assert list(CHANGE_FIELDS)[:4] == ["overall_status", "registry_listing",
                                       "results_first_posted", "primary_outcome"]
    assert {spec.significance for spec in CHANGE_FIELDS.values()} <= {Significance.MAJOR,
                                                                      Significance.MINOR}


def test_changes_a_paper_from_before_the_study_started_is_never_its_result_publication():
    """Sponsors file background papers as RESULT: a paper published before the study started
    is logged as a reference, not as the study's result publication (a card headline)."""
    old, new = _study(), _study()  # started 2022-06
    references = new["protocolSection"]["referencesModule"]["references"]
    references.append({"pmid": "11111111", "type": "RESULT",
                       "citation": "Old A. A 2009 background paper. Blood. 2010;115:1-9."})
    references.append({"pmid": "22222222", "type": "RESULT",
                       "citation": "New B. The study's results. Blood. 2025;145:10-19."})
    kinds = {c.new.split(" ")[1]: c.field for c in _diff(old, new)}
    assert kinds == {"11111111": "reference", "22222222": "result_reference"}


def test_changes_predates_needs_every_year_of_a_citation_before_the_start():
    from tracker.domain.record_facts import predates

    assert predates("Blood. 2011 Apr 28;117(17):4434-41. doi: 10.1182/blood-2010-08", 2022)
    assert not predates("Results of the 2019 cohort. N Engl J Med. 2023;388:1-10.", 2021)
    assert not predates("A citation without any year", 2022)
    assert not predates("Blood. 2011;117:1.", None)


def test_changes_posted_measures_sharing_a_title_are_told_apart_by_their_order():
    """'TEAEs' posted once for Part A and once for Part B: a revision of the first is logged
    as such, not lost because the second overwrote it."""
    from tracker.domain.record_facts import PostedResultFact, RecordFacts

    def facts(*figures: str) -> RecordFacts:
        return RecordFacts(known=frozenset({"posted_results"}), posted_results=tuple(
            PostedResultFact("PRIMARY", "Number of Participants With TEAEs",
                             tuple(zip(("OG000", "OG001"), ("Dose A", "Dose B"), f.split("; "),
                                       strict=True)),
                             "Cycle 1")
            for f in figures))

    (change,) = derive_changes(facts("12; 14", "3; 4"), facts("15; 14", "3; 4"),
                               trial_id="NCT05531279", registry_date=None, seen_at=SEEN)
    assert (change.old, change.new, change.significance) == ("Dose A: 12", "Dose A: 15",
                                                             "major")
    assert change.detail == "Number of Participants With TEAEs [Cycle 1]"
    (second,) = derive_changes(facts("12; 14", "3; 4"), facts("12; 14", "3; 5"),
                               trial_id="NCT05531279", registry_date=None, seen_at=SEEN)
    assert second.detail == "Number of Participants With TEAEs [Cycle 1] (2nd posted)"


def test_the_legend_of_major_changes_names_every_major_field_and_rule():
    from tracker.domain.change_table import (
        CHANGE_FIELDS,
        MAJOR_ENROLLMENT_CHANGE,
        MAJOR_MEANS,
        MAJOR_SLIP_MONTHS,
        Significance,
    )

    for spec in CHANGE_FIELDS.values():
        if Significance.MAJOR in (spec.significance, spec.class_toxicity):
            assert spec.label in MAJOR_MEANS, spec.key
    assert f"moved earlier or {MAJOR_SLIP_MONTHS}+ months later" in MAJOR_MEANS
    assert f"enrollment ±{MAJOR_ENROLLMENT_CHANGE:.0%}" in MAJOR_MEANS
    assert "a primary measure's posted figures revised" in MAJOR_MEANS
