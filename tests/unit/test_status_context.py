"""An UNKNOWN status says what it was last known to be and when it was last verified; an open
status verified over a year ago says when (real records from the registry's sample page)."""

from __future__ import annotations

import datetime as dt
import json

from tests.fakes.clients import fast_client
from tests.fakes.studies import real_studies
from tests.unit.test_cli import run
from tracker.domain import RegistryStatus
from tracker.domain.status_words import status_context, status_with_context, stop_reason
from tracker.services.registry import RegistryService
from tracker.services.sync import SyncService

UNKNOWN_ID = "NCT04175379"  # UNKNOWN, last known ENROLLING_BY_INVITATION, verified 2019-12
STALE_ID = "NCT05531279"  # RECRUITING, verified 2022-09
DONE_ID = "NCT01126879"  # TERMINATED, verified 2019-04: a final status does not go stale
TODAY = dt.date(2026, 12, 3)


def test_status_words():
    assert status_with_context("Unknown", "UNKNOWN", "ENROLLING_BY_INVITATION", "2019-12",
                               TODAY) == ("Unknown (last known: Enrolling by invitation; "
                                          "last verified 2019-12)")
    assert status_with_context("Recruiting", "RECRUITING", None, "2022-09", TODAY) == (
        "Recruiting — last verified 2022-09")
    assert status_context("RECRUITING", None, "2026-01", TODAY) == ""  # recent enough
    assert status_context("TERMINATED", None, "2019-04", TODAY) == ""
    assert status_context("UNKNOWN", None, None, TODAY) == ""
    assert status_context(None, None, "2019-01", TODAY) == ""


def test_added_trials_keep_the_status_context(empty_library, ctgov_server):
    ctgov_server.put_studies(real_studies())
    client = fast_client(ctgov_server)
    try:
        RegistryService(empty_library, client).add([UNKNOWN_ID, STALE_ID])
    finally:
        client.close()
    trial = empty_library.trials.get(UNKNOWN_ID)
    assert trial.status is RegistryStatus.UNKNOWN
    assert trial.last_known_status is RegistryStatus.ENROLLING_BY_INVITATION
    assert trial.status_verified == "2019-12"
    cards = empty_library.cards.all_cards()
    assert cards[UNKNOWN_ID].status_note == ("last known: Enrolling by invitation; last "
                                             "verified 2019-12")
    assert cards[STALE_ID].status_note == "last verified 2022-09"


def test_a_sync_fills_the_context_of_trials_synced_before_it_was_kept(empty_library,
                                                                      ctgov_server):
    ctgov_server.put_studies(real_studies())
    client = fast_client(ctgov_server)
    try:
        RegistryService(empty_library, client).add([UNKNOWN_ID, DONE_ID])
        with empty_library.transaction() as conn:  # as a library synced before migration 12
            conn.execute("UPDATE trials SET last_known_status = NULL, status_verified = NULL")
        SyncService(empty_library, client).sync()
        assert empty_library.trials.get(UNKNOWN_ID).status_verified == "2019-12"
        assert empty_library.trials.get(DONE_ID).status_verified == "2019-04"
        ctgov_server.clear_log()
        report = SyncService(empty_library, client).sync()  # then only the compact check
        assert sorted(report.unchanged) == sorted([UNKNOWN_ID, DONE_ID])
        assert all("protocolSection," not in r.params.get("fields", "") + ","
                   for r in ctgov_server.requests)
    finally:
        client.close()


def test_cli_show_says_unknown_in_context(capsys, ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies(real_studies())
    api = ctgov_server.base_url
    assert run(capsys, "--api-url", api, "add", UNKNOWN_ID, STALE_ID, DONE_ID)[0] == 0
    shown = run(capsys, "show", UNKNOWN_ID)[1]
    assert ("Status:              Unknown (last known: Enrolling by invitation; last verified "
            "2019-12)") in shown
    assert "Recruiting — last verified 2022-09" in run(capsys, "show", STALE_ID)[1]
    done = run(capsys, "show", DONE_ID)[1]
    assert "last verified" not in done and "Status:              Terminated" in done


def test_stop_reason_only_for_a_study_stopped_early():
    assert stop_reason("TERMINATED", "Closed due to low accrual") == "Closed due to low accrual"
    assert stop_reason(RegistryStatus.SUSPENDED, "Safety review") == "Safety review"
    assert stop_reason("WITHDRAWN", "Not funded") == "Not funded"
    assert stop_reason("COMPLETED", "Completed early after the interim analysis") == ""
    assert stop_reason("TERMINATED", None) == ""
    assert stop_reason(None, "Closed") == ""


def test_cards_of_stopped_trials_carry_why_they_stopped(empty_library, ctgov_server):
    ctgov_server.put_studies(real_studies())
    client = fast_client(ctgov_server)
    try:
        RegistryService(empty_library, client).add([DONE_ID, "NCT01511679", STALE_ID])
    finally:
        client.close()
    cards = empty_library.cards.all_cards()
    assert cards[DONE_ID].stop_reason == "Closed due to low accrual"
    assert cards["NCT01511679"].stop_reason == "The project was not funded."  # withdrawn
    assert cards[STALE_ID].stop_reason == ""
