"""An inbox study a saved search finds again: why it is there (`reason_found_again`)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tracker.domain import RegistryStatus
from tracker.domain.inbox import reason_found_again
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.services.discovery import DiscoveryService

DAY1 = dt.date(2026, 11, 20)
LATER = dt.date(2026, 12, 4)


def aml_study(nct_id: str, **changes) -> dict:
    return posted_study(make_study(nct_id, **({"last_update": "2026-11-02"} | changes)),
                        "2026-10-01")


@pytest.fixture
def service(seeded_library, ctgov_server):
    """Two searches: "Ven AML" (open studies) and "Recruiting" (recruiting ones only)."""
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client)
        for search in service.searches.all():
            service.searches.remove(search.name)
        service.searches.add(SavedSearch(name="Ven AML", criteria=SearchCriteria(
            intervention="venetoclax", condition="acute myeloid leukemia")))
        service.searches.add(SavedSearch(name="Recruiting", criteria=SearchCriteria(
            intervention="venetoclax", statuses=(RegistryStatus.RECRUITING,))))
        yield service


def reasons(service: DiscoveryService) -> dict[str, str]:
    return {item.nct_id: item.found_because() for item in service.items()}


def test_a_study_found_again_with_a_newer_record_still_matches_not_now_matches(
        service, ctgov_server):
    """The demo's NCT07000002: its primary completion moved, and the search that had found
    it finds it again. It matched all along: "now matches" would call it new."""
    ctgov_server.put_studies([aml_study("NCT07000002")])
    service.check(today=DAY1)
    ctgov_server.put_studies([aml_study("NCT07000002", last_update="2026-12-03",
                                        primary_completion=("2029-03", "ESTIMATED"))])
    service.check(today=LATER)
    assert reasons(service) == {"NCT07000002": "still matches: updated 2026-12-03"}


def test_a_study_found_again_unchanged_keeps_its_reason(service, ctgov_server):
    """The window overlaps the last check by a day, so a study updated on that day is found
    again with the record the inbox has: nothing about it is new."""
    ctgov_server.put_studies([aml_study("NCT07000003", last_update=DAY1.isoformat())])
    service.check(today=DAY1)
    service.check(today=DAY1 + dt.timedelta(days=1))
    assert reasons(service) == {"NCT07000003": "found by the first check"}


def test_an_older_study_an_update_brings_into_the_inbox_now_matches(service, ctgov_server):
    """A CLL study not yet recruiting matches neither search; it starts recruiting, so
    "Recruiting" finds it: the update made it match."""
    ctgov_server.put_studies([aml_study("NCT07000004", status="NOT_YET_RECRUITING",
                                        conditions=("Chronic Lymphocytic Leukemia",))])
    service.check(today=DAY1)
    assert reasons(service) == {}
    ctgov_server.put_studies([aml_study("NCT07000004", last_update="2026-12-03",
                                        conditions=("Chronic Lymphocytic Leukemia",))])
    service.check(today=LATER)
    assert reasons(service) == {"NCT07000004": "now matches: updated 2026-12-03"}


@pytest.mark.parametrize("order", [("Ven AML", "Recruiting"), ("Recruiting", "Ven AML")])
def test_why_an_inbox_study_another_search_finds_is_the_same_in_either_order(
        service, ctgov_server, order):
    """In the inbox from "Recruiting" (a CLL study); its record now names AML, so "Ven AML"
    finds it too. It was in the inbox before the check, so it still matches, whichever
    search runs first (it read "now matches" when "Ven AML" ran first)."""
    ctgov_server.put_studies([aml_study("NCT07000009",
                                        conditions=("Chronic Lymphocytic Leukemia",))])
    service.check(today=DAY1)
    assert {i.nct_id: i.searches for i in service.items()} == {"NCT07000009": ("Recruiting",)}
    ctgov_server.put_studies([aml_study("NCT07000009", last_update="2026-12-03")])
    service.check(list(order), today=LATER)  # in this order
    assert reasons(service) == {"NCT07000009": "still matches: updated 2026-12-03"}


@pytest.mark.parametrize(("kept", "found", "in_inbox_before", "kept_update", "reason"), [
    ("first-check", "updated:2026-12-03", True, "2026-11-02", "still-matches:2026-12-03"),
    ("posted", "updated:2026-12-03", True, "2026-11-02", "still-matches:2026-12-03"),
    ("updated:2026-11-20", "updated:2026-12-03", True, "2026-11-20",
     "still-matches:2026-12-03"),
    ("first-check", "updated:2026-12-03", False, "2026-11-02", "updated:2026-12-03"),
    ("first-check", "updated:2026-11-20", True, "2026-11-20", "first-check"),  # the overlap
    ("still-matches:2026-12-03", "updated:2026-12-03", False, "2026-12-03",
     "still-matches:2026-12-03"),  # a second search of the same check
    ("first-check", "posted", True, "2026-11-02", "first-check"),
    ("", "updated:2026-12-03", True, "2026-11-02", "updated:2026-12-03"),  # before reasons
    ("posted", "updated:2026-12-03", True, None, "still-matches:2026-12-03"),
])
def test_reason_found_again(kept, found, in_inbox_before, kept_update, reason):
    assert reason_found_again(kept, found, in_inbox_before=in_inbox_before,
                              kept_update=kept_update) == reason


def test_the_report_says_what_changed_in_studies_found_again_and_asked_for_by_id(
        service, ctgov_server):
    """NCT07000002 is found again by both searches with its primary completion moved: one
    line names it, once. NCT07000001 terminated, so no search finds it: it is asked for by
    id and named on the line after, as one of the other inbox studies."""
    ctgov_server.put_studies([aml_study("NCT07000001"), aml_study(
        "NCT07000002", primary_completion=("2028-09", "ESTIMATED"))])
    first = service.check(today=DAY1)
    assert not any("changed in the registry" in line for line in first.lines())
    ctgov_server.set_status("NCT07000001", "TERMINATED", last_update="2026-12-03",
                            why_stopped="Sponsor decision")
    ctgov_server.put_studies([aml_study("NCT07000002", last_update="2026-12-03",
                                        primary_completion=("2029-03", "ESTIMATED"))])
    report = service.check(today=LATER)
    assert [s.tally.again for s in report.searches] == [1, 1]
    changed = [line for line in report.lines() if "changed in the registry" in line]
    assert changed == [
        "1 inbox study changed in the registry (found again by a search): NCT07000002: "
        "primary completion +6 months",
        "1 other inbox study changed in the registry (asked for by id): NCT07000001 → "
        "Terminated (why stopped: Sponsor decision)"]


def test_a_study_found_again_unchanged_is_not_called_changed(service, ctgov_server):
    ctgov_server.put_studies([aml_study("NCT07000003", last_update=DAY1.isoformat())])
    service.check(today=DAY1)
    report = service.check(today=DAY1 + dt.timedelta(days=1))  # the overlap finds it again
    assert report.searches[0].tally.again == 1
    assert not any("changed in the registry" in line for line in report.lines())
