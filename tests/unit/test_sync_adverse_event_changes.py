"""Loopback: a CAR-T trial's adverse events are posted, then revised, between syncs; the
change log, the sync summary and `tracker show` / `tracker changes` carry dated entries."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.demo_safety import AXI, car_t_results
from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study, set_last_update
from tests.unit.test_cli import run
from tracker.domain import Trial
from tracker.services.sync import SyncService

CAR_T = "NCT04000010"
AE_FIELDS = {"adverse_events_posted", "all_cause_mortality", "serious_adverse_events",
             "other_adverse_events", "adverse_event_time_frame"}
CRS_REVISED = (f"serious adverse events revised: Cytokine release syndrome, arm '{AXI}', "
               "28/170 → 30/170")


def _unposted() -> dict:
    return make_study(CAR_T, acronym="ZUMA-7", interventions=("Axicabtagene ciloleucel",),
                      conditions=("Large B-cell Lymphoma",))


def _posted(study: dict) -> dict:
    """The record once the sponsor posts its results (adverse events included)."""
    posted = copy.deepcopy(study)
    status = posted["protocolSection"]["statusModule"]
    status["resultsFirstPostDateStruct"] = {"date": "2026-02-27", "type": "ACTUAL"}
    set_last_update(status, "2026-02-27")
    posted["hasResults"] = True
    posted["resultsSection"] = car_t_results()
    return posted


def _crs_revised(posted: dict) -> dict:
    """The sponsor revises the CAR-T arm's serious CRS count from 28 to 30 of 170."""
    revised = copy.deepcopy(posted)
    events = revised["resultsSection"]["adverseEventsModule"]["seriousEvents"]
    crs = next(e for e in events if e.get("term") == "Cytokine release syndrome")
    crs["stats"][0]["numAffected"] = 30
    set_last_update(revised["protocolSection"]["statusModule"], "2026-11-02")
    return revised


def _ae_changes(library) -> list:
    return [c for c in library.changes.for_trial(CAR_T) if c.field in AE_FIELDS]


@pytest.fixture
def registry():
    with FakeCtgov([_unposted()]) as server:
        yield server


def test_sync_ae_first_posting_then_a_revised_crs_count_are_dated_entries(
        empty_library, registry):
    empty_library.trials.insert([Trial(id=CAR_T, brief_title="ZUMA-7")])
    with fast_client(registry) as client:
        service = SyncService(empty_library, client)
        assert service.sync().ok
        posted = _posted(registry.study(CAR_T))
        registry.put_study(posted)
        assert service.sync().ok
        (first,) = _ae_changes(empty_library)
        assert (first.field, first.significance, first.registry_date) == (
            "adverse_events_posted", "major", "2026-02-27")
        registry.put_study(_crs_revised(posted))
        report = service.sync()
    assert report.ok and report.updated == [CAR_T]
    revised = _ae_changes(empty_library)[1:]
    assert [(c.field, c.significance, c.registry_date) for c in revised] == [
        ("serious_adverse_events", "major", "2026-11-02")]
    assert revised[0].describe() == CRS_REVISED
    assert any(line.startswith("  major:") and CRS_REVISED in line
               for line in report.summary_lines())


def test_sync_ae_an_unchanged_resync_logs_nothing_more(empty_library, registry):
    empty_library.trials.insert([Trial(id=CAR_T, brief_title="ZUMA-7")])
    with fast_client(registry) as client:
        service = SyncService(empty_library, client)
        service.sync()
        registry.put_study(_posted(registry.study(CAR_T)))
        service.sync()
        assert [c.field for c in _ae_changes(empty_library)] == ["adverse_events_posted"]
        logged = empty_library.changes.count()
        assert service.sync().ok
    assert empty_library.changes.count() == logged


def _record(study: dict):
    from tracker.ctgov.parsing import parse_page

    body = json.dumps({"studies": [study]}).encode()
    return parse_page(body, "test", keep_raw=True).records[0]


def _store(library, *studies: dict) -> None:
    from tracker.services.versions import record_registry_version

    seen = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    for study in studies:
        record_registry_version(library, library.trials.get(CAR_T), _record(study), seen)


def _without_results(study: dict, last_update: str) -> dict:
    without = {k: v for k, v in copy.deepcopy(study).items() if k != "resultsSection"}
    set_last_update(without["protocolSection"]["statusModule"], last_update)
    return without


def test_sync_ae_a_version_stored_without_results_is_not_a_withdrawal(empty_library):
    """v2 was stored without its results section (the answer lacked it); v3 carries the same
    adverse events as v1: nothing about adverse events is logged, neither removed nor posted
    again."""
    empty_library.trials.insert([Trial(id=CAR_T, brief_title="ZUMA-7")])
    posted = _posted(_unposted())
    again = copy.deepcopy(posted)
    set_last_update(again["protocolSection"]["statusModule"], "2026-07-01")
    _store(empty_library, _unposted(), posted, _without_results(posted, "2026-06-01"), again)
    assert [c.field for c in _ae_changes(empty_library)] == ["adverse_events_posted"]
    assert empty_library.versions.stats().count == 4


def test_sync_ae_a_revision_made_while_a_version_lacked_results_is_still_logged(
        empty_library):
    empty_library.trials.insert([Trial(id=CAR_T, brief_title="ZUMA-7")])
    posted = _posted(_unposted())
    _store(empty_library, _unposted(), posted, _without_results(posted, "2026-06-01"),
           _crs_revised(posted))
    assert [c.describe() for c in _ae_changes(empty_library)][1:] == [CRS_REVISED]


def test_cli_show_and_changes_list_the_revised_adverse_events(capsys, ctgov_server,
                                                               _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([_unposted()])
    api = ctgov_server.base_url
    assert run(capsys, "--api-url", api, "add", CAR_T)[0] == 0
    posted = _posted(ctgov_server.study(CAR_T))
    ctgov_server.put_study(posted)
    assert run(capsys, "--api-url", api, "sync", CAR_T)[0] == 0
    ctgov_server.put_study(_crs_revised(posted))
    code, out, _ = run(capsys, "--api-url", api, "sync", CAR_T)
    assert code == 0 and CRS_REVISED in out

    _, text, _ = run(capsys, "show", CAR_T)
    history = text.split("Changes (3 registry versions seen):", 1)[1]
    assert f"! {CRS_REVISED} (registry update 2026-11-02)" in history
    assert ("! adverse events posted: 2 arms, 5 serious (+1 without a term) and 1 other "
            "term (time frame: Up to 5 years) (registry update 2026-02-27)") in history
    assert history.index(CRS_REVISED) < history.index("adverse events posted"), "newest first"

    _, out, _ = run(capsys, "changes", "--json")
    by_field = {c["field"]: c for c in json.loads(out)}
    assert by_field["serious_adverse_events"]["description"] == CRS_REVISED
    assert by_field["serious_adverse_events"]["significance"] == "major"
    assert by_field["serious_adverse_events"]["label"] == "serious adverse events"


def test_handout_changes_read_the_revision_as_its_sentence(empty_library):
    from tracker.services.handout_changes import changes_for_handout

    empty_library.trials.insert([Trial(id=CAR_T, brief_title="ZUMA-7")])
    posted = _posted(_unposted())
    _store(empty_library, _unposted(), posted, _crs_revised(posted))
    lines = [c.describe() for c in changes_for_handout(empty_library, [CAR_T], None)[CAR_T]]
    assert f"2026-12-01: {CRS_REVISED} (registry update 2026-11-02)" in lines
    assert ("2026-12-01: adverse events posted: 2 arms, 5 serious (+1 without a term) and "
            "1 other term (time frame: Up to 5 years) (registry update 2026-02-27)") in lines
