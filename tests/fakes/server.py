"""A loopback ClinicalTrials.gov API v2 server for tests and benchmarks (127.0.0.1, port 0).

    with FakeCtgov([make_study("NCT04277637")]) as server:
        client = CtgovClient(server.base_url, pace_seconds=0)
        server.inject(Fault.TOO_MANY_REQUESTS, times=2, retry_after=1)

Serves `GET /api/v2/studies` (filter.ids, query.term/cond/intr with AND/OR/NOT/"phrases",
filter.overallStatus, filter.geo distance(), filter.advanced with AREA[StudyFirstPostDate]
RANGE[..], AREA[LastUpdatePostDate]RANGE[..], AREA[Phase] and AREA[StudyType]
(tests/fakes/essie.py), fields as dotted paths, pageSize, pageToken, countTotal, format=json), `GET /api/v2/studies/{id}` (301 for an alias,
404 for an unknown id) and `GET /api/v2/version`. Unknown parameters get a 400 with a text body,
as the real API answers. Every request is logged in `server.requests`.
"""

from __future__ import annotations

import copy
import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, quote, urlsplit

from tests.fakes.faults import (
    MAX_DELAY_SECONDS,
    PAGING_FAULTS,
    Fault,
    FaultQueue,
    Injection,
    Reply,
    fault_reply,
    spoil_reply,
)
from tests.fakes.filters import select_studies
from tests.fakes.query import (
    LIST_PARAMS,
    STUDY_PARAMS,
    check_params,
    make_token,
    page_size,
    query_key,
    read_token,
)
from tests.fakes.studies import (
    nct_id_of,
    next_day,
    normalise_query_id,
    parse_fields,
    project,
    set_last_update,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v2"
API_VERSION = {"apiVersion": "2.0.5", "dataTimestamp": "2025-01-15T09:00:00"}


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the server saw it. `status` is 0 for a dropped connection."""

    method: str
    target: str  # path and query, as sent
    status: int
    bytes_sent: int
    headers: dict[str, str]
    fault: Fault | None
    at: float  # time.monotonic() when the request arrived

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def params(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))


class FakeCtgov:
    """The fake registry. Thread-safe; change its studies while a client is talking to it."""

    def __init__(self, studies: Iterable[dict[str, Any]] = (), *, latency: float = 0.0,
                 max_page_size: int = 1000, max_url_length: int = 8192) -> None:
        self.latency = latency  # seconds added to every answer (benchmarks use 0.1)
        self.max_page_size = max_page_size  # lower it to force nextPageToken paging
        self.max_url_length = max_url_length  # longer request targets get 414
        self._lock = threading.RLock()
        self._studies: dict[str, dict[str, Any]] = {}
        self._aliases: dict[str, str] = {}
        self._faults = FaultQueue()
        self._log: list[LoggedRequest] = []
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None
        self.put_studies(studies)

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeCtgov:
        self._stopping.clear()
        self._httpd = _HttpServer(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self._port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="fake-ctgov", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping answers and close open connections (bounded)."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on (kept after `stop`, when nothing listens there any more)."""
        if self._port is None:
            raise RuntimeError("the fake registry was never started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    # -- studies ------------------------------------------------------------------------------

    def put_study(self, study: dict[str, Any]) -> None:
        """Add or replace a study (a JSON dict shaped like the API's); its aliases resolve."""
        study = copy.deepcopy(study)
        nct_id = nct_id_of(study)
        with self._lock:
            self._studies[nct_id] = study
            self._aliases.pop(nct_id, None)
            for alias in study["protocolSection"]["identificationModule"].get("nctIdAliases", []):
                self._aliases[alias] = nct_id

    def put_studies(self, studies: Iterable[dict[str, Any]]) -> None:
        for study in studies:
            self.put_study(study)

    def remove_study(self, nct_id: str) -> None:
        with self._lock:
            self._studies.pop(nct_id, None)

    def study(self, nct_id: str) -> dict[str, Any]:
        """A copy of the stored study."""
        with self._lock:
            return copy.deepcopy(self._studies[nct_id])

    def study_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._studies)

    def set_status(self, nct_id: str, status: str, last_update: str | None = None,
                   why_stopped: str | None = None) -> None:
        """Change a study's overallStatus; its last-update-posted date moves on (one day by
        default), as the registry's does."""
        with self._lock:
            module = self._studies[nct_id]["protocolSection"]["statusModule"]
            module["overallStatus"] = status
            if why_stopped is not None:
                module["whyStopped"] = why_stopped
            previous = module.get("lastUpdatePostDateStruct", {}).get("date", "2025-01-15")
            set_last_update(module, last_update or next_day(previous))

    def add_alias(self, old_id: str, canonical_id: str) -> None:
        """Make `old_id` an alias of `canonical_id` (a merged registration): the old record
        disappears, `filter.ids` finds the canonical one, `GET /studies/old` answers 301."""
        with self._lock:
            ident = self._studies[canonical_id]["protocolSection"]["identificationModule"]
            aliases = ident.setdefault("nctIdAliases", [])
            if old_id not in aliases:
                aliases.append(old_id)
            self._studies.pop(old_id, None)
            self._aliases[old_id] = canonical_id

    # -- faults and the request log -------------------------------------------------------------

    def inject(self, fault: Fault, times: int = 1, **options: Any) -> Injection:
        """Arm `fault` for the next `times` matching requests (options: see `Injection`)."""
        return self._faults.add(Injection(fault, times, **options))

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def pending_faults(self) -> int:
        return self._faults.pending()

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def _record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(min(seconds, MAX_DELAY_SECONDS))

    # -- answering ------------------------------------------------------------------------------

    def _answer(self, target: str, injection: Injection | None) -> Reply:
        if len(target) > self.max_url_length:
            return Reply.text(414, f"URI Too Long (limit {self.max_url_length} characters)")
        if injection and injection.fault is Fault.REDIRECT_LOOP:
            return Reply.text(302, "", Location=target)
        replaced = fault_reply(injection) if injection else None
        if replaced is not None:
            return replaced
        if injection and injection.fault in PAGING_FAULTS:  # its own tokens mean "first page"
            target = _without_page_token(target)
        reply = self._route(target)
        return spoil_reply(reply, injection) if injection else reply

    def _route(self, target: str) -> Reply:
        parts = urlsplit(target)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        path = parts.path.rstrip("/")
        if path == f"{API_PREFIX}/version":
            return Reply.json(API_VERSION)
        if path == f"{API_PREFIX}/studies":
            return self._list_studies(params)
        if path.startswith(f"{API_PREFIX}/studies/"):
            return self._one_study(path.rsplit("/", 1)[1], params, parts.query)
        return Reply.text(404, f"Not Found: {parts.path}")

    def _list_studies(self, params: dict[str, str]) -> Reply:
        problem = check_params(params, LIST_PARAMS)
        paths = parse_fields(params["fields"]) if "fields" in params else None
        if problem or isinstance(paths, str):
            return Reply.text(400, problem or str(paths))
        size = page_size(params.get("pageSize"))
        if size is None:
            return Reply.text(400, f"pageSize must be a non-negative integer: {params['pageSize']}")
        with self._lock:
            selected = self._select(params)
            if isinstance(selected, str):
                return Reply.text(400, selected)
            offset = read_token(params.get("pageToken"), query_key(params))
            if offset is None:
                return Reply.text(400, "pageToken is invalid or belongs to another query")
            size = min(size, self.max_page_size)
            chosen = [self._studies[i] for i in selected[offset:offset + size]]
            payload: dict[str, Any] = {"studies": [project(s, paths) for s in chosen]}
        if params.get("countTotal") == "true" and "pageToken" not in params:
            payload = {"totalCount": len(selected), **payload}
        if offset + size < len(selected):
            payload["nextPageToken"] = make_token(offset + size, query_key(params))
        return Reply.json(payload)

    def _select(self, params: dict[str, str]) -> list[str] | str:
        selected = sorted(self._studies)
        if "filter.ids" in params:
            wanted = self._resolve_ids(params["filter.ids"])
            if isinstance(wanted, str):
                return wanted
            selected = [i for i in selected if i in wanted]
        return select_studies(self._studies, selected, params)

    def _resolve_ids(self, value: str) -> set[str] | str:
        wanted: set[str] = set()
        for text in value.replace("|", ",").split(","):
            nct_id = normalise_query_id(text)
            if nct_id is None:
                return f"filter.ids: not an NCT id: {text!r}"
            wanted.add(self._aliases.get(nct_id, nct_id))
        return wanted

    def _one_study(self, raw_id: str, params: dict[str, str], query: str) -> Reply:
        nct_id = normalise_query_id(raw_id)
        problem = check_params(params, STUDY_PARAMS)
        paths = parse_fields(params["fields"]) if "fields" in params else None
        if nct_id is None or problem or isinstance(paths, str):
            return Reply.text(400, problem or (str(paths) if isinstance(paths, str) else
                                               f"not an NCT id: {raw_id!r}"))
        with self._lock:
            if nct_id in self._aliases:
                location = f"{API_PREFIX}/studies/{self._aliases[nct_id]}"
                return Reply.text(301, "Moved Permanently",
                                  Location=location + (f"?{query}" if query else ""))
            study = self._studies.get(nct_id)
            payload = project(study, paths) if study is not None else None
        if payload is None:
            return Reply.text(404, f"Study {nct_id} not found")
        return Reply.json(payload)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeCtgov

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (e.g. refusing an oversized answer) is not a server error."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("fake ctgov: %s hung up", client_address)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API
    server_version = "FakeCtgov/1.0"
    timeout = 10  # idle keep-alive connections close themselves
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        # No Nagle: with it, a small answer after a separate header write waits for the
        # client's delayed ACK (~40 ms on Linux), which would flatter small-request clients.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass  # the client went away (timeouts, dropped-connection faults)

    def do_GET(self) -> None:
        fake = self.server.fake
        arrived = time.monotonic()
        fake._pause(fake.latency)
        injection = fake._faults.take(self.path)
        fault = injection.fault if injection else None
        if fault is Fault.DROP_CONNECTION:
            fake._record(self._entry(0, 0, fault, arrived))
            self.close_connection = True
            _shut(self.connection)
            return
        reply = fake._answer(self.path, injection)
        # logged before any delay and before writing, so a client that gave up or has its
        # answer always finds the request in the log
        fake._record(self._entry(reply.status, len(reply.body), fault, arrived))
        if fault is Fault.SLOW:
            fake._pause(injection.delay)
        if fault is Fault.DRIP:
            self._drip(reply, injection.delay)
            return
        self._write(reply)

    def _drip(self, reply: Reply, interval: float) -> None:
        """The head, then the body one byte at a time, `interval` apart, until the client
        goes away or the server stops (each read from the socket returns quickly)."""
        head = f"{self.protocol_version} {reply.status} OK\r\nContent-Type: " \
               f"{reply.content_type}\r\nContent-Length: {len(reply.body)}\r\n\r\n"
        try:
            self.connection.sendall(head.encode("latin-1"))
            for byte in reply.body:
                if self.server.fake._stopping.wait(interval):
                    break
                self.connection.sendall(bytes([byte]))
        except OSError:
            pass
        self.close_connection = True

    def _write(self, reply: Reply) -> None:
        """Status line, headers and body in one buffer and one `sendall`."""
        self.log_request(reply.status)
        phrase = self.responses.get(reply.status, ("",))[0]
        headers = {"Server": self.version_string(), "Date": self.date_time_string(),
                   "Content-Type": reply.content_type, "Content-Length": str(len(reply.body)),
                   **reply.headers}
        head = f"{self.protocol_version} {reply.status} {phrase}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
        try:
            self.connection.sendall(head.encode("latin-1") + reply.body)
        except OSError:
            self.close_connection = True  # the client gave up (read timeout)

    def _entry(self, status: int, sent: int, fault: Fault | None, at: float) -> LoggedRequest:
        return LoggedRequest("GET", self.path, status, sent, dict(self.headers.items()), fault, at)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fake ctgov: " + format, *args)


def _without_page_token(target: str) -> str:
    parts = urlsplit(target)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "pageToken"]
    query = "&".join(f"{k}={quote(v, safe=',')}" for k, v in kept)
    return f"{parts.path}?{query}" if query else parts.path


def _shut(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
