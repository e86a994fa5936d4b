"""The fake registry itself, spoken to with plain `requests`: it must behave like API v2."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from tests.fakes import FakeCtgov, Fault, make_study


@pytest.fixture
def server(ctgov_server: FakeCtgov) -> FakeCtgov:
    ctgov_server.put_studies(make_study(f"NCT0000000{i}") for i in range(1, 6))
    return ctgov_server


def _get(server: FakeCtgov, path: str, **params: str) -> requests.Response:
    return requests.get(f"{server.base_url}{path}", params=params, timeout=5,
                        allow_redirects=False)


def _ids(response: requests.Response) -> list[str]:
    return [s["protocolSection"]["identificationModule"]["nctId"]
            for s in response.json()["studies"]]


def test_fake_answers_version(server):
    response = _get(server, "/version")

    assert response.json()["apiVersion"] == "2.0.5"


def test_fake_filter_ids_accepts_pipes_commas_and_short_ids(server):
    response = _get(server, "/studies", **{"filter.ids": "NCT00000001|nct3,NCT00000009"})

    assert _ids(response) == ["NCT00000001", "NCT00000003"]


def test_fake_filter_ids_rejects_a_bad_id_with_a_text_400(server):
    response = _get(server, "/studies", **{"filter.ids": "NCT1,banana"})

    assert response.status_code == 400
    assert "banana" in response.text


def test_fake_rejects_unknown_parameters(server):
    response = _get(server, "/studies", **{"filter.idz": "NCT00000001"})

    assert response.status_code == 400
    assert "filter.idz" in response.text


def test_fake_returns_only_the_requested_field_paths(server):
    fields = ("protocolSection.identificationModule.nctId,"
              "protocolSection.armsInterventionsModule.interventions.name,hasResults")

    response = _get(server, "/studies", fields=fields, **{"filter.ids": "NCT00000001"})

    assert response.json()["studies"] == [{
        "protocolSection": {
            "identificationModule": {"nctId": "NCT00000001"},
            "armsInterventionsModule": {"interventions": [{"name": "Venetoclax"},
                                                          {"name": "Azacitidine"}]},
        },
        "hasResults": False,
    }]


def test_fake_pages_with_tokens_and_counts_on_the_first_page(server):
    first = _get(server, "/studies", pageSize="2", countTotal="true")
    second = _get(server, "/studies", pageSize="2", pageToken=first.json()["nextPageToken"])
    last = _get(server, "/studies", pageSize="2", pageToken=second.json()["nextPageToken"])

    assert first.json()["totalCount"] == 5
    assert "totalCount" not in second.json()
    assert _ids(first) + _ids(second) + _ids(last) == [f"NCT0000000{i}" for i in range(1, 6)]
    assert "nextPageToken" not in last.json()


def test_fake_refuses_a_page_token_of_another_query(server):
    token = _get(server, "/studies", pageSize="2").json()["nextPageToken"]

    response = _get(server, "/studies", pageSize="2", pageToken=token,
                    **{"query.cond": "leukemia"})

    assert response.status_code == 400


def test_fake_searches_terms_conditions_and_interventions(server):
    server.put_study(make_study("NCT00000099", conditions=("Multiple Myeloma",),
                                interventions=("Teclistamab",), title="MajesTEC-1"))

    assert _ids(_get(server, "/studies", **{"query.term": "majestec"})) == ["NCT00000099"]
    assert _ids(_get(server, "/studies", **{"query.cond": "MYELOMA"})) == ["NCT00000099"]
    assert len(_ids(_get(server, "/studies", **{"query.intr": "venetoclax"}))) == 5


def test_fake_redirects_an_alias_and_404s_an_unknown_id(server):
    server.add_alias("NCT00000001", "NCT00000002")

    moved = _get(server, "/studies/NCT00000001", fields="hasResults")
    missing = _get(server, "/studies/NCT09999999")

    assert moved.status_code == 301
    assert moved.headers["Location"] == "/api/v2/studies/NCT00000002?fields=hasResults"
    assert _ids(_get(server, "/studies", **{"filter.ids": "NCT00000001"})) == ["NCT00000002"]
    assert missing.status_code == 404


def test_fake_set_status_moves_the_last_update_date_on(server):
    server.set_status("NCT00000001", "COMPLETED")

    status = server.study("NCT00000001")["protocolSection"]["statusModule"]
    assert status["overallStatus"] == "COMPLETED"
    assert status["lastUpdatePostDateStruct"]["date"] == "2025-01-16"


def test_fake_adds_latency_to_every_answer(server):
    server.latency = 0.1

    started = time.monotonic()
    _get(server, "/version")

    assert time.monotonic() - started >= 0.1


def test_fake_logs_requests_with_status_bytes_and_headers(server):
    server.inject(Fault.SERVER_ERROR, status=502)

    _get(server, "/version")
    _get(server, "/version")

    first, second = server.requests
    assert (first.status, first.fault, second.status, second.fault) == (
        502, Fault.SERVER_ERROR, 200, None)
    assert second.bytes_sent == len(b'{"apiVersion":"2.0.5","dataTimestamp":"2025-01-15T09:00:00"}')
    assert "python-requests" in second.headers["User-Agent"]
    assert server.pending_faults == 0


def test_fake_stops_promptly_while_a_slow_answer_is_pending():
    server = FakeCtgov().start()
    server.inject(Fault.SLOW, delay=10)
    caller = threading.Thread(target=_swallow, args=(server,), daemon=True)
    caller.start()
    while not server.requests:
        time.sleep(0.01)

    started = time.monotonic()
    server.stop()
    caller.join(timeout=5)

    assert time.monotonic() - started < 2
    assert not caller.is_alive()


def _swallow(server: FakeCtgov) -> None:
    try:
        requests.get(f"{server.base_url}/version", timeout=5)
    except requests.RequestException:
        pass


def test_each_answer_arrives_in_one_write_without_nagle(server):
    """Headers and body in one send (and TCP_NODELAY): a small answer never waits for the
    client's delayed ACK, which would flatter clients that make few requests."""
    import re
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        for _ in range(3):  # keep-alive: every answer on the connection, not just the first
            connection.sendall(b"GET /api/v2/studies/NCT00000001 HTTP/1.1\r\n"
                               b"Host: 127.0.0.1\r\n\r\n")
            data = connection.recv(1 << 20)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            assert head.startswith(b"HTTP/1.1 200 OK") and len(body) == length
