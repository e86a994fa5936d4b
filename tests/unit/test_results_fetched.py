"""Posted results reach the library however a trial arrived: added with `add` (whose batch
answer carries no results), or stored before the library recorded whether a version has them.
A real library file and the loopback registry; requests counted on the server."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tests.fakes.clients import fast_client
from tests.fakes.demo_records import with_demo_results
from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tracker.services.record import load_record
from tracker.services.registry import RegistryService
from tracker.services.sync import SyncService

POSTED, PLAIN = "NCT04100001", "NCT04100002"


def _results_requests(server: FakeCtgov) -> int:
    return sum("resultsSection" in r.params.get("fields", "") for r in server.requests)


def test_add_fetches_the_posted_results_a_record_flags(empty_library):
    with FakeCtgov([with_demo_results(make_study(POSTED)), make_study(PLAIN)]) as server, \
            fast_client(server) as client:
        report = RegistryService(empty_library, client).add([POSTED, PLAIN])
        assert sorted(report.added) == [POSTED, PLAIN] and report.ok
        assert _results_requests(server) == 1  # for the one with results, none for the other
        record = load_record(empty_library, POSTED)
        assert record.results is not None and len(record.results.measures) == 3
        assert load_record(empty_library, PLAIN).results is None
        assert empty_library.versions.trial_ids_lacking_results() == set()
        before = len(server.requests)
        assert SyncService(empty_library, client).sync().unchanged == [POSTED, PLAIN]
        assert _results_requests(server) == 1 and len(server.requests) == before + 1


def test_a_sync_fetches_results_the_latest_version_lacks(empty_library):
    """A trial added by an older version of the app (its version has no results section,
    though the registry flags results), and versions stored before `with_results` existed:
    the next sync asks once, then never again while nothing changes."""
    with FakeCtgov([with_demo_results(make_study(POSTED))]) as server, \
            fast_client(server) as client:
        service = RegistryService(empty_library, client)
        posted = server.study(POSTED)
        server.put_study({k: v for k, v in posted.items() if k != "resultsSection"})
        assert service.add([POSTED]).added == [POSTED]  # the results answer had none
        server.put_study(posted)
        conn = sqlite3.connect(empty_library.path)
        conn.execute("UPDATE record_versions SET with_results = NULL")  # as before upgrade
        conn.commit()
        conn.close()
        assert empty_library.versions.trial_ids_lacking_results() == {POSTED}
        sync = SyncService(empty_library, client)
        assert sync.sync().ok
        assert load_record(empty_library, POSTED).results is not None
        assert empty_library.versions.trial_ids_lacking_results() == set()
        asked = _results_requests(server)
        assert sync.sync().unchanged == [POSTED] and _results_requests(server) == asked


def test_add_keeps_the_newer_record_when_the_results_answer_is_a_stale_copy(empty_library):
    """The answer with results is an older copy (2019, recruiting): it is not stored as the
    trial's latest version (which would log a status going back); the next sync asks again."""
    from tests.fakes.faults import Fault

    study = with_demo_results(make_study(POSTED, status="ACTIVE_NOT_RECRUITING"))
    dated = study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"]
    with FakeCtgov([study]) as server, fast_client(server) as client:
        server.inject(Fault.OLDER_COPY, nct_id=POSTED, path="resultsSection",
                      status_text="RECRUITING", last_update="2019-01-01")
        report = RegistryService(empty_library, client).add([POSTED])
        assert report.added == [POSTED] and report.ok
        assert len(empty_library.versions.for_trial(POSTED)) == 1
        assert empty_library.versions.latest(POSTED)["protocolSection"]["statusModule"][
            "overallStatus"] == "ACTIVE_NOT_RECRUITING"
        assert not [c for c in empty_library.changes.for_trial(POSTED)
                    if c.field == "overall_status" and c.new == "RECRUITING"]
        assert empty_library.versions.trial_ids_lacking_results() == {POSTED}
        SyncService(empty_library, client).sync()  # the registry agrees with itself again
        assert empty_library.versions.trial_ids_lacking_results() == set()
        assert empty_library.trials.get(POSTED).last_update_posted == dated


def test_a_trial_added_by_its_id_has_its_first_status_in_the_history(empty_library):
    """As a sync logs a trial it finds for the first time: the added trial's Changes are
    not empty."""
    with FakeCtgov([make_study(PLAIN, status="RECRUITING")]) as server, \
            fast_client(server) as client:
        assert RegistryService(empty_library, client).add([PLAIN]).added == [PLAIN]
    changes = empty_library.changes.for_trial(PLAIN)
    assert [(c.field, c.new, c.significance.value) for c in changes] == [
        ("overall_status", "RECRUITING", "initial")]


def test_the_record_and_its_results_fetched_after_it_are_one_registry_version(empty_library):
    """`add` stores the record, then the same version with its results: two stored copies
    of one registry version (same last-update date), counted once where a reader sees it."""
    from tracker.services.details import load_details

    with FakeCtgov([with_demo_results(make_study(POSTED))]) as server, \
            fast_client(server) as client:
        RegistryService(empty_library, client).add([POSTED])
    details = load_details(empty_library, POSTED)
    assert len(details.versions) == 2, "the copy with results is kept beside the record"
    assert details.registry_versions == 1
    assert details.versions_seen_text() == "1 registry version seen"


def test_changes_imported_without_a_stored_record_say_so():
    from tracker.domain import Trial
    from tracker.domain.changes import FieldChange
    from tracker.services.details import TrialDetails

    change = FieldChange(trial_id=POSTED, field="overall_status", old="RECRUITING",
                         new="COMPLETED", seen_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
                         significance="major")
    details = TrialDetails(trial=Trial(id=POSTED, brief_title="x"), changes=[change])
    assert details.versions_seen_text() == ("no registry version stored here yet: sync to "
                                            "fetch the record")
    assert TrialDetails(trial=Trial(id=POSTED, brief_title="x")).versions_seen_text() == \
        "0 registry versions seen"
