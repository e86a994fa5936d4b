"""Domain models: ids, partial dates, outcomes and trials validate and refuse bad data."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from tracker.domain import (
    InvalidTrialIdError,
    Outcome,
    PartialDate,
    StatusChange,
    Tag,
    Trial,
    WatchList,
    parse_nct_id,
    parse_trial_id,
)
from tracker.domain.enums import phase_label
from tracker.domain.ids import find_nct_ids
from tracker.domain.numbers import parse_figure

SOURCE = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 1"}


@pytest.mark.parametrize(
    "text",
    ["NCT04277637", "nct04277637", " NCT 04277637 ",
     "https://clinicaltrials.gov/study/NCT04277637?tab=results",
     "https://clinicaltrials.gov/ct2/show/NCT04277637"],
)
def test_parse_nct_id_accepts_common_forms(text):
    assert parse_nct_id(text) == "NCT04277637"


@pytest.mark.parametrize("text", ["NCT123", "NCT042776371", "04277637", "", "NCTABCDEFGH"])
def test_parse_nct_id_rejects_malformed_with_clear_message(text):
    with pytest.raises(InvalidTrialIdError) as caught:
        parse_nct_id(text)
    assert str(caught.value) == f"not an NCT id: {text.strip()} (expected NCT followed by 8 digits)"


def test_parse_trial_id_accepts_local_ids_and_names_both_forms_when_wrong():
    assert parse_trial_id("local-venaza-china-rw") == "LOCAL-VENAZA-CHINA-RW"
    with pytest.raises(InvalidTrialIdError, match="local id"):
        parse_trial_id("venaza")


def test_find_nct_ids_in_text_keeps_order_without_duplicates():
    text = "see NCT04277637 and nct 06073821, again NCT04277637"
    assert find_nct_ids(text) == ["NCT04277637", "NCT06073821"]


@pytest.mark.parametrize("value,precision", [("2024", "year"), ("2024-05", "month"),
                                             ("2024-05-31", "day")])
def test_partial_date_keeps_its_precision(value, precision):
    date = PartialDate(value=value, kind="ESTIMATED")
    assert date.value == value and date.precision == precision
    assert date.is_estimated and date.display() == f"{value} (est.)"


@pytest.mark.parametrize("value", ["2024-13", "2024-06-31", "24-05", "May 2024", "2024-5"])
def test_partial_date_rejects_impossible_or_malformed(value):
    with pytest.raises(ValidationError):
        PartialDate(value=value)


def test_partial_date_earliest_orders_partial_dates():
    assert PartialDate(value="2024").earliest() == dt.date(2024, 1, 1)
    assert PartialDate(value="2024-05").earliest() < PartialDate(value="2024-05-02").earliest()


@pytest.mark.parametrize(
    "value,number,unit",
    [("97.9%", 97.9, "%"), ("median 11.93 months", 11.93, "months"), ("HR 0.31–0.40", None, "HR"),
     ("1,000 patients", 1000.0, "patients"), ("two-thirds", None, None)],
)
def test_outcome_parses_number_and_unit_but_keeps_value_verbatim(value, number, unit):
    outcome = Outcome(metric="ORR", value=value, source=SOURCE)
    assert outcome.value == value
    assert (outcome.number, outcome.unit) == (number, unit)
    assert parse_figure(value) == (number, unit)


def test_outcome_requires_a_source():
    with pytest.raises(ValidationError, match="source"):
        Outcome(metric="ORR", value="90%")


def test_trial_validates_ids_aliases_and_enrollment():
    trial = Trial(id="NCT02993523", aliases=("NCT00000001",), acronym="VIALE-A", phases=["PHASE3"])
    assert trial.registry_url == "https://clinicaltrials.gov/study/NCT02993523"
    assert trial.display_title == "VIALE-A"
    with pytest.raises(ValidationError, match="not an NCT id"):
        Trial(id="NCT123")
    with pytest.raises(ValidationError, match="alias"):
        Trial(id="NCT02993523", aliases=("LOCAL-X",))
    with pytest.raises(ValidationError):
        Trial(id="NCT02993523", enrollment=-1)
    assert Trial(id="LOCAL-VENAZA-CHINA-RW").registry_url is None


def test_trial_is_frozen():
    trial = Trial(id="NCT02993523")
    with pytest.raises(ValidationError):
        trial.status = "RECRUITING"


def test_tag_watchlist_and_status_change_validate():
    assert Tag(name="  journal   club ").name == "journal club"
    with pytest.raises(ValidationError):
        Tag(name="   ")
    with pytest.raises(ValidationError):
        WatchList(name="")
    change = StatusChange(trial_id="NCT02993523", old_status=None, new_status="COMPLETED",
                          seen_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert change.new_status.label == "Completed"


def test_phase_label_reads_like_a_clinician_writes_it():
    assert phase_label(["PHASE1", "PHASE2"]) == "Phase 1/2"
    assert phase_label([]) == "Phase not stated"
    assert phase_label(["EARLY_PHASE1"]) == "Early phase 1"
