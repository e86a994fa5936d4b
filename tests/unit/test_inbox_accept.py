"""Accepting inbox studies: a real fetch as `add` does, or honestly "not synced yet"; inbox
records follow the registry from check to check and say when they were fetched."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.demo_records import with_demo_results
from tests.fakes.faults import Fault
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tests.unit.discovery_service import one_search_service
from tests.unit.test_cli import run
from tracker.domain import Modality, RegistryState, RegistryStatus, users_today
from tracker.domain.searches import SearchCriteria
from tracker.services.discovery import DiscoveryService
from tracker.services.sync import SyncService

DAY1 = dt.date(2025, 1, 15)


def ven_study(nct_id: str, posted: str, **changes):
    fields = {"interventions": ("Venetoclax", "Obinutuzumab"),
              "conditions": ("Chronic Lymphocytic Leukemia",)} | changes
    return posted_study(make_study(nct_id, **fields), posted)


@pytest.fixture
def service(seeded_library, ctgov_server):
    yield from one_search_service(seeded_library, ctgov_server, "Ven CLL", SearchCriteria(
        intervention="venetoclax", condition="chronic lymphocytic leukemia"))


def test_accept_fetches_the_whole_record_as_add_does(service, ctgov_server, seeded_library):
    ctgov_server.put_studies([with_demo_results(ven_study("NCT06000001", "2024-11-02")),
                              ven_study("NCT06000002", "2024-11-03")])
    seeded_library.watchlists.create("AML – January")
    service.check(today=DAY1)
    service.set_modality("NCT06000002", "car-t")
    ctgov_server.clear_log()
    result = service.accept(["NCT06000001", "NCT06000002"], watchlist="AML – January")
    assert result.added == ["NCT06000001", "NCT06000002"] and result.not_synced == {}
    asked = [r for r in ctgov_server.requests if r.path.endswith("/studies")]
    assert asked and all("NCT06000001" in r.params.get("filter.ids", "") or
                         "NCT06000002" in r.params.get("filter.ids", "") for r in asked)
    for nct_id in ("NCT06000001", "NCT06000002"):
        trial = seeded_library.trials.get(nct_id)
        assert trial.registry_state is RegistryState.FOUND and trial.last_synced_at
        assert seeded_library.versions.latest(nct_id) is not None  # a registry version
    assert seeded_library.trials.get("NCT06000002").modality is Modality.CAR_T  # chosen kept
    assert seeded_library.versions.trial_ids_lacking_results() == set()  # results fetched
    assert sum("resultsSection" in r.params.get("fields", "") for r in asked) == 1
    assert seeded_library.watchlists.get("AML – January").trial_ids == (
        "NCT06000001", "NCT06000002")
    assert service.items() == []


def test_accept_without_the_registry_stores_the_study_as_not_synced(service, ctgov_server,
                                                                     seeded_library):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    service.check(today=DAY1)
    ctgov_server.inject(Fault.SERVER_ERROR, times=20, path="filter.ids")
    result = service.accept(["NCT06000001"])
    assert result.added == ["NCT06000001"] and list(result.not_synced) == ["NCT06000001"]
    assert "503" in result.not_synced["NCT06000001"]
    assert "not synced yet" in result.not_synced_text()
    trial = seeded_library.trials.get("NCT06000001")
    assert trial.last_synced_at is None and trial.registry_state is RegistryState.NEVER_SYNCED
    assert trial.status is RegistryStatus.RECRUITING  # the inbox record, kept
    assert seeded_library.versions.latest("NCT06000001") is None
    assert service.items() == []
    ctgov_server.clear_faults()
    client = fast_client(ctgov_server)
    try:
        SyncService(seeded_library, client).sync(["NCT06000001"])
    finally:
        client.close()
    trial = seeded_library.trials.get("NCT06000001")
    assert trial.last_synced_at is not None and trial.registry_state is RegistryState.FOUND
    assert seeded_library.versions.latest("NCT06000001") is not None


def test_accept_offline_service_claims_no_sync(seeded_library, ctgov_server, service):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    service.check(today=DAY1)
    result = DiscoveryService(seeded_library).accept(["NCT06000001"])  # no client at all
    assert list(result.not_synced) == ["NCT06000001"]
    assert seeded_library.trials.get("NCT06000001").last_synced_at is None


def test_a_check_refreshes_an_inbox_record_and_says_when(service, ctgov_server):
    """The record is dated by the registry's last update (what a reader cites); the day the
    check fetched it is kept too (how current the inbox's copy is)."""
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-11-02")])
    service.check(today=DAY1)
    [item] = service.items()
    assert item.status is RegistryStatus.RECRUITING and item.fetched_at
    assert item.last_update_text() == "last update posted 2024-11-02"
    assert item.fetched_on() == users_today()
    first_fetch = item.fetched_at
    ctgov_server.set_status("NCT06000001", "ACTIVE_NOT_RECRUITING", last_update="2025-02-01")
    service.check(today=dt.date(2025, 2, 2))
    [item] = service.items()
    assert item.status is RegistryStatus.ACTIVE_NOT_RECRUITING
    assert item.last_update_posted == "2025-02-01"
    assert item.fetched_at > first_fetch and item.found_at == first_fetch


def test_cli_inbox_accept_then_show_says_synced_only_when_it_was(capsys, ctgov_server,
                                                                 _isolated_data_dir):
    import json

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-12-09"),
                              ven_study("NCT06000002", "2024-11-03")])
    api = ctgov_server.base_url
    run(capsys, "searches", "add", "Ven CLL", "--intervention", "venetoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven CLL":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    code, listing, err = run(capsys, "inbox")
    assert "found by: Ven CLL · found by the first check · last update posted 2024-12-09\n" \
        in listing
    assert "fetched" not in listing and "as of" not in listing
    assert err.startswith(f"2 in the inbox; registry records fetched {users_today()}\n")
    listed = {item["nct_id"]: item for item in json.loads(run(capsys, "inbox", "--json")[1])}
    assert listed["NCT06000001"]["last_update_posted"] == "2024-12-09"
    assert listed["NCT06000001"]["fetched_at"]
    code, out, err = run(capsys, "--api-url", api, "inbox", "accept", "NCT06000001")
    assert code == 0 and "added 1 to the library" in out and "not synced" not in err
    shown = run(capsys, "show", "NCT06000001")[1]
    assert "Last synced:" in shown and "never" not in shown.split("Last synced:")[1][:30]
    ctgov_server.inject(Fault.SERVER_ERROR, times=20, path="filter.ids")
    code, out, err = run(capsys, "--api-url", api, "inbox", "accept", "NCT06000002")
    assert code == 0 and "added 1 to the library" in out
    assert "NCT06000002 added from the inbox record, not synced yet" in err
    shown = run(capsys, "show", "NCT06000002")[1]
    assert "never" in shown.split("Last synced:")[1].splitlines()[0]


def test_an_inbox_study_that_closed_shows_its_new_status_after_the_next_check(service,
                                                                            ctgov_server):
    """The search follows open studies only, so a study that closed is not found again: the
    check asks for the other inbox records by id (one request) and shows them as they are."""
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-11-02"),
                              ven_study("NCT06000002", "2024-11-03", last_update="2024-11-03")])
    service.check(today=DAY1)
    ctgov_server.set_status("NCT06000001", "TERMINATED", last_update="2025-02-01",
                            why_stopped="Sponsor decision")
    ctgov_server.clear_log()
    report = service.check(today=dt.date(2025, 2, 2))
    assert report.searches[0].found == 0 and report.refreshed == 1  # the one updated since
    asked = [r for r in ctgov_server.requests if r.path.endswith("/studies")]
    assert len(asked) == 2 and asked[1].params["filter.ids"] == "NCT06000001|NCT06000002"
    assert "RANGE[2025-01-14,MAX]" in asked[1].params["filter.advanced"]
    assert ("1 other inbox study changed in the registry (asked for by id): NCT06000001 → "
            "Terminated (why stopped: Sponsor decision)") in report.lines()
    items = {i.nct_id: i for i in service.items()}
    assert items["NCT06000001"].status is RegistryStatus.TERMINATED
    assert items["NCT06000001"].reason == "first-check"  # why it is there stays
    assert items["NCT06000001"].fetched_at > items["NCT06000001"].found_at
    assert items["NCT06000002"].fetched_at > items["NCT06000002"].found_at  # known unchanged


def test_an_unrefreshed_inbox_says_why_and_keeps_its_records(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-11-02")])
    service.check(today=DAY1)
    ctgov_server.inject(Fault.BAD_REQUEST, times=1, path="filter.ids")
    report = service.check(today=dt.date(2025, 2, 2))
    assert report.ok and report.refreshed == 0 and "Bad Request" in report.refresh_error
    assert [i.status for i in service.items()] == [RegistryStatus.RECRUITING]
