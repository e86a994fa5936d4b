"""Parsing API v2 bodies into RegistryRecords: the real sample page, odd shapes, bad bodies."""

from __future__ import annotations

import json

import pytest

from tests.fakes import make_study, real_page, real_page_bytes
from tracker.ctgov import (
    RegistryRecord,
    ResponseFormatError,
    StudyFormatError,
    apply_record,
    trial_from_record,
)
from tracker.ctgov.parsing import parse_page, parse_study
from tracker.domain import DateKind, Phase, RegistryState, RegistryStatus, Trial
from tracker.domain.enums import phase_label

REQUEST = "GET http://registry.test/api/v2/studies?filter.ids=NCT05531279"


def _page(*studies: dict, **extra: object) -> bytes:
    return json.dumps({"studies": list(studies), **extra}).encode()


def _by_id(records: list[RegistryRecord]) -> dict[str, RegistryRecord]:
    return {record.nct_id: record for record in records}


def test_parse_page_reads_all_ten_real_records():
    page = parse_page(real_page_bytes(), REQUEST, "application/json")

    assert page.failures == []
    assert len(page.records) == 10
    assert page.next_page_token == "KV165pePlfg"
    assert page.total_count is None


def test_parse_page_maps_a_real_record_field_by_field():
    record = _by_id(parse_page(real_page_bytes(), REQUEST).records)["NCT05531279"]

    assert record.brief_title.startswith("A Study of PEG-rhG-CSF and rhG-CSF")
    assert record.official_title.startswith("A Randomized,Open-label Dose-discovery Study")
    assert record.brief_summary.startswith("This study was a single-center")
    assert record.conditions == ("Severe Aplastic Anemia",)
    assert record.interventions == ("PEG-rhG-CSF",)
    assert record.phases == (Phase.NA,)
    assert record.status is RegistryStatus.RECRUITING
    assert (record.start_date.value, record.start_date.kind) == ("2022-06-05", DateKind.ACTUAL)
    assert record.primary_completion_date.value == "2025-06-05"
    assert record.primary_completion_date.kind is DateKind.ESTIMATED
    assert (record.enrollment, record.enrollment_kind) == (45, "ESTIMATED")
    assert record.sponsor == "Institute of Hematology & Blood Diseases Hospital, China"
    assert record.has_results is False
    assert record.last_update_posted == "2022-09-26"


def test_parse_page_keeps_partial_dates_partial_and_untyped_dates_untyped():
    records = _by_id(parse_page(real_page_bytes(), REQUEST).records)

    old = records["NCT00517179"]  # startDateStruct {"date": "2006-04"} with no type
    assert old.start_date.value == "2006-04"
    assert old.start_date.precision == "month"
    assert old.start_date.kind is None
    assert old.primary_completion_date is None  # the struct is absent
    assert records["NCT06714279"].start_date.display() == "2025-01 (est.)"


def test_parse_page_reads_why_stopped_acronym_results_and_zero_enrollment():
    records = _by_id(parse_page(real_page_bytes(), REQUEST).records)

    withdrawn = records["NCT01511679"]
    assert withdrawn.status is RegistryStatus.WITHDRAWN
    assert withdrawn.why_stopped == "The project was not funded."
    assert withdrawn.acronym == "BANC"
    assert withdrawn.enrollment == 0
    assert withdrawn.interventions == ()  # the module has arm groups but no interventions
    assert records["NCT01126879"].has_results is True
    assert records["NCT01126879"].phases == (Phase.PHASE2,)
    assert records["NCT05600179"].phases == ()  # observational: designModule has no phases


def test_parse_page_tolerates_missing_modules():
    study = real_page()["studies"][0]
    for module in ("statusModule", "designModule", "descriptionModule",
                   "armsInterventionsModule", "sponsorCollaboratorsModule", "conditionsModule"):
        del study["protocolSection"][module]
    del study["hasResults"]

    page = parse_page(_page(study), REQUEST)

    record = page.records[0]
    assert page.failures == []
    assert record.nct_id == "NCT05013879"
    assert (record.status, record.start_date, record.enrollment, record.sponsor) == (
        None, None, None, None)
    assert (record.phases, record.conditions, record.interventions) == ((), (), ())
    assert record.has_results is None


def test_parse_page_ignores_unknown_fields():
    study = make_study("NCT04277637")
    study["annotationSection"] = {"futureModule": {"anything": [1, 2, 3]}}
    study["protocolSection"]["statusModule"]["newStatusFlag"] = {"nested": True}
    study["protocolSection"]["identificationModule"]["extra"] = 5

    page = parse_page(_page(study, futureEnvelopeKey="x"), REQUEST)

    assert page.failures == []
    assert page.records[0].nct_id == "NCT04277637"


def test_parse_page_reports_one_malformed_study_and_keeps_the_others():
    bad = make_study("NCT00000002")
    bad["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "lots"

    page = parse_page(_page(make_study("NCT00000001"), bad, make_study("NCT00000003")), REQUEST)

    assert [r.nct_id for r in page.records] == ["NCT00000001", "NCT00000003"]
    [failure] = page.failures
    assert failure.nct_id == "NCT00000002"
    assert "NCT00000002" in str(failure)
    assert "enrollmentInfo.count" in str(failure)
    assert "'lots'" in str(failure)
    assert REQUEST in str(failure)


def test_parse_page_reports_an_invalid_partial_date_as_a_study_failure():
    bad = make_study("NCT00000002", start=("2023-13", "ACTUAL"))

    page = parse_page(_page(make_study("NCT00000001"), bad), REQUEST)

    assert [r.nct_id for r in page.records] == ["NCT00000001"]
    assert page.failures[0].nct_id == "NCT00000002"
    assert "2023-13" in str(page.failures[0])


@pytest.mark.parametrize("keep_raw", [True, False])
def test_an_impossible_last_update_date_fails_that_study_only(keep_raw):
    bad = make_study("NCT00000002", last_update="2099-13-45")

    page = parse_page(_page(make_study("NCT00000001"), bad), REQUEST, keep_raw=keep_raw)

    assert [r.nct_id for r in page.records] == ["NCT00000001"]
    assert page.failures[0].nct_id == "NCT00000002" and "2099-13-45" in str(page.failures[0])


def test_parse_page_names_the_position_of_a_study_without_an_id():
    anonymous = make_study("NCT00000002")
    del anonymous["protocolSection"]["identificationModule"]["nctId"]

    page = parse_page(_page(make_study("NCT00000001"), anonymous, "not a study"), REQUEST)

    assert [r.nct_id for r in page.records] == ["NCT00000001"]
    assert [f.nct_id for f in page.failures] == [None, None]
    assert str(page.failures[0]).startswith("study #2: ")
    assert "no nctId" in str(page.failures[0])
    assert str(page.failures[1]).startswith("study #3: ")


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<!DOCTYPE html><title>Down for maintenance</title>", "text/html",
         'an HTML page instead of JSON ("Down for maintenance")'),
        (b'{"studies": [{"protocolSection": {"identific', "application/json",
         "JSON that ends early (cut off after 44 bytes)"),
        (b"\x00\xff\xfe garbage", "application/json", "a body that is not valid JSON"),
        (b"", "application/json", "an empty body instead of JSON"),
        (b'{"nextPageToken": "x"}', "application/json", "JSON that is not a page of studies"),
        (b"[1, 2]", "application/json", "JSON that is not a page of studies"),
    ],
)
def test_parse_page_rejects_bodies_that_are_not_a_page(body, content_type, expected):
    with pytest.raises(ResponseFormatError) as caught:
        parse_page(body, REQUEST, content_type)

    assert expected in str(caught.value)
    assert REQUEST in str(caught.value)


def test_parse_study_raises_a_study_error_naming_the_trial():
    bad = make_study("NCT04277637", phases=("phase 9?",))  # not a code at all

    with pytest.raises(StudyFormatError) as caught:
        parse_study(json.dumps(bad).encode(), REQUEST)

    assert caught.value.nct_id == "NCT04277637"
    assert "phases" in str(caught.value)


def test_parse_study_maps_a_full_study():
    study = make_study("NCT04277637", acronym="VIALE-A", aliases=("NCT01000001",),
                       phases=("PHASE1", "PHASE2"), why_stopped=None)

    record = parse_study(json.dumps(study).encode(), REQUEST)

    assert record.acronym == "VIALE-A"
    assert record.aliases == ("NCT01000001",)
    assert record.all_ids == ("NCT04277637", "NCT01000001")
    assert record.phases == (Phase.PHASE1, Phase.PHASE2)
    assert record.interventions == ("Venetoclax", "Azacitidine")


def test_trial_from_record_builds_a_registry_trial():
    record = parse_study(json.dumps(make_study("NCT04277637", acronym="VIALE-A")).encode(),
                         REQUEST)

    trial = trial_from_record(record)

    assert trial.id == "NCT04277637"
    assert trial.acronym == "VIALE-A"
    assert trial.registry_state is RegistryState.FOUND
    assert trial.status is RegistryStatus.RECRUITING
    assert trial.interventions == ("Venetoclax", "Azacitidine")


def test_apply_record_compact_changes_only_compact_registry_fields():
    trial = Trial(id="NCT04277637", aliases=("NCT00000009",), brief_title="Curated title",
                  summary="Curated summary", drugs=("venetoclax",), acronym="VIALE-A",
                  status=RegistryStatus.RECRUITING)
    compact = RegistryRecord(nct_id="NCT04277637", aliases=("NCT00000008",),
                             status=RegistryStatus.COMPLETED, last_update_posted="2025-02-01")

    updated = apply_record(trial, compact, full=False)

    assert updated.status is RegistryStatus.COMPLETED
    assert updated.last_update_posted == "2025-02-01"
    assert updated.aliases == ("NCT00000008", "NCT00000009")
    assert (updated.brief_title, updated.summary, updated.drugs, updated.acronym) == (
        "Curated title", "Curated summary", ("venetoclax",), "VIALE-A")


@pytest.mark.parametrize("keep_raw", [True, False])
def test_a_page_nested_past_any_parsers_depth_is_a_format_error_not_a_crash(keep_raw):
    deep = b'{"studies": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    with pytest.raises(ResponseFormatError, match="recursion limit"):
        parse_page(deep, "GET /studies", "application/json", keep_raw=keep_raw)


@pytest.mark.parametrize("keep_raw", [True, False])
def test_codes_the_registry_added_later_keep_the_record_and_show_the_code(keep_raw):
    new = make_study("NCT00000002", status="SOMETHING_NEW", phases=("PHASE1", "PHASE9"),
                     start=("2027-01", "ANTICIPATED"))

    page = parse_page(_page(make_study("NCT00000001"), new), REQUEST, keep_raw=keep_raw)

    assert page.failures == []
    record = _by_id(page.records)["NCT00000002"]
    assert record.status == "SOMETHING_NEW" and not record.status.is_listed
    assert record.status.label == "Something new (unrecognised status, registry code SOMETHING_NEW)"
    assert phase_label(record.phases) == "Phase 1 / Phase9 (registry code PHASE9)"
    assert record.start_date.display() == "2027-01 (registry date type ANTICIPATED)"
    assert not record.start_date.is_estimated
    assert list(RegistryStatus)[-1] is RegistryStatus.UNKNOWN  # pickers list known codes only
    trial = trial_from_record(record)  # the library model takes it too
    assert trial.status.label == record.status.label and trial.phases == record.phases


def test_a_value_that_is_not_a_code_is_still_a_study_failure():
    bad = make_study("NCT00000002", status="recruiting <b>now</b>")

    page = parse_page(_page(make_study("NCT00000001"), bad), REQUEST)

    assert [r.nct_id for r in page.records] == ["NCT00000001"]
    assert "overallStatus" in str(page.failures[0])


def test_a_negative_enrollment_is_left_out_and_said_not_the_record_dropped():
    odd = make_study("NCT00000002", enrollment=(-5, "ACTUAL"))

    [record] = parse_page(_page(odd), REQUEST).records

    assert (record.enrollment, record.enrollment_kind) == (None, None)
    assert record.cut == ("enrollment: a negative count (-5), left out",)
    assert trial_from_record(record).enrollment is None


def test_whole_records_are_kept_exactly_as_json_reads_them():
    """The raw studies kept for versions (their canonical bytes are compared with stored
    ones) equal what `json.loads` makes of the body, floats and key order included."""
    body = real_page_bytes()
    page = parse_page(body, REQUEST, keep_raw=True)
    expected = json.loads(body)["studies"]
    assert [record.raw for record in page.records] == expected
    assert [json.dumps(record.raw) for record in page.records] == [json.dumps(s) for s in expected]


def test_a_page_only_pythons_json_reads_is_still_read_whole():
    """An escaped lone surrogate (\\ud800) or a byte-order mark: pydantic-core's parser
    refuses them, `json.loads` takes them; the page is read whole as before, the title made
    visible and the raw study kept as received."""
    study = make_study("NCT00000001", title="Venetoclax \ud800 in AML")
    body = b"\xef\xbb\xbf" + json.dumps({"studies": [study, make_study("NCT00000002")]}).encode()
    assert b"\\ud800" in body
    page = parse_page(body, REQUEST, keep_raw=True)
    assert not page.failures
    records = _by_id(page.records)
    assert records["NCT00000001"].brief_title == "Venetoclax \ufffd in AML"
    assert records["NCT00000001"].raw == json.loads(body)["studies"][0]
