"""Pytest fixtures for the fake registry.

Register them with `pytest_plugins = ("tests.fakes.fixtures",)` (in the root conftest, or in
a test module). `ctgov_server` is a running, empty `FakeCtgov`; `ctgov_client` is a
`CtgovClient` pointed at it with `FAST_CLIENT_OPTIONS`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.server import FakeCtgov
from tracker.ctgov import CtgovClient


@pytest.fixture
def ctgov_server() -> Iterator[FakeCtgov]:
    with FakeCtgov() as server:
        yield server


@pytest.fixture
def ctgov_client(ctgov_server: FakeCtgov) -> Iterator[CtgovClient]:
    client = fast_client(ctgov_server)
    yield client
    client.close()
