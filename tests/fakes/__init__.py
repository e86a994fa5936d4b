"""Test doubles that talk over real sockets: the loopback ClinicalTrials.gov API v2 server."""

from tests.fakes.faults import Fault, Injection
from tests.fakes.server import FakeCtgov, LoggedRequest
from tests.fakes.studies import make_study, real_page, real_page_bytes, real_studies

__all__ = [
    "FakeCtgov",
    "Fault",
    "Injection",
    "LoggedRequest",
    "make_study",
    "real_page",
    "real_page_bytes",
    "real_studies",
]
