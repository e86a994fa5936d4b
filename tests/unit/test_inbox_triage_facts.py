"""The inbox shows what a triage needs from the one search request a check makes:
enrollment, start and primary-completion dates, sites (count, recruiting, the nearest to a
search's place) and the brief summary."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tests.unit.discovery_service import one_search_service
from tests.unit.test_cli import run
from tracker.domain.inbox import summarize_sites
from tracker.domain.searches import GeoRadius, SavedSearch, SearchCriteria

DAY1 = dt.date(2025, 1, 15)
BERLIN = (52.52, 13.405)
SITES = [  # facility, city, country, status, lat, lon
    ("Charité Berlin", "Berlin", "Germany", "RECRUITING", 52.52, 13.405),
    ("Hôpital Saint-Louis", "Paris", "France", "RECRUITING", 48.8566, 2.3522),
    ("MD Anderson", "Houston", "United States", "NOT_YET_RECRUITING", 29.7604, -95.3698),
]


def sited(study, sites):
    study["protocolSection"].setdefault("contactsLocationsModule", {})["locations"] = [
        {"facility": f, "city": c, "country": k, "status": s, "geoPoint": {"lat": la, "lon": lo}}
        for f, c, k, s, la, lo in sites]
    return study


def candidate():
    study = make_study("NCT06900108", interventions=("Venetoclax", "Ibrutinib"),
                       conditions=("Chronic Lymphocytic Leukemia",),
                       enrollment=(230, "ESTIMATED"), start=("2025-02-01", "ESTIMATED"),
                       primary_completion=("2028-06", "ESTIMATED"),
                       summary="Fixed-duration venetoclax and ibrutinib in younger patients.\n\n"
                               "A second paragraph that the card does not need.")
    return sited(posted_study(study, "2025-01-10"), SITES)


@pytest.fixture
def service(seeded_library, ctgov_server):
    yield from one_search_service(seeded_library, ctgov_server, "Ven near Paris", SearchCriteria(
        intervention="venetoclax", near=GeoRadius(lat=48.85, lon=2.35, km=1000)))


def test_a_check_stores_the_triage_facts_in_one_request(service, ctgov_server):
    ctgov_server.put_study(candidate())
    report = service.check(today=DAY1)
    assert report.searches[0].requests == 1
    [item] = service.items()
    assert (item.enrollment, item.enrollment_kind) == (230, "ESTIMATED")
    assert item.start.display() and item.start.value == "2025-02-01"
    assert item.primary_completion.value == "2028-06"
    assert item.brief_summary.startswith("Fixed-duration venetoclax")
    sites = item.sites
    assert (sites.count, sites.recruiting, sites.countries) == (
        3, 2, ("France", "Germany", "United States"))
    assert sites.nearest_facility == "Hôpital Saint-Louis" and sites.nearest_city == "Paris"
    assert sites.nearest_km is not None and sites.nearest_km < 5
    far = summarize_sites([("A", "Berlin", "Germany", "RECRUITING", *BERLIN)], (48.85, 2.35))
    assert far.describe() == "1 site (1 recruiting), nearest recruiting 878 km: A, Berlin"
    line = item.facts_line(DAY1)
    assert "230 (estimated)" in line and "3 sites" in line
    assert "nearest recruiting under 1 km: Hôpital Saint-Louis, Paris" in line
    assert "start" in line and "primary completion" in line


def test_a_search_without_a_place_names_no_distance(service, ctgov_server):
    service.searches.add(SavedSearch(name="Ven anywhere", criteria=SearchCriteria(
        intervention="venetoclax")))
    service.searches.remove("Ven near Paris")
    ctgov_server.put_study(candidate())
    service.check(today=DAY1)
    [item] = service.items()
    assert item.sites.count == 3 and item.sites.nearest_km is None
    assert "nearest" not in item.facts_line(DAY1)


def test_cli_inbox_prints_the_facts_line(capsys, ctgov_server, _isolated_data_dir):
    import json

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_study(candidate())
    run(capsys, "searches", "add", "Ven Paris", "--intervention", "venetoclax", "--near",
        "Paris", "--within", "500")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven Paris":
            run(capsys, "searches", "pause", name)
    run(capsys, "--api-url", ctgov_server.base_url, "searches", "check")
    out = run(capsys, "inbox")[1]
    assert "enrollment 230 (estimated)" in out and "3 sites (2 recruiting)" in out
    assert "nearest recruiting under 1 km: Hôpital Saint-Louis, Paris" in out
    [item] = json.loads(run(capsys, "inbox", "--json")[1])
    assert item["enrollment"] == 230 and item["sites"]["count"] == 3
    assert item["primary_completion"] == "2028-06"


def test_a_stopped_study_has_no_recruiting_site_and_says_why_it_stopped(service, ctgov_server):
    """Suspended, yet its record still marks two sites recruiting: no site is called
    recruiting, the nearest is named with its own status, and the sponsor's reason shows."""
    study = candidate()
    study["protocolSection"]["statusModule"].update(
        overallStatus="SUSPENDED", whyStopped="Sponsor decision: portfolio review")
    ctgov_server.put_study(study)
    service.check(today=DAY1)
    [item] = service.items()
    assert item.sites.recruiting == 0 and not item.recruits
    assert item.why_stopped == "Sponsor decision: portfolio review"
    line = item.facts_line(DAY1)
    assert "(2 recruiting)" not in line and "nearest recruiting" not in line
    assert ("3 sites, nearest site under 1 km (listed as recruiting; the study is not): "
            "Hôpital Saint-Louis, Paris") in line
    assert line.startswith("why stopped: Sponsor decision: portfolio review · ")


def test_the_nearest_site_is_the_nearest_recruiting_one():
    """Charité (withdrawn) is next door; the only recruiting site is in München."""
    sites = [("Charité", "Berlin", "Germany", "WITHDRAWN", *BERLIN),
             ("LMU Klinikum", "München", "Germany", "RECRUITING", 48.137, 11.575)]
    summary = summarize_sites(sites, BERLIN)
    assert summary.recruiting == 1 and summary.nearest_city == "München"
    assert summary.describe() == ("2 sites (1 recruiting), nearest recruiting 504 km: "
                                  "LMU Klinikum, München")
    closed = summarize_sites([sites[0]], BERLIN)  # no recruiting site: the nearest, as it is
    assert closed.describe() == "1 site, nearest site under 1 km (withdrawn): Charité, Berlin"
    not_yet = summarize_sites(sites, BERLIN, study_recruits=False)
    assert not_yet.recruiting == 0 and not_yet.nearest_city == "Berlin"
    assert not_yet.describe(study_recruits=False) == (
        "2 sites, nearest site under 1 km (withdrawn): Charité, Berlin")
