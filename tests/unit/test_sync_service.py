"""The sync service against the loopback API v2 server: changes, history, re-keys, faults."""

from __future__ import annotations

import hashlib
import itertools
import threading
import time

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tracker.domain import RegistryState, RegistryStatus, Trial
from tracker.services.sync import SyncService

SOURCE = {"file": "003_71872ca76c80aa24.txt", "locator": "Table 1"}
IDS = ["NCT02435849", "NCT02445248", "NCT03361748"]


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        Trial(id="NCT02435849", acronym="ELIANA", brief_title="Tisagenlecleucel in B-ALL",
              modality="car-t", id_provenance="curator", summary="Our words.",
              outcomes=[{"metric": "ORR", "value": "81%", "source": SOURCE}]),
        Trial(id="NCT02445248", acronym="JULIET", brief_title="Tisagenlecleucel in DLBCL",
              modality="car-t", id_provenance="curator"),
        Trial(id="NCT03361748", acronym="KarMMa", brief_title="Ide-cel in myeloma",
              modality="car-t", id_provenance="curator"),
        Trial(id="LOCAL-VENAZA-CHINA-RW", brief_title="Real-world cohort", id_provenance="local",
              registry_state="no_registry_record"),
    ])
    empty_library.notes.add("NCT02435849", "my precious note")
    empty_library.tags.add("NCT02435849", ["pediatric"])
    empty_library.watchlists.create("CAR-T")
    empty_library.watchlists.add("CAR-T", ["NCT02435849"])
    return empty_library


@pytest.fixture
def server(ctgov_server):
    ctgov_server.put_studies([
        make_study("NCT02435849", status="COMPLETED", acronym="ELIANA", last_update="2024-03-01",
                   interventions=("Tisagenlecleucel",), conditions=("B-cell ALL",)),
        make_study("NCT02445248", status="ACTIVE_NOT_RECRUITING", last_update="2024-05-01"),
        make_study("NCT03361748", status="RECRUITING", last_update="2024-06-01"),
    ])
    return ctgov_server


@pytest.fixture
def sync(library, server):
    client = fast_client(server)

    def run(ids=None, **kwargs):
        return SyncService(library, client).sync(ids, **kwargs)

    yield run
    client.close()


def fingerprint(library) -> str:
    return hashlib.sha256("\n".join(library.database.conn.iterdump()).encode()).hexdigest()


def user_data(library, trial_id: str = "NCT02435849") -> tuple:
    return (
        [(n.body, n.author) for n in library.notes.for_trial(trial_id)],
        library.tags.for_trial(trial_id),
        len(library.watchlists.get("CAR-T").trial_ids),
        [o.value for o in library.trials.get(trial_id).outcomes],
        library.trials.get(trial_id).summary,
    )


def test_first_sync_fills_registry_fields_and_keeps_user_data(library, sync):
    before = user_data(library)
    report = sync()
    assert report.ok and sorted(report.first_seen) == IDS and report.changed == []
    trial = library.trials.get("NCT02435849")
    assert trial.status.value == "COMPLETED" and trial.registry_state == RegistryState.FOUND
    assert trial.last_update_posted == "2024-03-01" and trial.last_synced_at is not None
    assert trial.primary_completion_date.value == "2026-06"
    assert trial.primary_completion_date.is_estimated
    assert trial.acronym == "ELIANA" and trial.modality.value == "car-t"
    assert user_data(library) == before
    local = library.trials.get("LOCAL-VENAZA-CHINA-RW")
    assert local.registry_state == RegistryState.NO_REGISTRY_RECORD  # never asked for


def test_status_change_is_recorded_once(library, server, sync):
    sync()
    server.set_status("NCT02445248", "COMPLETED")
    report = sync()
    assert [(c.trial_id, c.old_status.value, c.new_status.value) for c in report.changed] == [
        ("NCT02445248", "ACTIVE_NOT_RECRUITING", "COMPLETED")]
    history = library.history.for_trial("NCT02445248")
    assert [(h.old_status, h.new_status.value) for h in history] == [
        (None, "ACTIVE_NOT_RECRUITING"), (RegistryStatus.ACTIVE_NOT_RECRUITING, "COMPLETED")]
    again = sync()
    assert again.changed == [] and len(library.history.for_trial("NCT02445248")) == 2
    from tracker.store import TrialQuery
    changed = library.trials.list(TrialQuery(changed_in_last_sync=True))
    assert changed == []  # the last sync changed nothing


def test_unchanged_resync_costs_one_small_request_and_writes_no_data(library, server, sync):
    sync()
    history = [library.history.for_trial(i) for i in IDS]
    trials = [library.trials.get(i).model_copy(update={"last_synced_at": None}) for i in IDS]
    server.clear_log()
    report = sync()
    assert sorted(report.unchanged) == IDS and report.ok
    assert len(server.requests) == 1
    assert "fields=" in server.requests[0].target
    assert [library.history.for_trial(i) for i in IDS] == history
    assert [library.trials.get(i).model_copy(update={"last_synced_at": None})
            for i in IDS] == trials


def test_changed_trial_costs_one_compact_and_one_full_request(library, server, sync):
    sync()
    server.set_status("NCT03361748", "ACTIVE_NOT_RECRUITING")
    server.clear_log()
    sync()
    targets = [r.target for r in server.requests]
    assert len(targets) == 2
    assert "NCT03361748" in targets[1] and "NCT02435849" not in targets[1]


def test_alias_is_rekeyed_keeping_notes_tags_lists(library, server, sync):
    server.put_study(make_study("NCT09999999", status="RECRUITING", acronym="ELIANA-2"))
    server.add_alias("NCT02435849", "NCT09999999")
    before = user_data(library)
    report = sync()
    assert report.rekeyed == [("NCT02435849", "NCT09999999")]
    trial = library.trials.get("NCT09999999")
    assert trial.aliases == ("NCT02435849",)
    assert library.trials.get("NCT02435849").id == "NCT09999999"  # old id still resolves
    assert user_data(library, "NCT09999999") == before
    assert library.watchlists.get("CAR-T").trial_ids == ("NCT09999999",)
    assert library.database.integrity_ok()


def test_unknown_id_is_marked_not_found_never_deleted(library, server, sync):
    server.remove_study("NCT03361748")
    report = sync()
    assert report.not_found == ["NCT03361748"]
    trial = library.trials.get("NCT03361748")
    assert trial.registry_state == RegistryState.NOT_FOUND and trial.acronym == "KarMMa"


def test_sync_of_selected_ids_only_asks_for_those(library, server, sync):
    server.clear_log()
    report = sync(["NCT02445248"])
    assert report.requested == 1
    assert all("NCT02435849" not in r.target for r in server.requests)


def test_progress_is_reported_and_ends_at_total(sync):
    seen = []
    sync(progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_cancel_before_start_changes_nothing(library, sync):
    before = fingerprint(library)
    cancel = threading.Event()
    cancel.set()
    report = sync(cancel=cancel)
    assert report.cancelled and fingerprint(library) == before


# -- faults: what the user sees, and nothing of theirs is lost ---------------------------------

def test_429_with_retry_after_is_honoured_and_sync_succeeds(library, server, sync):
    server.inject(Fault.TOO_MANY_REQUESTS, times=1, retry_after=1)
    report = sync()
    assert report.ok and len(report.first_seen) == 3
    statuses = [r.status for r in server.requests]
    assert statuses[0] == 429 and statuses[1] == 200
    assert server.requests[1].at - server.requests[0].at >= 0.9


def test_short_5xx_burst_is_retried(library, server, sync):
    server.inject(Fault.SERVER_ERROR, times=2, status=502)
    assert sync().ok


@pytest.mark.parametrize(
    "fault,options,words",
    [
        (Fault.SERVER_ERROR, {"times": 10, "status": 503}, "503"),
        (Fault.HTML_PAGE, {}, "HTML"),
        (Fault.TRUNCATED_JSON, {}, "GET "),
        (Fault.GARBAGE, {}, "GET "),
        (Fault.SLOW, {"times": 10, "delay": 2.0}, "could not be reached"),
        (Fault.BAD_REQUEST, {}, "Bad Request: the query could not be parsed"),
    ],
)
def test_a_failed_request_stops_the_sync_with_a_message_and_changes_nothing(
        library, server, sync, fault, options, words):
    before = fingerprint(library)
    kept = user_data(library)
    server.inject(fault, **options)
    report = sync()
    assert report.error and words in report.error
    assert set(report.not_checked) == set(IDS) and report.failed == {}
    assert fingerprint(library) == before and user_data(library) == kept
    assert library.database.integrity_ok()


def test_dropped_connection_is_retried(library, server, sync):
    server.inject(Fault.DROP_CONNECTION, times=1)
    assert sync().ok


def test_one_malformed_study_fails_alone(library, server, sync):
    server.inject(Fault.MALFORMED_STUDY, times=5, nct_id="NCT02445248")
    report = sync()
    assert list(report.failed) == ["NCT02445248"]
    assert "NCT02445248" in report.failed["NCT02445248"]
    assert library.trials.get("NCT02435849").status is not None
    assert library.trials.get("NCT02445248").status is None  # left as it was


def test_dead_network_says_so_and_changes_nothing(library):
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens here now
    from tracker.ctgov import CtgovClient

    client = CtgovClient(f"http://127.0.0.1:{port}/api/v2", pace_seconds=0, max_tries=2,
                         connect_timeout=0.3, read_timeout=0.3, backoff_factor=0.01)
    before = fingerprint(library)
    report = SyncService(library, client).sync()
    client.close()
    assert "could not be reached" in report.error
    assert fingerprint(library) == before


def test_first_sync_of_never_synced_trials_is_one_pass_of_full_records(library, server):
    client = fast_client(server, ids_per_request=2)
    server.clear_log()
    report = SyncService(library, client).sync()
    client.close()
    assert sorted(report.first_seen) == IDS
    targets = [r.target for r in server.requests]
    assert len(targets) == 2  # ceil(3 / 2): no compact pass first
    assert all("documentSection" in target for target in targets)  # whole records


def test_prefetch_hands_over_items_and_errors_and_stops_early():
    from tracker.services.prefetch import prefetched

    def items():
        yield 1
        yield 2
        raise ValueError("registry broke")

    seen = []
    with pytest.raises(ValueError, match="registry broke"):
        for item in prefetched(items()):
            seen.append(item)  # noqa: PERF402 (items before the error)
    assert seen == [1, 2]
    produced = []

    def endless():
        for number in itertools.count():
            produced.append(number)
            yield number

    for item in prefetched(endless()):
        if item == 3:
            break
    import time
    time.sleep(0.2)
    assert len(produced) <= 6  # the producer stopped a step or two after the consumer


def test_a_write_by_another_connection_during_the_first_request_is_not_overwritten(
        library, server):
    """The first batch's trials are read while its request is in flight; another program's
    commit meanwhile (an alias added, a trial removed) makes the batch read them again."""
    from tracker.store import Library

    server.latency = 0.4
    client = fast_client(server)
    result = {}
    syncing = threading.Thread(target=lambda: result.update(
        report=SyncService(library, client).sync()))
    syncing.start()
    threading.Event().wait(0.2)  # the read-ahead is done, the answer not yet there
    other = Library(library.path)
    with other.transaction() as conn:
        conn.execute("UPDATE trials SET aliases = '[\"NCT00000017\"]' WHERE id = ?", (IDS[1],))
        conn.execute("DELETE FROM trials WHERE id = ?", (IDS[2],))
    other.close()
    syncing.join(10)
    client.close()
    report = result["report"]
    assert report.first_seen == [IDS[0], IDS[1]] and report.error is None
    assert library.trials.get(IDS[1]).aliases == ("NCT00000017",)
    assert not library.trials.exists(IDS[2])
    assert library.trials.get(IDS[1]).registry_state == RegistryState.FOUND


def test_the_read_ahead_starts_once_the_first_request_is_written(library, server,
                                                                  monkeypatch):
    """The trials are read while the request is in flight, not while it is being sent (the
    two would take turns with the GIL): the read starts when the transport says the request
    is written (not at the fallback bound, made long here), well before the answer."""
    import tracker.ctgov.transport as transport
    import tracker.services.sync as sync_module

    events = []
    announce, list_trials = transport._announce_sent, type(library.trials).list

    def sent():
        events.append(("sent", time.monotonic()))
        announce()

    def read(self, query=None, with_outcomes=True):
        events.append(("read", time.monotonic()))
        return list_trials(self, query, with_outcomes)

    server.latency = 0.3
    monkeypatch.setattr(sync_module, "_SEND_HEAD_START", 5.0)
    monkeypatch.setattr(transport, "_announce_sent", sent)
    monkeypatch.setattr(type(library.trials), "list", read)
    client = fast_client(server)
    report = SyncService(library, client).sync()
    client.close()
    assert sorted(report.first_seen) == IDS
    assert [name for name, _ in events] == ["sent", "read"]
    assert events[1][1] - events[0][1] < 0.2  # in flight: the answer takes 0.3 s


def test_the_read_ahead_is_used_when_nothing_else_wrote(library, server, monkeypatch):
    """Without another writer the batch applies the trials read during the request (no
    second read inside the transaction)."""
    reads = []
    original = type(library.trials).list

    def counting(self, query=None, with_outcomes=True):
        reads.append(query.ids if query else None)
        return original(self, query, with_outcomes)

    monkeypatch.setattr(type(library.trials), "list", counting)
    client = fast_client(server)
    report = SyncService(library, client).sync()
    client.close()
    assert sorted(report.first_seen) == IDS
    assert [sorted(ids) for ids in reads] == [IDS]
