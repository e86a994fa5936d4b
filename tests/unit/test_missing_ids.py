"""Ids a batch answer lacks are asked once more, together, in one more filter.ids pass, never
one request each (API v2 searches filter.ids in NCTId and NCTIdAlias, so a single-study
request cannot tell more). Real library file in tmp, loopback API v2 server."""

from __future__ import annotations

import threading

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tests.unit.test_registry_misbehaving import assert_accounted
from tracker.domain import RegistryState, Trial
from tracker.services.registry import RegistryService
from tracker.services.sync import SyncService

KNOWN = ["NCT02242942", "NCT02993523", "NCT03701282"]  # sorted
UNKNOWN = [f"NCT0880{n:04d}" for n in range(30)]
CHUNK = 10


@pytest.fixture
def server(ctgov_server):
    ctgov_server.put_studies([make_study(i, last_update="2024-06-01") for i in KNOWN])
    return ctgov_server


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([Trial(id=i, brief_title=f"Trial {i}")
                                 for i in [*KNOWN, *UNKNOWN]])
    return empty_library


def _batch_requests(server) -> list[list[str]]:
    """The ids of each request; every request must be a filter.ids batch."""
    assert all(r.path == "/api/v2/studies" for r in server.requests), \
        [r.target for r in server.requests]
    return [r.params["filter.ids"].split(",") for r in server.requests]


def test_a_sync_asks_again_for_all_missing_ids_in_one_batch_pass(library, server):
    with fast_client(server, ids_per_request=CHUNK) as client:
        report = SyncService(library, client).sync()
    assert sorted(report.not_found) == UNKNOWN and sorted(report.first_seen) == KNOWN
    assert_accounted(report, [*KNOWN, *UNKNOWN])
    asked = _batch_requests(server)
    assert len(asked) == 4 + 3  # 33 ids in chunks of 10, then the 30 missing ones again
    assert sorted(i for ids in asked[4:] for i in ids) == UNKNOWN
    assert all(library.trials.get(i).registry_state == RegistryState.NOT_FOUND
               for i in UNKNOWN)
    assert report.ok


def test_a_trial_the_registry_dropped_is_asked_again_in_full_after_the_compact_pass(
        library, server):
    with fast_client(server) as client:
        SyncService(library, client).sync(KNOWN)
        server.remove_study("NCT02242942")
        server.clear_log()
        report = SyncService(library, client).sync(KNOWN)
    assert report.not_found == ["NCT02242942"]
    assert sorted(report.unchanged) == ["NCT02993523", "NCT03701282"]
    assert _batch_requests(server) == [KNOWN, ["NCT02242942"]]  # compact, then once in full
    assert "fields=" in server.requests[1].target and "protocolSection" in \
        server.requests[1].params["fields"]
    assert_accounted(report, KNOWN)


def test_a_study_missing_from_a_flaky_first_page_is_found_by_the_second_look(library, server):
    flaky = server.study("NCT03701282")
    server.remove_study("NCT03701282")

    def progress(done: int, total: int) -> None:
        if len(server.requests) == 1:  # after the first answer: the registry has it again
            server.put_study(flaky)

    with fast_client(server) as client:
        report = SyncService(library, client).sync(KNOWN, progress=progress)
    assert sorted(report.first_seen) == KNOWN and report.not_found == [] and report.ok
    assert _batch_requests(server) == [KNOWN, ["NCT03701282"]]
    assert library.trials.get("NCT03701282").status is not None


def test_a_second_answer_holding_another_study_fails_the_trial_instead_of_not_found(
        library, server):
    server.put_study(make_study("NCT09999999"))
    server.inject(Fault.WRONG_STUDY, times=2, nct_id="NCT02242942", answer_id="NCT09999999")
    with fast_client(server) as client:
        report = SyncService(library, client).sync(KNOWN)
    assert report.not_found == []
    assert report.failed["NCT02242942"] == (
        "the registry answered with a different study, NCT09999999, which does not list "
        "NCT02242942 among its earlier ids; the trial was left as it was")
    assert library.trials.get("NCT02242942").registry_state != RegistryState.NOT_FOUND
    assert_accounted(report, KNOWN)


def test_a_cancel_during_the_second_look_leaves_the_rest_not_checked(library, server):
    cancel = threading.Event()
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 1 + 4 + 1:  # the start, 4 first-look chunks, 1 second-look chunk
            cancel.set()

    with fast_client(server, ids_per_request=CHUNK) as client:
        report = SyncService(library, client).sync(progress=progress, cancel=cancel)
    assert report.cancelled  # answers fetched ahead of the cancel are not applied
    assert len(report.not_found) == CHUNK and len(report.not_checked) == 2 * CHUNK
    assert_accounted(report, [*KNOWN, *UNKNOWN])


def test_adding_unknown_ids_takes_two_batch_passes_with_progress_to_the_end(empty_library,
                                                                          server):
    calls: list[tuple[int, int]] = []
    with fast_client(server, ids_per_request=CHUNK) as client:
        report = RegistryService(empty_library, client).add(
            [*KNOWN, *UNKNOWN], progress=lambda done, total: calls.append((done, total)))
    assert sorted(report.added) == KNOWN and sorted(report.not_found) == UNKNOWN
    assert report.settled_count() == report.requested == 33
    asked = _batch_requests(server)
    assert len(asked) == 4 + 3
    assert sorted(i for ids in asked[4:] for i in ids) == UNKNOWN
    assert len(calls) == 1 + len(asked) and calls[-1] == (33, 33)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_adding_through_a_second_answer_with_another_study_fails_that_id(empty_library,
                                                                         server):
    server.inject(Fault.WRONG_STUDY, times=2, nct_id="NCT02242942", answer_id="NCT09999998")
    with fast_client(server) as client:
        report = RegistryService(empty_library, client).add(KNOWN)
    assert sorted(report.added) == ["NCT02993523", "NCT03701282"]
    assert "a different study, NCT09999998, which does not list NCT02242942" in \
        report.failed["NCT02242942"]
    assert not empty_library.trials.exists("NCT09999998")
    assert _batch_requests(server) == [KNOWN, ["NCT02242942"]]


def test_look_up_asks_missing_ids_again_in_one_batch(empty_library, server):
    with fast_client(server, ids_per_request=CHUNK) as client:
        lookup = RegistryService(empty_library, client).look_up([*KNOWN, *UNKNOWN])
    assert sorted(lookup.found) == KNOWN and sorted(lookup.not_found) == UNKNOWN
    assert not lookup.failed
    assert len(_batch_requests(server)) == 4 + 3
    assert empty_library.trials.count() == 0


def test_a_batch_names_the_studies_it_holds_that_answer_none_of_its_ids(server):
    server.put_study(make_study("NCT09999999"))
    with fast_client(server) as client:
        [clean] = client.fetch_records(KNOWN, full=False)
        server.inject(Fault.EXTRA_STUDY, nct_id="NCT01234567")
        [extra] = client.fetch_records(KNOWN, full=False)
        server.inject(Fault.WRONG_STUDY, nct_id="NCT02242942", answer_id="NCT09999999")
        [wrong] = client.fetch_records(KNOWN, full=False)
    assert clean.strangers == () and extra.strangers == ("NCT01234567",)
    assert wrong.strangers == ("NCT09999999",) and wrong.missing_ids == ("NCT02242942",)


def test_the_cli_progress_bar_of_an_add_ends_at_its_total_for_unknown_ids(
        capsys, monkeypatch, server, _isolated_data_dir):
    import json
    import sys

    from tests.unit.test_cli import run

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    assert run(capsys, "list")[0] == 0  # the library exists before stderr plays a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _out, err = run(capsys, "--api-url", server.base_url, "add", *UNKNOWN[:4])
    assert code == 1  # ids the registry lacks were typed in vain
    bars = [part.split("\n")[0] for part in err.split("\r") if part.startswith("adding [")]
    assert bars[0].endswith("] 0/4") and bars[-1].endswith("] 4/4"), bars
    assert len(bars) == 1 + 2  # the start, then one line per batch answer (two passes)


def test_the_reason_names_the_studies_sent_instead():
    from tracker.services.sync_report import answered_instead

    assert answered_instead("NCT00000001", ("NCT00000002", "NCT00000003")) == (
        "the registry answered with other studies (NCT00000002 and NCT00000003), none of "
        "which lists NCT00000001 among its earlier ids; the trial was left as it was")
