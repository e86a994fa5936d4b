"""Saved searches against the loopback registry: new postings reach the inbox, once."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from pydantic import ValidationError

from tests.fakes.clients import fast_client
from tests.fakes.faults import Fault
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tracker.store.watchlists import WatchListError
from tests.fakes.studies import set_last_update
from tracker.ctgov import RegistryRecord
from tracker.domain import Modality, RegistryStatus
from tracker.domain.searches import GeoRadius, SavedSearch, SearchCriteria
from tracker.services.discovery import DiscoveryService
from tracker.services.registry_merge import new_trial_from_record
from tracker.store.discovery import SavedSearchError

DAY1 = dt.date(2025, 1, 15)
VEN_CLL = {"interventions": ("Venetoclax", "Obinutuzumab"),
           "conditions": ("Chronic Lymphocytic Leukemia",)}


def ven_study(nct_id: str, posted: str, place: tuple[float, float] | None = None, **changes):
    return posted_study(make_study(nct_id, **(VEN_CLL | changes)), posted, place=place)


@pytest.fixture
def service(seeded_library, ctgov_server):
    client = fast_client(ctgov_server)
    service = DiscoveryService(seeded_library, client)
    for search in service.searches.all():  # the shipped defaults are tested elsewhere
        service.searches.remove(search.name)
    service.searches.add(SavedSearch(name="Ven CLL", criteria=SearchCriteria(
        intervention="venetoclax", condition="chronic lymphocytic leukemia")))
    yield service
    client.close()


def registry_requests(server):
    return [r for r in server.requests if r.path.endswith("/studies")]


def search_requests(server):
    """The saved searches' requests, without the one that refreshes other inbox records
    by id (tests/unit/test_inbox_accept.py)."""
    return [r for r in registry_requests(server) if "filter.ids" not in r.params]


def test_discovery_first_check_takes_current_set_and_skips_library(service, ctgov_server):
    ctgov_server.put_studies([
        ven_study("NCT06000001", "2024-11-02"),
        ven_study("NCT06000002", "2025-01-15"),
        posted_study(make_study("NCT06000003", interventions=("Ibrutinib",)), "2025-01-10"),
        ven_study("NCT02242942", "2014-09-19"),  # CLL14: already in the curated library
    ])
    report = service.check(today=DAY1)
    [check] = report.searches
    assert (check.first, check.requests, check.found, check.total) == (True, 1, 3, 3)
    assert (check.tally.new, check.tally.in_library) == (2, 1)
    assert [i.nct_id for i in service.items()] == ["NCT06000002", "NCT06000001"]
    assert "filter.advanced" not in registry_requests(ctgov_server)[0].params
    assert service.searches.get("Ven CLL").last_checked_on == DAY1
    assert report.inbox_count == 2


def test_discovery_later_checks_ask_by_last_update_date_and_remember_dismissals(
        service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-11-02"),
                              ven_study("NCT06000002", "2025-01-15")])
    service.check(today=DAY1)
    service.dismiss(["NCT06000002"])  # posted on the check day: the overlap sees it again
    ctgov_server.put_studies([
        ven_study("NCT06000010", "2025-01-15"),  # posted later on the day of the last check
        ven_study("NCT06000011", "2025-01-16"),
        posted_study(make_study("NCT06000012", interventions=("Ibrutinib",)), "2025-01-16"),
        ven_study("NCT06000013", "2024-06-01", last_update="2024-06-01"),  # not updated since
        ven_study("NCT02242942", "2025-01-16"),  # in the library
    ])
    ctgov_server.clear_log()
    report = service.check(today=DAY1 + dt.timedelta(days=1))
    [request] = search_requests(ctgov_server)
    assert request.params["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2025-01-14,MAX]"
    tally = report.searches[0].tally
    assert (tally.new, tally.dismissed, tally.in_library, tally.again) == (2, 1, 1, 0)
    ids = [i.nct_id for i in service.items()]
    assert sorted(ids) == ["NCT06000001", "NCT06000010", "NCT06000011"]


def test_discovery_unchanged_search_costs_one_request(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    service.check(today=DAY1)
    for day in range(1, 4):
        ctgov_server.clear_log()
        report = service.check(today=DAY1 + dt.timedelta(days=day))
        assert len(search_requests(ctgov_server)) == 1
        # the inbox study the search did not send again: one request by id, when there is one
        assert len(registry_requests(ctgov_server)) == 1 + (report.searches[0].found == 0)
        assert report.searches[0].tally.new == 0


def test_discovery_pages_with_next_page_token_and_caps_the_first_check(
        seeded_library, ctgov_server):
    ctgov_server.put_studies([ven_study(f"NCT0600002{n}", "2024-12-0" + str(n + 1))
                              for n in range(7)])
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client, max_pages=3, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        check = service.check(["Paged"], today=DAY1).searches[0]
    assert check.requests == 3
    assert [bool(r.params.get("pageToken")) for r in registry_requests(ctgov_server)] == \
        [False, True, True]
    assert check.tally.new == 6 and check.total == 7
    assert "stopped after 3 pages (6 of 7 studies)" in check.capped


def test_discovery_failed_check_changes_nothing_and_says_why(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    ctgov_server.inject(Fault.BAD_REQUEST, body="Bad Request: query.cond could not be parsed")
    report = service.check(today=DAY1)
    assert report.searches[0].error == ("the registry refused this search (400): Bad Request: "
                                        "query.cond could not be parsed")
    assert not report.ok and service.items() == []
    assert service.searches.get("Ven CLL").last_checked_on is None


def test_discovery_dead_server_mid_paging_leaves_inbox_and_date_as_they_were(
        seeded_library, ctgov_server):
    ctgov_server.put_studies([ven_study(f"NCT0600003{n}", "2024-12-10") for n in range(5)])
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        ctgov_server.inject(Fault.DROP_CONNECTION, times=10, path="pageToken")
        check = service.check(["Paged"], today=DAY1).searches[0]
        assert "could not be reached" in check.error and check.tally is None
        assert service.items() == [] and service.searches.get("Paged").last_checked_on is None
        ctgov_server.clear_faults()
        assert service.check(["Paged"], today=DAY1).searches[0].tally.new == 5


def test_a_registry_repeating_a_page_token_is_blamed_not_the_search(seeded_library,
                                                                     ctgov_server):
    ctgov_server.put_studies([ven_study(f"NCT0600005{n}", "2024-12-10") for n in range(5)])
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        ctgov_server.inject(Fault.REPEAT_PAGE_TOKEN, times=20)
        check = service.check(["Paged"], today=DAY1).searches[0]
    assert "a nextPageToken it had already sent" in check.error and check.requests == 2
    assert not check.capped and check.tally is None
    assert service.items() == [] and service.searches.get("Paged").last_checked_on is None


def test_discovery_cancel_between_pages_stores_nothing(seeded_library, ctgov_server):
    ctgov_server.put_studies([ven_study(f"NCT0600004{n}", "2024-12-10") for n in range(5)])
    cancel = threading.Event()
    with fast_client(ctgov_server, read_timeout=5.0) as client:
        service = DiscoveryService(seeded_library, client, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        ctgov_server.inject(Fault.SLOW, delay=0.6, path="pageToken")
        timer = threading.Timer(0.2, cancel.set)
        timer.start()
        report = service.check(["Paged"], cancel=cancel, today=DAY1)
    assert report.cancelled and report.searches[0].tally is None
    assert service.items() == [] and service.searches.get("Paged").last_checked_on is None


def test_discovery_accept_adds_to_library_and_watchlist(service, ctgov_server, seeded_library):
    ctgov_server.put_studies([
        ven_study("NCT06000001", "2024-11-02"),
        posted_study(make_study("NCT06000002", interventions=("cilta-cel", "Venetoclax"),
                                conditions=("Chronic Lymphocytic Leukemia",),
                                title="Cilta-cel after venetoclax in CLL"),
            "2024-11-03")])
    seeded_library.watchlists.create("December")
    service.check(today=DAY1)
    items = {i.nct_id: i for i in service.items()}
    assert items["NCT06000001"].evidence == "Venetoclax in interventions"
    assert items["NCT06000001"].searches == ("Ven CLL",)
    service.set_modality("NCT06000002", "car-t")
    result = service.accept(["NCT06000001", "NCT06000002"], watchlist="December")
    assert result.added == ["NCT06000001", "NCT06000002"]
    assert seeded_library.trials.get("NCT06000001").modality is Modality.BCL2
    assert seeded_library.trials.get("NCT06000002").modality is Modality.CAR_T
    assert seeded_library.watchlists.get("December").trial_ids == ("NCT06000001",
                                                                   "NCT06000002")
    assert service.items() == []
    again = service.check(today=DAY1 + dt.timedelta(days=30), names=["Ven CLL"])
    assert again.searches[0].tally.new == 0


def test_discovery_accept_checks_everything_before_writing(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    service.check(today=DAY1)
    with pytest.raises(SavedSearchError, match="not in the inbox: NCT06000099"):
        service.accept(["NCT06000001", "NCT06000099"])
    with pytest.raises(SavedSearchError, match="NCT02993523 is already in the library, not "
                                               "in the inbox"):
        service.accept(["NCT02993523"])  # VIALE-A, a curated trial
    with pytest.raises(WatchListError, match="no watch list named"):
        service.accept(["NCT06000001"], watchlist="Nope")
    assert [i.nct_id for i in service.items()] == ["NCT06000001"]


def test_discovery_dismissal_is_per_search(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2025-01-15")])
    service.searches.add(SavedSearch(name="All venetoclax", criteria=SearchCriteria(
        intervention="venetoclax")))
    service.check(["Ven CLL"], today=DAY1)
    service.dismiss(["NCT06000001"])
    service.check(["Ven CLL"], today=DAY1)
    assert service.items() == []
    service.check(["All venetoclax"], today=DAY1)
    assert [i.searches for i in service.items()] == [("All venetoclax",)]


def test_discovery_filters_reach_the_registry(service, ctgov_server):
    ctgov_server.put_studies([
        posted_study(make_study("NCT06000051", phases=("PHASE3",), **VEN_CLL), "2024-10-01",
                     place=(42.36, -71.06)),  # Boston
        posted_study(make_study("NCT06000052", phases=("PHASE1",), **VEN_CLL), "2024-10-01",
                     place=(42.36, -71.06)),
        posted_study(make_study("NCT06000053", phases=("PHASE3",), **VEN_CLL), "2024-10-01",
                     place=(48.85, 2.35)),  # Paris
        posted_study(make_study("NCT06000054", phases=("PHASE3",), status="COMPLETED",
                                **VEN_CLL), "2024-10-01", place=(42.36, -71.06)),
    ])
    service.searches.add(SavedSearch(name="Boston P3", criteria=SearchCriteria(
        intervention="venetoclax", phases=("PHASE3", "PHASE2"), statuses=("RECRUITING",),
        study_type="INTERVENTIONAL", near=GeoRadius(lat=42.34, lon=-71.1, km=50))))
    service.check(["Boston P3"], today=DAY1)
    params = registry_requests(ctgov_server)[0].params
    assert params["filter.geo"] == "distance(42.34,-71.1,50km)"
    assert params["filter.overallStatus"] == "RECRUITING"
    assert params["filter.advanced"] == ("(AREA[Phase]PHASE3 OR AREA[Phase]PHASE2) AND "
                                         "AREA[StudyType]INTERVENTIONAL")
    assert [i.nct_id for i in service.items()] == ["NCT06000051"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"term": 'CD19 "CAR T'}, "unclosed quote"),
    ({"term": "(CD19 OR BCMA"}, "'(' without its ')'"),
    ({"condition": "AREA[Phase]PHASE2"}, "area and range syntax"),
    ({"phases": ("PHASE9",)}, "PHASE9"),
    ({"statuses": ("OPEN",)}, "OPEN"),
    ({}, "at least one of"),
])
def test_saved_search_invalid_parameters_are_refused_before_any_request(fields, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        SearchCriteria(**fields)


def test_saved_search_radius_must_be_on_the_globe():
    with pytest.raises(ValidationError):
        GeoRadius(lat=95, lon=0, km=10)
    with pytest.raises(ValidationError):
        GeoRadius(lat=45, lon=0, km=0)


def test_discovery_changed_criteria_start_afresh_and_deleting_a_search_cleans_the_inbox(
        service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02"),
                              ven_study("NCT06000002", "2024-11-03",
                                        conditions=("Acute Myeloid Leukemia",))])
    service.searches.add(SavedSearch(name="All venetoclax", criteria=SearchCriteria(
        intervention="venetoclax")))
    service.check(today=DAY1)
    assert [i.searches for i in service.items()] == [
        ("All venetoclax",), ("All venetoclax", "Ven CLL")]
    renamed = service.searches.update("Ven CLL", SavedSearch(name="Venetoclax CLL", criteria=
                                      service.searches.get("Ven CLL").criteria))
    assert renamed.last_checked_on == DAY1  # a rename keeps the date
    changed = service.searches.update("Venetoclax CLL", SavedSearch(
        name="Venetoclax CLL", criteria=SearchCriteria(intervention="venetoclax",
                                                       condition="lymphocytic")))
    assert changed.last_checked_on is None  # new criteria: the next check takes everything
    service.searches.remove("All venetoclax")
    assert [(i.nct_id, i.searches) for i in service.items()] == [
        ("NCT06000001", ("Venetoclax CLL",))]


def test_discovery_a_malformed_study_is_skipped_and_the_rest_stored(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02"),
                              ven_study("NCT06000002", "2024-11-03")])
    ctgov_server.inject(Fault.MALFORMED_STUDY, nct_id="NCT06000001")
    report = service.check(today=DAY1)
    check = report.searches[0]
    assert check.skipped_records == 1 and check.tally.new == 1
    assert any("1 malformed registry record (NCT06000001) skipped; the last-check date was "
               "kept" in line for line in report.lines())  # named, so it can be looked up
    assert [i.nct_id for i in service.items()] == ["NCT06000002"]
    assert service.searches.get("Ven CLL").last_checked_on is None  # asked again next time
    again = service.check(today=DAY1).searches[0]
    assert (again.tally.new, again.tally.again) == (1, 1)
    assert service.searches.get("Ven CLL").last_checked_on == DAY1


def test_discovery_a_capped_later_check_resumes_where_it_stopped(seeded_library, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000060", "2024-12-01", last_update="2024-12-01")])
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client, max_pages=2, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        service.check(["Paged"], today=DAY1)
        ctgov_server.put_studies([ven_study(f"NCT0600007{n}", f"2025-01-{16 + n}")
                                  for n in range(6)])
        later = DAY1 + dt.timedelta(days=10)
        check = service.check(["Paged"], today=later).searches[0]
        assert check.tally.new == 4 and "continues from 2025-01-19" in check.capped
        assert search_requests(ctgov_server)[-1].params["sort"] == "LastUpdatePostDate:asc"
        assert service.searches.get("Paged").last_checked_on == dt.date(2025, 1, 19)
        rest = service.check(["Paged"], today=later).searches[0]
        assert rest.capped == "" and (rest.tally.new, rest.tally.again) == (2, 2)  # 1-day overlap
        assert service.searches.get("Paged").last_checked_on == later
    assert len(service.items()) == 7


def test_discovery_an_unreachable_registry_stops_the_round_a_refused_search_does_not(
        service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    service.searches.add(SavedSearch(name="Second", criteria=SearchCriteria(
        intervention="venetoclax")))
    service.searches.add(SavedSearch(name="Third", criteria=SearchCriteria(term="venetoclax")))
    ctgov_server.inject(Fault.BAD_REQUEST, body="Bad Request: unknown area")
    refused = service.check(today=DAY1)
    assert [bool(s.error) for s in refused.searches] == [True, False, False]
    assert "unknown area" in refused.headline() and refused.stopped == 0
    ctgov_server.stop()
    for search in service.searches.all():
        service.searches.update(search.name, search.model_copy(update={"criteria": SearchCriteria(
            intervention="ibrutinib")}))  # changed criteria: all start afresh
    dead = service.check(today=DAY1)
    assert len(dead.searches) == 1 and dead.stopped == 2 and "could not be reached" in \
        dead.searches[0].error
    assert "2 not checked (registry unavailable)" in dead.headline()
    assert all(s.last_checked_on is None for s in service.searches.all())


def test_discovery_keeps_a_study_with_codes_the_registry_added_and_moves_the_date_on(
        service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000060", "2025-01-10", phases=("PHASE9",),
                                        start=("2026-02", "ANTICIPATED"))])
    check = service.check(today=DAY1).searches[0]
    assert (check.skipped_records, check.tally.new) == (0, 1)
    assert service.searches.get("Ven CLL").last_checked_on == DAY1  # not a first check forever
    [item] = service.items()
    assert [p.label for p in item.phases] == ["Phase9 (registry code PHASE9)"]
    service.accept(["NCT06000060"])
    trial = service._library.trials.get("NCT06000060")
    assert trial.phases == ("PHASE9",)
    assert trial.start_date.display() == "2026-02 (registry date type ANTICIPATED)"


def test_discovery_a_later_check_finds_older_studies_that_now_match_and_says_why(
        seeded_library, ctgov_server):
    """A trial that starts recruiting, or opens a site in the radius, reaches the inbox."""
    waiting = ven_study("NCT06000080", "2023-03-01", status="NOT_YET_RECRUITING",
                        last_update="2024-10-01")
    far = ven_study("NCT06000081", "2023-04-01", status="ACTIVE_NOT_RECRUITING",
                    last_update="2024-10-01", place=(48.86, 2.35))  # Paris
    gone = ven_study("NCT06000082", "2023-05-01", status="NOT_YET_RECRUITING",
                     last_update="2024-10-01")
    ctgov_server.put_studies([waiting, far, gone, ven_study("NCT06000083", "2024-12-01")])
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client)
        for search in service.searches.all():
            service.searches.remove(search.name)
        service.searches.add(SavedSearch(name="Recruiting", criteria=SearchCriteria(
            intervention="venetoclax", statuses=(RegistryStatus.RECRUITING,))))
        service.searches.add(SavedSearch(name="Near Boston", criteria=SearchCriteria(
            intervention="venetoclax", near=GeoRadius(lat=42.36, lon=-71.06, km=50))))
        service.check(today=DAY1)
        assert [i.nct_id for i in service.items()] == ["NCT06000083"]
        assert service.items()[0].found_because() == "found by the first check"
        service.dismiss(["NCT06000083"])
        for study, nct_id in ((waiting, "NCT06000080"), (gone, "NCT06000082")):
            study["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"
            set_last_update(study["protocolSection"]["statusModule"], "2025-01-20")
        posted_study(far, "2023-04-01", place=(42.34, -71.10))  # a site opens in Boston
        set_last_update(far["protocolSection"]["statusModule"], "2025-01-21")
        ctgov_server.put_studies([waiting, far, gone,
                                  ven_study("NCT06000084", "2025-01-22"),  # newly posted
                                  ven_study("NCT06000083", "2024-12-01", last_update="2025-01-21")])
        seeded_library.trials.insert([new_trial_from_record(
            RegistryRecord(nct_id="NCT06000082", brief_title="accepted meanwhile"),
            dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))], dt.datetime.now(dt.timezone.utc))
        ctgov_server.clear_log()
        report = service.check(["Recruiting", "Near Boston"], today=dt.date(2025, 1, 23))
    assert len(registry_requests(ctgov_server)) == 2  # one request per search
    reasons = {i.nct_id: i.found_because() for i in service.items()}
    assert reasons == {"NCT06000080": "now matches: updated 2025-01-20",
                       "NCT06000081": "now matches: updated 2025-01-21",
                       "NCT06000084": "newly posted 2025-01-22"}
    tallies = {s.name: s.tally for s in report.searches}
    assert tallies["Recruiting"].dismissed == 1 and tallies["Recruiting"].in_library == 1
    assert "posted or updated since the last check" in report.lines()[0]


def test_discovery_a_search_without_statuses_follows_open_studies_only(service, ctgov_server):
    ctgov_server.put_studies([
        ven_study("NCT06000090", "2020-01-10", status="COMPLETED"),
        ven_study("NCT06000091", "2021-01-10", status="WITHDRAWN"),
        ven_study("NCT06000092", "2022-01-10", status="TERMINATED"),
        ven_study("NCT06000093", "2019-01-10", status="UNKNOWN"),
        ven_study("NCT06000094", "2023-01-10", status="ACTIVE_NOT_RECRUITING"),
        ven_study("NCT06000095", "2024-01-10", status="RECRUITING"),
    ])
    service.searches.add(SavedSearch(name="Finished", criteria=SearchCriteria(
        intervention="venetoclax", statuses=(RegistryStatus.COMPLETED,))))
    report = service.check(today=DAY1)
    first, finished = report.searches
    assert [i.nct_id for i in service.items() if i.searches == ("Ven CLL",)] == [
        "NCT06000095", "NCT06000094"]
    assert [i.nct_id for i in service.items() if i.searches == ("Finished",)] == [
        "NCT06000090"]  # statuses asked for replace the scope
    assert (first.total, finished.total) == (2, 1)
    lines = report.lines()
    assert lines[2] == ("A first check takes open studies only (not completed, terminated, "
                        "withdrawn or of unknown status) unless the search names statuses.")
    assert sum("open studies only" in line for line in lines) == 1  # said once
    assert "open studies" in service.searches.get("Ven CLL").criteria.describe()


@pytest.mark.parametrize("stored,typed", [("AML\u200bwatch", "AMLwatch"),
                                          ("ＡＭＬ watch", "AML watch")])
def test_a_search_named_under_older_rules_still_loads_and_is_found_by_its_typed_name(
        service, stored, typed):
    """A name saved before invisible characters were refused (or before NFKC): every search
    still loads, the name is shown as saved, and typing it as it reads finds it."""
    import sqlite3

    conn = sqlite3.connect(service.searches._db.path)
    conn.execute("UPDATE saved_searches SET name = ? WHERE name = 'Ven CLL'", (stored,))
    conn.commit()
    conn.close()
    assert [s.name for s in service.searches.all()] == [stored]
    assert service.searches.set_paused(typed, True).paused
    service.searches.remove(typed)
    assert service.searches.all() == []


def test_discovery_a_capped_check_within_one_day_keeps_its_date(seeded_library, ctgov_server):
    """More studies updated on the day the last check began than the pages allow: the date
    does not jump to today (the rest would never be fetched); the message says why."""
    with fast_client(ctgov_server) as client:
        service = DiscoveryService(seeded_library, client, max_pages=2, page_size=2)
        service.searches.add(SavedSearch(name="Paged", criteria=SearchCriteria(
            intervention="venetoclax")))
        service.check(["Paged"], today=DAY1)
        ctgov_server.put_studies([ven_study(f"NCT0600008{n}", DAY1.isoformat(),
                                            last_update=DAY1.isoformat()) for n in range(6)])
        check = service.check(["Paged"], today=DAY1 + dt.timedelta(days=10)).searches[0]
    assert check.tally.new == 4 and "the next check asks for that day again" in check.capped
    assert service.searches.get("Paged").last_checked_on == DAY1


def test_discovery_a_study_found_again_because_it_was_updated_says_so(service, ctgov_server):
    """Found by the first check, then updated in the registry and found again by the same
    search: the inbox says it was updated and still matches (it matched all along), not
    that it now matches, nor that the first check found it."""
    ctgov_server.put_studies([ven_study("NCT06000090", "2024-11-02", last_update="2024-11-02")])
    service.check(today=DAY1)
    assert [i.reason for i in service.items()] == ["first-check"]
    ctgov_server.put_studies([ven_study("NCT06000090", "2024-11-02", last_update="2025-01-20")])
    service.check(today=DAY1 + dt.timedelta(days=10))
    (item,) = service.items()
    assert item.found_because() == "still matches: updated 2025-01-20"
