"""`tracker sync`, `tracker add`, `tracker registry-search` against the loopback server."""

from __future__ import annotations

import json

import pytest

from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tests.unit.test_cli import run


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([
        make_study("NCT02993523", status="COMPLETED", acronym="VIALE-A"),
        make_study("NCT02242942", status="ACTIVE_NOT_RECRUITING", acronym="CLL14"),
    ])
    return ctgov_server.base_url


def test_sync_watchlist_prints_status_changes_and_exit_codes(capsys, api, ctgov_server):
    run(capsys, "watchlist", "create", "AML")
    run(capsys, "watchlist", "add", "AML", "NCT02993523", "NCT02242942")
    code, out, _ = run(capsys, "--api-url", api, "sync", "--watchlist", "AML")
    assert code == 0 and "2 trials checked" in out
    ctgov_server.set_status("NCT02993523", "TERMINATED")
    code, out, _ = run(capsys, "--api-url", api, "sync", "NCT02993523")
    assert code == 0
    assert "changed: NCT02993523 VIALE-A: Completed → Terminated" in out
    _, shown, _ = run(capsys, "show", "NCT02993523", "--json")
    history = json.loads(shown)[0]["status_history"]
    assert [h["new_status"] for h in history] == ["COMPLETED", "TERMINATED"]


def test_sync_with_a_failing_trial_exits_1_and_saves_the_rest(capsys, api, ctgov_server):
    ctgov_server.inject(Fault.MALFORMED_STUDY, times=3, nct_id="NCT02242942")
    code, out, _ = run(capsys, "--api-url", api, "sync", "NCT02993523", "NCT02242942")
    assert code == 1 and "failed: NCT02242942" in out
    _, shown, _ = run(capsys, "show", "NCT02993523", "--json")
    assert json.loads(shown)[0]["status"] == "COMPLETED"


def test_sync_without_network_says_so_and_changes_nothing(capsys, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    run(capsys, "note", "NCT02993523", "keep me")
    code, out, err = run(capsys, "--api-url", "http://127.0.0.1:9/api/v2", "sync",
                         "NCT02993523")
    assert code == 1 and "could not be reached" in err
    _, shown, _ = run(capsys, "show", "NCT02993523", "--json")
    trial = json.loads(shown)[0]
    assert trial["status"] is None and [n["body"] for n in trial["notes"]] == ["keep me"]


def test_sync_with_a_malformed_id_is_a_usage_error(capsys, api):
    code, _, err = run(capsys, "--api-url", api, "sync", "NCT1")
    assert code == 2 and "not an NCT id: NCT1" in err


def test_add_and_registry_search(capsys, api, ctgov_server):
    ctgov_server.put_study(make_study("NCT05555555", acronym="BGB-11417-101",
                                      interventions=("Sonrotoclax",), conditions=("MCL",)))
    code, out, err = run(capsys, "--api-url", api, "registry-search", "sonrotoclax")
    assert code == 0 and "NCT05555555" in out and "1 study of 1" in err
    code, out, _ = run(capsys, "--api-url", api, "add", "NCT05555555")
    assert code == 0 and "added: NCT05555555" in out
    code, out, _ = run(capsys, "--api-url", api, "registry-search", "--intervention",
                       "sonrotoclax")
    assert out.startswith("* NCT05555555")


def test_add_names_every_id_entered(capsys, api, ctgov_server):
    ctgov_server.put_study(make_study("NCT09990001", status="RECRUITING"))
    run(capsys, "note", "NCT02242942", "already here")  # CLL14 is in the library
    code, out, _ = run(capsys, "--api-url", api, "add", "nct09990001", "NCT02242942",
                       "NCT12345678")
    assert ("3 ids entered: 1 added (NCT09990001), 1 already in the library (NCT02242942), "
            "1 not found in the registry (NCT12345678)") in out
    assert "  already in the library: NCT02242942" in out
    assert "  not found in the registry: NCT12345678" in out
    assert code == 1  # an id typed that the registry does not hold is a failure to add it
    code, _out, _ = run(capsys, "--api-url", api, "add", "NCT09990001")
    assert code == 0  # already in the library now: nothing failed


def test_registry_search_says_when_it_skips_a_study_it_cannot_read(capsys, api, ctgov_server):
    ctgov_server.put_studies([make_study("NCT05555555", interventions=("Sonrotoclax",)),
                              make_study("NCT05555556", interventions=("Sonrotoclax",))])
    ctgov_server.inject(Fault.MALFORMED_STUDY, times=1, nct_id="NCT05555556")
    code, out, err = run(capsys, "--api-url", api, "registry-search", "sonrotoclax")
    assert code == 0 and "NCT05555555" in out and "NCT05555556" not in out
    assert "skipped 1 study the registry sent that could not be read" in err


def test_registry_search_names_a_study_without_a_title_by_acronym_or_id(capsys, api,
                                                                          ctgov_server):
    untitled = make_study("NCT05555557", interventions=("Sonrotoclax",))
    del untitled["protocolSection"]["identificationModule"]["briefTitle"]
    acronym_only = make_study("NCT05555558", acronym="SONRO-1", interventions=("Sonrotoclax",))
    del acronym_only["protocolSection"]["identificationModule"]["briefTitle"]
    ctgov_server.put_studies([untitled, acronym_only])
    code, out, err = run(capsys, "--api-url", api, "registry-search", "sonrotoclax")
    assert code == 0 and "Traceback" not in err
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["NCT05555557"].endswith("NCT05555557")
    assert lines["NCT05555558"].endswith("SONRO-1") and "None" not in out
