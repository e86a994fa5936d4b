"""A value the reviews print as prose is written in a results table's form in a headline;
nothing is added or dropped, and a value no rule matches is written as printed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tracker.domain.headline_values import headline_value


def _value(value: str, unit: str | None = None, timepoint: str | None = None) -> str:
    return headline_value(SimpleNamespace(value=value, unit=unit, timepoint=timepoint))


@pytest.mark.parametrize(("printed", "compact"), [
    ("Three out of five patients (60%)", "60% (3/5)"),
    ("3 of 5 (60%)", "60% (3/5)"),
    ("twelve of the twenty patients (60%)", "60% (12/20)"),
    ("exceeding 80%", ">80%"),
    ("More than 90%", ">90%"),
    ("at least 50%", "≥50%"),
    ("approximately 12.5", "~12.5"),
    ("9.14-month", "9.14 months"),
    ("1-year", "1 year"),
    ("two cases", "2 cases"),
    ("one case (20%)", "1 case (20%)"),
    ("MRD-neg in two patients", "MRD-neg in 2 patients"),
])
def test_prose_is_written_compactly(printed, compact):
    assert _value(printed) == compact


@pytest.mark.parametrize("printed", [
    "60%", "14.7 months", "≥90%", "CR after the first cycle",
    "objective responses in all patients", "nearly 80%", "one of the patients responded",
    "12 patients (52% of evaluable)", "Three out of five patients",
    # a count without its denominator keeps the count first: "52% (12 patients)" would read
    # as 52% of 12 (the review: 12 of 23 patients)
    "12 patients (52%)",
])
def test_a_value_no_rule_matches_is_written_as_printed(printed):
    assert _value(printed) == printed


def test_a_bare_number_still_takes_its_unit():
    assert _value("18.2", unit="months") == "18.2 months"
    assert _value("18.2", timepoint="median, months") == "18.2 months"


def test_every_curated_prose_headline_reads_as_a_results_table_would(seeded_library):
    """The curated library's prose figures, as the cards and `tracker list` show them."""
    from tracker.domain.metrics import headline_text
    from tracker.store import TrialQuery

    headlines = {t.id: headline_text(t.outcomes) for t in
                 seeded_library.trials.list(TrialQuery(), with_outcomes=True)}
    assert headlines["LOCAL-HMA-VEN-RR-ETP-ALL-AGRAWAL"].startswith("CR 60% (3/5; R/R ETP-ALL)")
    assert headlines["LOCAL-BCMA-CD38-DUAL-CART-MM"] == "CR 12 patients (52%)"
    assert headlines["LOCAL-CT053-HUMANIZED-BCMA-CART-MM"] == "ORR >80%"
    assert headlines["LOCAL-VEN-PEDS-AYA-RR-ALL-LBL-RETRO"] == "OS 9.14 months · CR 61%"
    assert headlines["NCT04230265"] == "CRi 2 cases"


def test_a_pair_is_written_as_printed_on_both_sides():
    """Only single figures are compacted: "PFS 9.14-month vs 5.6 months" once read
    "9.14-month vs 5.6 months" on one side and compacted on the other."""
    from tracker.domain.metrics import headline_text

    pair = [SimpleNamespace(metric="PFS", value=value, arm=arm, unit=None, timepoint="median",
                            population=None, kind="result", caveat=None, source=("f", "l"))
            for value, arm in (("9.14-month", "A"), ("5.6-month", "B"))]
    assert headline_text(pair) == "PFS 9.14-month vs 5.6-month"


def test_a_label_goes_inside_a_value_that_ends_in_its_own_bracket(seeded_library):
    """'CR 60% (3/5) (R/R ETP-ALL)' read as two afterthoughts; one bracket holds both."""
    from tracker.domain.metrics import headline_text

    agrawal = seeded_library.trials.get("LOCAL-HMA-VEN-RR-ETP-ALL-AGRAWAL")
    assert headline_text(agrawal.outcomes).startswith("CR 60% (3/5; R/R ETP-ALL) · ")
