"""Injected registry faults: what is retried, for how long, and which typed error the user sees."""

from __future__ import annotations

import threading
import time

import pytest

from tests.fakes import FakeCtgov, Fault, make_study
from tests.fakes.clients import fast_client
from tracker.ctgov import (
    ApiRequestError,
    CtgovClient,
    RateLimitedError,
    RegistryUnreachableError,
    ResponseFormatError,
    ServerError,
)
from tracker.domain import TrackerError

IDS = [f"NCT0000000{i}" for i in range(1, 6)]


@pytest.fixture
def server(ctgov_server: FakeCtgov) -> FakeCtgov:
    ctgov_server.put_studies(make_study(nct_id) for nct_id in IDS)
    return ctgov_server


def _fetch(client: CtgovClient) -> list:
    return list(client.fetch_records(IDS, full=False))


def _statuses(server: FakeCtgov) -> list[int]:
    return [entry.status for entry in server.requests]


def test_429_with_retry_after_is_retried_after_the_wait(server):
    server.inject(Fault.TOO_MANY_REQUESTS, times=2, retry_after=0.3)
    client = fast_client(server, backoff_factor=0)

    started = time.monotonic()
    [batch] = _fetch(client)

    assert len(batch.records) == 5
    assert _statuses(server) == [429, 429, 200]
    starts = [entry.at for entry in server.requests]
    assert starts[1] - starts[0] >= 0.28 and starts[2] - starts[1] >= 0.28
    assert time.monotonic() - started >= 0.55
    assert (client.stats.retries, client.stats.requests) == (2, 3)


def test_429_beyond_max_tries_raises_rate_limited(server, ctgov_client):
    server.inject(Fault.TOO_MANY_REQUESTS, times=5, retry_after=0)

    with pytest.raises(RateLimitedError) as caught:
        _fetch(ctgov_client)

    message = str(caught.value)
    assert "429 Too Many Requests" in message
    assert f"GET {server.base_url}/studies?filter.ids=NCT00000001" in message
    assert "after 3 tries" in message
    assert _statuses(server) == [429, 429, 429]


def test_a_huge_retry_after_gives_up_at_once_instead_of_hanging(server, ctgov_client):
    server.inject(Fault.TOO_MANY_REQUESTS, times=1, retry_after=3600)

    started = time.monotonic()
    with pytest.raises(RateLimitedError) as caught:
        ctgov_client.get_study("NCT00000001")

    assert time.monotonic() - started < 1
    assert "Retry-After: 3600" in str(caught.value)
    assert _statuses(server) == [429]


def test_retrying_stops_when_the_retry_time_budget_is_spent(server):
    server.inject(Fault.SERVER_ERROR, times=20, retry_after=0.2)
    client = fast_client(server, max_tries=20, max_retry_seconds=0.5)

    started = time.monotonic()
    with pytest.raises(ServerError):
        client.get_study("NCT00000001")

    assert time.monotonic() - started < 1.5
    assert 2 <= len(server.requests) <= 5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_burst_shorter_than_max_tries_recovers(server, ctgov_client, status):
    server.inject(Fault.SERVER_ERROR, times=2, status=status)

    [batch] = _fetch(ctgov_client)

    assert len(batch.records) == 5
    assert _statuses(server) == [status, status, 200]


def test_a_5xx_burst_longer_than_max_tries_raises_server_error(server, ctgov_client):
    server.inject(Fault.SERVER_ERROR, times=3, status=503)

    with pytest.raises(ServerError) as caught:
        _fetch(ctgov_client)

    assert caught.value.status == 503
    assert "503 Service Unavailable" in str(caught.value)
    assert "after 3 tries" in str(caught.value)
    assert f"{server.base_url}/studies" in str(caught.value)


def test_a_5xx_on_a_later_page_is_retried_and_paging_continues(server, ctgov_client):
    server.max_page_size = 2
    server.inject(Fault.SERVER_ERROR, times=2, path="pageToken")

    batches = _fetch(ctgov_client)

    assert sorted(r.nct_id for b in batches for r in b.records) == IDS
    assert _statuses(server) == [200, 503, 503, 200, 200]


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        (Fault.HTML_PAGE, "an HTML page instead of JSON"),
        (Fault.TRUNCATED_JSON, "JSON that ends early"),
        (Fault.GARBAGE, "a body that is not valid JSON"),
    ],
)
def test_a_200_that_is_not_json_raises_response_format_error(server, ctgov_client, fault,
                                                             problem):
    server.inject(fault)

    with pytest.raises(ResponseFormatError) as caught:
        _fetch(ctgov_client)

    message = str(caught.value)
    assert message.startswith(f"the registry answered GET {server.base_url}/studies?filter.ids=")
    assert problem in message
    assert isinstance(caught.value, TrackerError)
    assert len(server.requests) == 1


def test_a_slow_answer_times_out_after_the_capped_tries(server):
    server.inject(Fault.SLOW, times=5, delay=3)
    client = fast_client(server, read_timeout=0.3, max_tries=2)

    started = time.monotonic()
    with pytest.raises(RegistryUnreachableError) as caught:
        client.get_study("NCT00000001")

    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert 0.55 <= elapsed < 2
    assert message.startswith(f"the registry at {server.base_url} could not be reached: ")
    assert "no answer within the 0.3 s read timeout" in message
    assert "2 tries" in message
    assert [entry.fault for entry in server.requests] == [Fault.SLOW, Fault.SLOW]


def test_one_slow_answer_is_retried(server, ctgov_client):
    server.inject(Fault.SLOW, times=1, delay=2)

    record = ctgov_client.get_study("NCT00000001")

    assert record.nct_id == "NCT00000001"
    assert len(server.requests) == 2


def test_a_dropped_connection_is_retried(server, ctgov_client):
    server.inject(Fault.DROP_CONNECTION, times=2)

    [batch] = _fetch(ctgov_client)

    assert len(batch.records) == 5
    assert _statuses(server) == [0, 0, 200]


def test_connections_dropped_every_time_raise_unreachable(server, ctgov_client):
    server.inject(Fault.DROP_CONNECTION, times=3)

    with pytest.raises(RegistryUnreachableError) as caught:
        ctgov_client.get_study("NCT00000001")

    assert "the connection was closed before an answer arrived" in str(caught.value)


def test_a_malformed_study_fails_alone_and_the_batch_survives(server, ctgov_client):
    server.inject(Fault.MALFORMED_STUDY, nct_id="NCT00000003")

    [batch] = _fetch(ctgov_client)

    assert [r.nct_id for r in batch.records] == ["NCT00000001", "NCT00000002", "NCT00000004",
                                                 "NCT00000005"]
    [failure] = batch.failures
    assert failure.nct_id == "NCT00000003"
    assert str(failure).startswith("NCT00000003: the registry record is malformed: ")
    assert "enrollmentInfo.count" in str(failure)
    assert batch.missing_ids == ()  # a malformed study is not an unknown one


def test_a_400_surfaces_the_registry_text_and_is_not_retried(server, ctgov_client):
    server.inject(Fault.BAD_REQUEST, body="Unknown field 'protocolSection.fooModule'")

    with pytest.raises(ApiRequestError) as caught:
        _fetch(ctgov_client)

    assert caught.value.status == 400
    assert "Unknown field 'protocolSection.fooModule'" in str(caught.value)
    assert f"{server.base_url}/studies" in str(caught.value)
    assert len(server.requests) == 1


def test_cancel_cuts_short_a_retry_after_wait(server):
    server.inject(Fault.TOO_MANY_REQUESTS, times=1, retry_after=4)
    client = fast_client(server, max_retry_seconds=10, ids_per_request=2)
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()

    started = time.monotonic()
    batches = list(client.fetch_records(IDS, full=False, cancel=cancel))

    assert time.monotonic() - started < 2
    assert len(batches) == 1  # the retried page arrives; no further chunk is asked for
    assert _statuses(server) == [429, 200]


def test_a_registry_text_with_line_breaks_is_said_on_one_line(server, ctgov_client):
    """A hostile registry's 400 text printed a forged second line on stderr."""
    server.inject(Fault.BAD_REQUEST, body="Bad query\ntracker: sync complete: 0 failed\n\n\nok")
    with pytest.raises(ApiRequestError) as caught:
        _fetch(ctgov_client)
    assert "\n" not in str(caught.value)
    assert str(caught.value).endswith("(400): Bad query tracker: sync complete: 0 failed ok")


def test_a_404_for_a_list_request_asks_whether_the_address_is_the_apis(server):
    """`--api-url http://host:port/` (no /api/v2): the registry answers 404 for /studies."""
    client = CtgovClient(server.base_url.removesuffix("/api/v2"), pace_seconds=0)
    try:
        with pytest.raises(ApiRequestError) as caught:
            _fetch(client)
    finally:
        client.close()
    assert caught.value.status == 404
    assert "is the registry address right? ClinicalTrials.gov's API v2 address ends in " \
        "/api/v2" in str(caught.value)


@pytest.mark.parametrize(("fault", "said"), [
    (Fault.REDIRECT_LOOP, "redirects that never end (more than 30)"),
    (Fault.REDIRECT_TO_FILE, "a redirect to an address that is not a web address"),
    (Fault.FALSE_GZIP, "a body that does not match its Content-Encoding header"),
])
def test_a_registry_that_answered_wrongly_is_not_called_unreachable(server, ctgov_client, fault,
                                                                     said):
    """'could not be reached … check your network' sent users after their network when the
    registry had answered, with a redirect loop, a redirect to file:///etc/passwd or a body
    its headers lie about (a hostile-input review)."""
    server.inject(fault, times=100)
    with pytest.raises(ResponseFormatError) as caught:
        _fetch(ctgov_client)
    assert said in str(caught.value) and "could not be reached" not in str(caught.value)
    assert "/etc/passwd" not in str(caught.value)
