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


def test_add_accounts_for_every_id_entered_by_name(service):
    """One new, one already in the library, one unknown: three entered, each named."""
    report = service.add(["nct04277637", "NCT03548207", "NCT12345678"])
    assert report.requested == 3
    assert (report.added, report.unchanged, report.not_found) == (
        ["NCT04277637"], ["NCT03548207"], ["NCT12345678"])
    headline = report.headline()
    assert headline == ("3 ids entered: 1 added (NCT04277637), 1 already in the library "
                        "(NCT03548207), 1 not found in the registry (NCT12345678)")
    lines = report.summary_lines()
    assert "  added: NCT04277637" in lines
    assert "  already in the library: NCT03548207" in lines
    assert "  not found in the registry: NCT12345678" in lines


def test_add_headline_for_one_id_already_there_is_singular(service):
    report = service.add(["NCT03548207"])
    assert report.headline() == "1 id entered: none added, 1 already in the library (NCT03548207)"


def test_add_through_an_alias_counts_the_id_once(service, ctgov_server):
    ctgov_server.add_alias("NCT01111111", "NCT04277637")
    report = service.add(["NCT01111111", "NCT04623541"])
    assert sorted(report.added) == ["NCT04277637", "NCT04623541"]
    assert report.rekeyed == [("NCT01111111", "NCT04277637")]
    assert report.headline().startswith("2 ids entered: 2 added (")
    assert "NCT04277637 (asked for as NCT01111111)" in report.headline()


def test_look_up_says_found_and_not_found_without_storing(service, empty_library):
    lookup = service.look_up(["NCT04277637", "NCT12345678", "NCT03548207"])
    assert sorted(lookup.found) == ["NCT03548207", "NCT04277637"]
    assert lookup.not_found == ["NCT12345678"] and not lookup.failed
    assert not empty_library.trials.exists("NCT04277637")
