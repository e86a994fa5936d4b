"""CtgovClient against the loopback API v2 server: batching, paging, fields, aliases, search."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from tests.fakes import FakeCtgov, make_study, real_studies
from tests.fakes.clients import FAST_CLIENT_OPTIONS, fast_client
from tracker import __version__
from tracker.ctgov import (
    DEFAULT_USER_AGENT,
    CtgovClient,
    RegistryUnreachableError,
    StudyNotFoundError,
)
from tracker.ctgov.client import URL_BUDGET
from tracker.domain import InvalidTrialIdError, RegistryStatus


def fast_client_for(client, **overrides):
    return CtgovClient(client.base_url, **{**FAST_CLIENT_OPTIONS, **overrides})


def _ids(count: int, first: int = 10_000_000) -> list[str]:
    return [f"NCT{first + i:08d}" for i in range(count)]


def _serve(server: FakeCtgov, ids: list[str]) -> None:
    server.put_studies(make_study(nct_id) for nct_id in ids)


def test_fetch_records_fills_each_request_up_to_the_url_budget(ctgov_server, ctgov_client):
    ids = _ids(1000)
    _serve(ctgov_server, ids)

    batches = list(ctgov_client.fetch_records(ids, full=False))

    per_request = ctgov_client.ids_per_chunk(False)
    assert 400 <= per_request <= 500
    assert [len(b.requested_ids) for b in batches] == [per_request, per_request,
                                                       1000 - 2 * per_request]
    assert sorted(r.nct_id for b in batches for r in b.records) == ids
    assert len(ctgov_server.requests) == 3
    targets = [len(r.target) for r in ctgov_server.requests]
    assert max(targets) <= URL_BUDGET and max(targets) > URL_BUDGET - 20
    assert all(b.final_page and b.missing_ids == () for b in batches)
    assert ctgov_client.stats.requests == 3


def test_ids_per_request_follow_the_field_list_within_the_same_budget(ctgov_client):
    # whole records name three sections, a shorter `fields` than the compact dotted paths
    assert ctgov_client.ids_per_chunk(True) > ctgov_client.ids_per_chunk(False)
    assert ctgov_client.ids_per_chunk(True, results=True) == 20  # results pages are large
    capped = fast_client_for(ctgov_client, ids_per_request=200)
    assert capped.ids_per_chunk(True) == capped.ids_per_chunk(False) == 200
    capped.close()


def test_fetch_records_follows_next_page_tokens(ctgov_server):
    ids = _ids(250)
    _serve(ctgov_server, ids)
    ctgov_server.max_page_size = 80
    client = fast_client(ctgov_server, ids_per_request=200)

    batches = list(client.fetch_records(ids, full=False))
    client.close()

    # chunk 1 (200 ids) takes 3 pages of <= 80, chunk 2 (50 ids) one page
    assert [len(b.records) for b in batches] == [80, 80, 40, 50]
    assert [b.final_page for b in batches] == [False, False, True, True]
    assert batches[0].requested_ids == batches[2].requested_ids == tuple(ids[:200])
    tokens = [r.params.get("pageToken") for r in ctgov_server.requests]
    assert tokens[0] is None and tokens[1] and tokens[2] and tokens[3] is None
    assert sorted(r.nct_id for b in batches for r in b.records) == ids


def test_fetch_records_compact_asks_for_fewer_fields_than_full(ctgov_server, ctgov_client):
    ids = _ids(20)
    _serve(ctgov_server, ids)

    compact = [r for b in ctgov_client.fetch_records(ids, full=False) for r in b.records]
    full = [r for b in ctgov_client.fetch_records(ids, full=True) for r in b.records]

    compact_request, full_request = ctgov_server.requests
    assert len(compact_request.params["fields"].split(",")) == 12  # with the status context
    assert full_request.params["fields"] == "protocolSection,documentSection,hasResults"
    assert compact_request.bytes_sent < full_request.bytes_sent
    assert compact[0].raw is None
    assert full[0].raw["protocolSection"]["identificationModule"]["nctId"] == full[0].nct_id
    assert "derivedSection" not in full[0].raw
    assert compact[0].status is RegistryStatus.RECRUITING
    assert compact[0].last_update_posted == "2025-01-15"
    assert compact[0].start_date.value == "2023-01"
    assert compact[0].enrollment == 120
    assert (compact[0].brief_title, compact[0].conditions, compact[0].sponsor) == (None, (), None)
    assert full[0].brief_title == "Venetoclax and Azacitidine in Acute Myeloid Leukemia"
    assert full[0].conditions == ("Acute Myeloid Leukemia",)
    assert full[0].interventions == ("Venetoclax", "Azacitidine")
    assert full[0].sponsor == "AbbVie"


def test_fetch_records_parses_the_ten_real_studies_served_over_http(ctgov_server,
                                                                       ctgov_client):
    ctgov_server.put_studies(real_studies())
    ids = ctgov_server.study_ids()

    [batch] = ctgov_client.fetch_records(ids, full=True)

    assert batch.failures == []
    assert sorted(r.nct_id for r in batch.records) == ids
    record = {r.nct_id: r for r in batch.records}["NCT00517179"]
    assert (record.start_date.value, record.start_date.kind) == ("2006-04", None)


def test_fetch_records_lists_unknown_ids_as_missing(ctgov_server, ctgov_client):
    _serve(ctgov_server, ["NCT00000001"])

    [batch] = ctgov_client.fetch_records(["NCT00000001", "NCT09999999"], full=False)

    assert [r.nct_id for r in batch.records] == ["NCT00000001"]
    assert batch.missing_ids == ("NCT09999999",)


def test_fetch_records_returns_the_canonical_record_for_an_alias(ctgov_server, ctgov_client):
    _serve(ctgov_server, ["NCT00000001", "NCT00000002"])
    ctgov_server.add_alias("NCT00000001", "NCT00000002")

    [batch] = ctgov_client.fetch_records(["nct 00000001"], full=False)

    [record] = batch.records
    assert record.nct_id == "NCT00000002"
    assert record.aliases == ("NCT00000001",)
    assert batch.missing_ids == ()


def test_fetch_records_normalises_ids_and_drops_duplicates(ctgov_server, ctgov_client):
    _serve(ctgov_server, ["NCT00000001"])

    batches = list(ctgov_client.fetch_records(["nct00000001", "NCT00000001 "], full=False))

    assert [b.requested_ids for b in batches] == [("NCT00000001",)]
    assert ctgov_server.requests[0].params["filter.ids"] == "NCT00000001"


def test_fetch_records_rejects_a_bad_id_before_any_request(ctgov_server, ctgov_client):
    with pytest.raises(InvalidTrialIdError):
        list(ctgov_client.fetch_records(["NCT00000001", "not-an-id"], full=False))

    assert ctgov_server.requests == []


def test_fetch_records_with_no_ids_sends_nothing(ctgov_server, ctgov_client):
    assert list(ctgov_client.fetch_records([], full=True)) == []
    assert ctgov_server.requests == []


def test_fetch_records_splits_a_chunk_the_server_finds_too_long(ctgov_server, ctgov_client):
    ids = _ids(800)
    _serve(ctgov_server, ids)
    ctgov_server.max_url_length = 4000  # ~290 ids fit, the client's budget says ~460
    first = ctgov_client.ids_per_chunk(False)

    batches = list(ctgov_client.fetch_records(ids, full=False))

    statuses = [r.status for r in ctgov_server.requests]
    half = first // 2
    assert statuses == [414, 200, 200, 200, 200]  # the halved size is kept for later chunks
    assert [len(b.requested_ids) for b in batches] == [half, half, half, 800 - 3 * half]
    assert sorted(r.nct_id for b in batches for r in b.records) == ids
    assert ctgov_client.ids_per_chunk(False) == half


def test_fetch_records_stops_between_requests_when_cancelled(ctgov_server):
    ids = _ids(10)
    _serve(ctgov_server, ids)
    cancel = threading.Event()
    client = fast_client(ctgov_server, ids_per_request=3)

    seen = []
    for batch in client.fetch_records(ids, full=False, cancel=cancel):
        seen.append(batch)
        cancel.set()

    assert len(seen) == 1
    assert len(ctgov_server.requests) == 1
    client.close()


def test_fetch_records_sends_nothing_when_cancelled_before_start(ctgov_server, ctgov_client):
    _serve(ctgov_server, ["NCT00000001"])
    cancel = threading.Event()
    cancel.set()

    assert list(ctgov_client.fetch_records(["NCT00000001"], full=False, cancel=cancel)) == []
    assert ctgov_server.requests == []


def test_get_study_follows_the_301_of_an_alias_to_the_canonical_record(ctgov_server,
                                                                        ctgov_client):
    _serve(ctgov_server, ["NCT00000002"])
    ctgov_server.add_alias("NCT00000001", "NCT00000002")

    record = ctgov_client.get_study("NCT00000001")

    assert record.nct_id == "NCT00000002"
    assert record.brief_title  # the redirect kept the full field set
    assert [(r.path, r.status) for r in ctgov_server.requests] == [
        ("/api/v2/studies/NCT00000001", 301), ("/api/v2/studies/NCT00000002", 200)]


def test_get_study_raises_not_found_for_an_unknown_id(ctgov_server, ctgov_client):
    with pytest.raises(StudyNotFoundError) as caught:
        ctgov_client.get_study("NCT09999999")

    assert caught.value.nct_id == "NCT09999999"
    assert str(caught.value).startswith("NCT09999999 was not found in the registry")


def test_search_pages_through_results_with_a_total(ctgov_server, ctgov_client):
    _serve(ctgov_server, _ids(7))
    ctgov_server.put_study(make_study("NCT00000099", conditions=("Multiple Myeloma",),
                                      interventions=("Teclistamab",)))

    first = ctgov_client.search("venetoclax", page_size=5)
    second = ctgov_client.search("venetoclax", page_size=5, page_token=first.next_page_token)

    assert (len(first.records), first.total_count) == (5, 7)
    assert (len(second.records), second.next_page_token) == (2, None)
    assert first.records[0].brief_title  # search results carry the full field set
    assert ctgov_server.requests[0].params["countTotal"] == "true"
    assert "countTotal" not in ctgov_server.requests[1].params


def test_search_by_condition_and_intervention(ctgov_server, ctgov_client):
    _serve(ctgov_server, _ids(3))
    ctgov_server.put_study(make_study("NCT00000099", conditions=("Multiple Myeloma",),
                                      interventions=("Teclistamab",)))

    page = ctgov_client.search(condition="myeloma", intervention="teclistamab")

    assert [r.nct_id for r in page.records] == ["NCT00000099"]
    assert ctgov_server.requests[0].params["query.cond"] == "myeloma"
    assert ctgov_server.requests[0].params["query.intr"] == "teclistamab"


def test_search_needs_some_query(ctgov_client):
    with pytest.raises(ValueError, match="needs text"):
        ctgov_client.search("   ")


def test_client_sends_its_user_agent(ctgov_server, ctgov_client):
    _serve(ctgov_server, ["NCT00000001"])

    ctgov_client.get_study("NCT00000001")
    with fast_client(ctgov_server, user_agent="bench/1.0") as custom:
        custom.get_study("NCT00000001")

    agents = [r.headers["User-Agent"] for r in ctgov_server.requests]
    assert agents == [f"TrialTracker/{__version__} (+desktop app)", "bench/1.0"]
    assert DEFAULT_USER_AGENT == agents[0]


def test_client_keeps_its_pace_between_request_starts(ctgov_server):
    _serve(ctgov_server, ["NCT00000001"])

    with fast_client(ctgov_server, pace_seconds=0.15) as client:
        for _ in range(3):
            client.get_study("NCT00000001")

    starts = [r.at for r in ctgov_server.requests]
    assert all(later - earlier >= 0.14 for earlier, later in itertools.pairwise(starts))


def test_client_counts_requests_and_bytes(ctgov_server, ctgov_client):
    _serve(ctgov_server, _ids(5))

    list(ctgov_client.fetch_records(_ids(5), full=True))

    assert ctgov_client.stats.requests == 1
    assert ctgov_client.stats.bytes_received == ctgov_server.requests[0].bytes_sent > 0


def test_client_reports_an_unreachable_registry_when_nothing_listens():
    with FakeCtgov() as server:
        base_url = server.base_url
    client = CtgovClient(base_url, pace_seconds=0, max_tries=2, backoff_factor=0.01,
                         connect_timeout=0.5)

    started = time.monotonic()
    with pytest.raises(RegistryUnreachableError) as caught:
        client.get_study("NCT00000001")

    message = str(caught.value)
    assert message.startswith(f"the registry at {base_url} could not be reached: ")
    assert "refused" in message
    assert "NCT00000001" in message
    assert time.monotonic() - started < 2


def test_on_sent_is_called_once_each_request_is_written_before_its_answer(ctgov_server,
                                                                          ctgov_client):
    ids = _ids(3)
    _serve(ctgov_server, ids)
    ctgov_server.latency = 0.3
    sent: list[tuple[float, str]] = []
    answered: list[float] = []

    def on_sent():
        sent.append((time.monotonic(), threading.current_thread().name))

    for _ in ctgov_client.fetch_records(ids, full=True, on_sent=on_sent):
        answered.append(time.monotonic())

    assert len(sent) == len(answered) == len(ctgov_server.requests) == 1
    assert sent[0][1] == threading.current_thread().name  # called on the fetching thread
    assert answered[0] - sent[0][0] >= 0.25  # while the answer was still on its way
    # and never for a later request that does not ask for it
    list(ctgov_client.fetch_records(ids, full=False))
    assert len(sent) == 1
