"""Adding trials from the registry and searching it (loopback API v2 server)."""

from __future__ import annotations

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.studies import make_study
from tracker.domain import InvalidTrialIdError, Trial
from tracker.services.registry import RegistryService


@pytest.fixture
def service(empty_library, ctgov_server):
    ctgov_server.put_studies([
        make_study("NCT04277637", status="RECRUITING", acronym="BGB-11417-101",
                   interventions=("Sonrotoclax", "Zanubrutinib"),
                   conditions=("Chronic Lymphocytic Leukemia",)),
        make_study("NCT04623541", status="RECRUITING", acronym="EPCORE CLL-1",
                   interventions=("Epcoritamab",), conditions=("CLL",)),
        make_study("NCT03548207", status="COMPLETED", acronym="CARTITUDE-1",
                   interventions=("Ciltacabtagene autoleucel",), conditions=("Multiple Myeloma",)),
    ])
    empty_library.trials.insert([Trial(id="NCT03548207", acronym="CARTITUDE-1",
                                       modality="car-t")])
    client = fast_client(ctgov_server)
    yield RegistryService(empty_library, client)
    client.close()


def test_add_fetches_and_stores_new_trials_with_a_guessed_modality(service, empty_library):
    report = service.add(["nct04277637", "https://clinicaltrials.gov/study/NCT04623541"])
    assert report.added == ["NCT04277637", "NCT04623541"] and report.ok
    sonro = empty_library.trials.get("NCT04277637")
    assert sonro.modality.value == "bcl2" and sonro.status.value == "RECRUITING"
    assert sonro.id_provenance == "registry" and sonro.acronym == "BGB-11417-101"
    assert empty_library.trials.get("NCT04623541").modality.value == "bispecific"


def test_add_reports_known_and_unknown_ids(service, empty_library):
    report = service.add(["NCT03548207", "NCT00000042"])
    assert report.unchanged == ["NCT03548207"] and report.not_found == ["NCT00000042"]
    assert not empty_library.trials.exists("NCT00000042")


def test_add_validates_every_id_before_any_request(service, ctgov_server):
    ctgov_server.clear_log()
    with pytest.raises(InvalidTrialIdError, match="NCT12"):
        service.add(["NCT04277637", "NCT12"])
    assert ctgov_server.requests == []


def test_search_marks_candidates_already_in_the_library(service):
    candidates, page = service.search_registry("myeloma")
    assert [c.record.nct_id for c in candidates] == ["NCT03548207"]
    assert candidates[0].in_library
    candidates, _ = service.search_registry(intervention="epcoritamab")
    assert [(c.record.nct_id, c.in_library) for c in candidates] == [("NCT04623541", False)]


def test_preview_follows_an_alias(service, ctgov_server):
    ctgov_server.add_alias("NCT01111111", "NCT04277637")
    assert service.preview("NCT01111111").nct_id == "NCT04277637"
