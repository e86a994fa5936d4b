"""Dismissal can be seen and undone: dismissed studies keep their records, are listed, and
come back to the inbox when restored (service and CLI)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tests.unit.discovery_service import one_search_service
from tests.unit.test_cli import run
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.store.discovery import SavedSearchError

DAY1 = dt.date(2025, 1, 15)


def ven_study(nct_id: str, posted: str):
    return posted_study(make_study(nct_id, interventions=("Venetoclax",),
                                   conditions=("Chronic Lymphocytic Leukemia",)), posted)


@pytest.fixture
def service(seeded_library, ctgov_server):
    yield from one_search_service(seeded_library, ctgov_server, "Ven", SearchCriteria(
        intervention="venetoclax"))


def test_dismissed_studies_are_listed_and_restored(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02"),
                              ven_study("NCT06000002", "2024-11-03")])
    service.check(today=DAY1)
    service.dismiss(["NCT06000001"])
    assert [i.nct_id for i in service.items()] == ["NCT06000002"]
    assert service.inbox.count() == 1
    items, without_record = service.dismissed()
    assert [i.nct_id for i in items] == ["NCT06000001"] and without_record == []
    assert items[0].dismissed_at and items[0].searches == ("Ven",)
    with pytest.raises(SavedSearchError, match=r"NCT06000001 was dismissed from the inbox: "
                       r"`tracker inbox restore NCT06000001` brings it back"):
        service.accept(["NCT06000001"])  # dismissed: not in the inbox, and how to undo
    with pytest.raises(SavedSearchError, match="not dismissed: NCT06000002"):
        service.restore(["NCT06000002"])
    assert service.restore(["NCT06000001"]) == 1
    assert {i.nct_id for i in service.items()} == {"NCT06000001", "NCT06000002"}
    assert service.dismissed() == ([], [])
    # restored means the search may bring it again; dismissed means it will not
    service.dismiss(["NCT06000002"])
    again = service.check(today=DAY1 + dt.timedelta(days=1))
    assert (again.searches[0].tally.again, again.searches[0].tally.dismissed) == (1, 1)
    assert [i.nct_id for i in service.items()] == ["NCT06000001"]


def test_a_dismissed_study_found_by_another_search_comes_back(service, ctgov_server):
    ctgov_server.put_studies([ven_study("NCT06000001", "2025-01-15")])
    service.check(today=DAY1)
    service.dismiss(["NCT06000001"])
    service.searches.add(SavedSearch(name="CLL", criteria=SearchCriteria(
        condition="chronic lymphocytic leukemia")))
    report = service.check(["CLL"], today=DAY1)
    assert report.searches[0].tally.new == 1
    assert [i.nct_id for i in service.items()] == ["NCT06000001"]
    assert service.dismissed()[0] == []


def test_cli_inbox_dismissed_and_restore(capsys, ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02")])
    run(capsys, "searches", "add", "Ven", "--intervention", "venetoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven":
            run(capsys, "searches", "pause", name)
    run(capsys, "--api-url", ctgov_server.base_url, "searches", "check")
    code, out, _ = run(capsys, "inbox", "dismiss", "NCT06000001")
    assert code == 0 and "tracker inbox restore NCT06000001" in out
    code, out, err = run(capsys, "inbox", "dismissed")
    assert code == 0 and "NCT06000001" in out and "dismissed 20" in out and "Ven" in out
    assert "1 dismissed" in err
    assert json.loads(run(capsys, "inbox", "dismissed", "--json")[1])[0]["nct_id"] == \
        "NCT06000001"
    code, _, err = run(capsys, "inbox", "restore", "NCT06000002")
    assert code == 1 and "not dismissed: NCT06000002" in err
    code, out, _ = run(capsys, "inbox", "restore", "NCT06000001")
    assert code == 0 and "restored 1 study to the inbox" in out
    assert [i["nct_id"] for i in json.loads(run(capsys, "inbox", "--json")[1])] == [
        "NCT06000001"]
    assert "nothing dismissed" in run(capsys, "inbox", "dismissed")[1]
