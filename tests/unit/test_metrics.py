"""The metric vocabulary and the headline rules (tracker/domain/metrics.py) on real labels."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO_ROOT
from tracker.curated import load_curated_files, merge_curated
from tracker.domain import Outcome
from tracker.domain.metrics import (
    HEADLINE_ORDER,
    NO_EFFICACY_TEXT,
    Metric,
    MetricCategory,
    classify_metric,
    comparator,
    comparison_metric,
    headline_outcomes,
    headline_text,
    metric_category,
    metric_rule,
)


@pytest.mark.parametrize(("label", "metric"), [
    ("ORR", Metric.ORR), ("overall response rate", Metric.ORR),
    ("Objective response", Metric.ORR), ("response rate", Metric.ORR),
    ("CR", Metric.CR), ("complete remission", Metric.CR), ("sCR", Metric.SCR),
    ("stringent complete response", Metric.SCR), ("CR/CRi", Metric.CR_CRI),
    ("CR or CRi", Metric.CR_CRI), ("CRi", Metric.CRI), ("CR/CRh", Metric.CR_CRH),
    ("CR/CRp", Metric.CR_CRP), ("uMRD", Metric.MRD), ("uMRD (<10^-6)", Metric.MRD),
    ("uMRD (<10⁻⁶)", Metric.MRD),
    ("MRD negativity", Metric.MRD), ("MRD-negative CR/CRi", Metric.MRD),
    ("PFS", Metric.PFS), ("progression-free survival", Metric.PFS), ("OS", Metric.OS),
    ("EFS", Metric.EFS), ("event-free survival", Metric.EFS), ("RFS", Metric.RFS),
    ("DOR", Metric.DOR), ("duration of remission", Metric.DOR), ("TTP", Metric.TTP),
    ("time to next treatment", Metric.TTNT),
    ("CRS grade ≥3", Metric.CRS_GRADE3), ("grade 3 or higher cytokine release syndrome",
                                          Metric.CRS_GRADE3),
    ("ICANS grade >=3", Metric.ICANS_GRADE3), ("CRS (any grade)", Metric.ADVERSE_EVENT),
    ("grade 3/4 febrile neutropenia", Metric.ADVERSE_EVENT),
    ("enrollment", Metric.ENROLLMENT), ("patients", Metric.ENROLLMENT),
    ("median follow-up", Metric.FOLLOW_UP),
    ("HR (OS)", Metric.STATISTIC), ("PFS P value", Metric.STATISTIC),
    ("OS 95% CI", Metric.STATISTIC), ("reduction in risk of death", Metric.STATISTIC),
    ("OS after VEN-AZA failure", Metric.OTHER), ("median age", Metric.OTHER),
    ("poor response/relapse", Metric.OTHER), ("bridged to allo-HCT/CAR-T", Metric.OTHER),
])
def test_labels_are_recognised_by_the_vocabulary(label, metric):
    assert classify_metric(label) == metric


def test_categories_keep_efficacy_apart_from_safety_design_and_statistics():
    assert {metric_category(m) for m in HEADLINE_ORDER} == {MetricCategory.EFFICACY}
    assert metric_category(Metric.CRS_GRADE3) == MetricCategory.SAFETY
    assert metric_category(Metric.ENROLLMENT) == metric_category(Metric.FOLLOW_UP) == "design"
    assert metric_category(Metric.OTHER) == MetricCategory.OTHER
    assert metric_rule("median age").category == MetricCategory.DESIGN
    assert HEADLINE_ORDER[:2] == (Metric.OS, Metric.PFS)
    assert HEADLINE_ORDER.index(Metric.CR) < HEADLINE_ORDER.index(Metric.ORR) < \
        HEADLINE_ORDER.index(Metric.MRD)


def _o(metric, value, arm=None, locator="p1", kind="result", **more):
    return Outcome(metric=metric, value=value, arm=arm, kind=kind,
                   source={"file": "000_a.txt", "locator": locator}, **more)


def test_efficacy_leads_never_enrollment_or_follow_up():
    outcomes = [_o("patients", "180"), _o("median follow-up", "24.9"), _o("ORR", "83%"),
                _o("CR", "65%"), _o("OS", "61%", timepoint="24 months")]
    assert [o.value for o in headline_outcomes(outcomes)] == ["61%", "65%"]
    assert headline_text(outcomes, limit=3) == "OS 61% at 24 mo · CR 65% · ORR 83%"


def test_only_non_efficacy_figures_give_the_no_efficacy_text():
    outcomes = [_o("enrollment", "27"), _o("median follow-up", "over 28 months"),
                _o("relapse rate", "about 60%", kind="context"),
                _o("ORR", "about 60%", kind="context")]
    assert headline_outcomes(outcomes) == []
    assert headline_text(outcomes) == headline_text([]) == NO_EFFICACY_TEXT


def test_a_comparison_comes_before_a_single_arm_figure_and_shows_its_comparator():
    outcomes = [_o("uMRD", "62%", arm="VenR", locator="p1"),
                _o("ORR", "92%", arm="VenR", locator="p1"),
                _o("PFS", "54.7", arm="VenR", locator="p2"),
                _o("PFS", "17.0 months", arm="BR", locator="p2"),
                _o("OS (risk of death reduction)", "47%", arm="VenR vs BR", locator="p2")]
    chosen = headline_outcomes(outcomes)
    assert [o.value for o in chosen] == ["54.7", "92%"]
    assert comparator(chosen[0], outcomes).value == "17.0 months"
    assert headline_text(outcomes) == "PFS 54.7 vs 17.0 months · ORR 92% (VenR)"


def test_every_curated_trial_with_results_gets_an_efficacy_headline_and_context_never_leads():
    trials = merge_curated(load_curated_files(REPO_ROOT / "db" / "curated"))
    by_id = {t.id: t for t in trials}
    assert headline_text(by_id["NCT02993523"].outcomes) == "OS 14.7 months vs 9.6 months"
    assert headline_text(by_id["LOCAL-VENAZA-CHINA-RW"].outcomes).startswith(
        "Untreated: OS 11.93 months")
    for trial in trials:
        for outcome in headline_outcomes(trial.outcomes):
            assert not outcome.is_context
            assert metric_category(classify_metric(outcome.metric)) == MetricCategory.EFFICACY


def test_the_card_headline_follows_the_same_rules(seeded_library):
    cards = seeded_library.cards.all_cards()
    trials = {t.id: t for t in seeded_library.trials.list()}
    assert cards["NCT02993523"].headline == "OS 14.7 months vs 9.6 months"
    # CLL14's printed PFS figures are misprints (caveat): the sound uMRD figure leads alone,
    # named by its arm (the trial compares two)
    assert cards["NCT02242942"].headline == "uMRD (<10⁻⁶) 40% (venetoclax + obinutuzumab)"
    # the original cohort is a non-randomised historical comparator (caveat): the venetoclax
    # cohort's own figures lead alone, each saying whose they are
    assert cards["NCT00501826"].headline == \
        "Venetoclax cohort: OS 87.8% at 2 y · PFS 87.9% at 2 y"
    # MURANO's PFS is a comparison; its OS rate is printed for the venetoclax arm only
    assert cards["NCT02005471"].headline == \
        "PFS 54.7 vs 17.0 months · OS 82.1% at 5 y (venetoclax + rituximab)"
    assert cards["NCT02435849"].headline == "CR 60%"  # one arm under two names: no label
    # ZUMA-7 is randomised (axi-cel vs standard of care) but the reviews print only the
    # axi-cel arm's figures: each names its arm, never read as a single-arm trial's
    assert cards["NCT03391466"].headline == \
        "Axicabtagene ciloleucel: CR 65% · ORR 83%"
    # a figure pooled over two trials is context for each: no headline of its own
    assert cards["NCT02746952"].headline == ""
    assert cards["NCT03319901"].headline == "CR 90% (untreated) · CR/CRp 37.5% (R/R)"
    assert cards["NCT02614066"].headline.startswith("OS 18.2 months")
    assert cards["NCT05388006"].headline == ""  # enrollment only: the card says NO_EFFICACY_TEXT
    for trial_id, card in cards.items():
        trial = trials[trial_id]
        expected = headline_text(trial.outcomes, compares_arms=trial.compares_arms)
        assert card.headline == ("" if expected == NO_EFFICACY_TEXT else expected), trial_id


def test_comparison_columns_take_efficacy_and_severe_crs_icans_but_never_context():
    assert comparison_metric(_o("ORR", "52%")) == Metric.ORR
    assert comparison_metric(_o("CRS grade ≥3", "4%")) == Metric.CRS_GRADE3
    assert comparison_metric(_o("poor response/relapse", "about 60%", kind="context")) is None
    assert comparison_metric(_o("ORR", "about 60%", kind="context")) is None
    assert comparison_metric(_o("median follow-up", "14")) is None
    assert comparison_metric(_o("HR (OS)", "HR = 0.66, p < 0.01")) is None


def test_figures_from_different_populations_are_labelled_in_short_form():
    outcomes = [_o("CR", "90%", population="untreated older adults (median age 65)"),
                _o("CR/CRp", "37.5%", population="relapsed/refractory Ph-negative ALL")]
    assert headline_text(outcomes) == "CR 90% (untreated) · CR/CRp 37.5% (R/R)"
    same = [_o("CR", "90%", population="R/R ALL"), _o("ORR", "95%", population="R/R ALL")]
    assert headline_text(same) == "CR 90% · ORR 95%"
    subsets = [_o("CR", "60%", population="R/R ETP-ALL"),
               _o("MRD negativity", "100%", population="responders")]
    assert headline_text(subsets) == "CR 60% (R/R ETP-ALL) · MRD negativity 100% (responders)"


def test_a_figure_shown_alone_from_a_trial_comparing_arms_names_its_arm():
    venr = "venetoclax + rituximab (VenR)"
    outcomes = [_o("PFS", "53.6 months", arm=venr), _o("PFS", "17.0 months", arm="BR"),
                _o("OS", "82.1%", arm=venr, timepoint="5 years"), _o("CR", "26.8%", arm=venr)]
    assert headline_text(outcomes, limit=3) == \
        "PFS 53.6 months vs 17.0 months · OS 82.1% at 5 y (venetoclax + rituximab) · " \
        "CR 26.8% (venetoclax + rituximab)"
    # the same figures from a single-arm trial (no other arm's figure beside any) stay bare
    single = [outcome for outcome in outcomes if outcome.arm == venr]
    assert headline_text(single, limit=3) == "OS 82.1% at 5 y · PFS 53.6 months · CR 26.8%"
    # a population label is kept as it is
    cohorts = [_o("CR", "90%", arm="A", population="untreated"), _o("CR", "70%", arm="B"),
               _o("ORR", "95%", arm="A", population="R/R ALL")]
    assert headline_text(cohorts) == "CR 90% vs 70% (untreated) · ORR 95% (R/R)"


def test_a_trial_comparing_arms_by_design_names_the_arm_of_one_arm_figures():
    axicel = [_o("CR", "65%", arm="axicabtagene ciloleucel"),
              _o("ORR", "83%", arm="axicabtagene ciloleucel")]
    assert headline_text(axicel) == "CR 65% · ORR 83%"  # nothing says it compares arms
    assert headline_text(axicel, compares_arms=True) == \
        "Axicabtagene ciloleucel: CR 65% · ORR 83%"
    assert headline_text(axicel[:1], compares_arms=True) == "CR 65% (axicabtagene ciloleucel)"
    assert headline_text([_o("CR", "65%")], compares_arms=True) == "CR 65%"  # no arm to name
    pair = [_o("OS", "14.7 months", arm="ven"), _o("OS", "9.6 months", arm="placebo")]
    assert headline_text(pair, compares_arms=True) == "OS 14.7 months vs 9.6 months"


def test_every_curated_trial_titled_a_versus_b_names_its_comparator():
    """The curated comparator, not the title, says a trial compares arms (a sync replaces
    the title with the registry's, "... Compared to Standard of Care ..."); the curated
    titles check that no "A vs B" trial was left without one, and that it is B."""
    trials = merge_curated(load_curated_files(REPO_ROOT / "db" / "curated"))
    versus = re.compile(r"\s(?:vs\.?|versus)\s", re.IGNORECASE)
    for trial in trials:
        parts = versus.split(trial.brief_title)
        if len(parts) == 2:
            assert trial.comparator, trial.id
            assert trial.comparator.replace(" + ", " plus ").lower() in parts[1].lower(), \
                trial.id
    by_id = {t.id: t for t in trials}
    assert by_id["NCT03391466"].comparator == "standard of care"  # ZUMA-7
    assert not by_id["NCT02348216"].compares_arms  # ZUMA-1: single-arm


def test_a_survival_rate_carries_its_timepoint_or_is_not_a_headline():
    assert headline_text([_o("OS", "36%", timepoint="2 years"), _o("CR", "50%")]) == \
        "OS 36% at 2 y · CR 50%"
    assert headline_text([_o("OS", "36%"), _o("CR", "50%")]) == "CR 50%"
    assert headline_text([_o("PFS", "41%", timepoint="12 months (as labelled in the table)")]) \
        == "PFS 41% at 12 mo"
    assert headline_text([_o("OS", "14.7 months", timepoint="median")]) == "OS 14.7 months"


def test_a_caveated_figure_leads_only_when_no_sound_figure_is_left():
    outcomes = [_o("OS", "82%", timepoint="6 months", caveat="table label in doubt"),
                _o("CR", "60%"), _o("ORR", "81%")]
    assert headline_text(outcomes) == "CR 60% · ORR 81%"
    assert headline_text(outcomes, limit=3) == "CR 60% · ORR 81%"
    assert headline_text(outcomes[:2]) == "CR 60%"  # never joined by the caveated OS
    only_caveated = [_o("PFS", "41%", timepoint="24 months", caveat="the table's label is PFS"),
                     _o("patients", "180")]
    assert headline_text(only_caveated) == "PFS 41% at 24 mo (see caveat)"


def test_a_sound_figure_leads_alone_when_only_its_comparator_is_caveated():
    historical = "earlier cohort of the same protocol, not randomised"
    outcomes = [_o("PFS", "88%", arm="new cohort", timepoint="2 years"),
                _o("PFS", "64%", arm="original cohort", timepoint="2 years", caveat=historical),
                _o("OS", "88%", arm="new cohort", timepoint="2 years"),
                _o("OS", "74%", arm="original cohort", timepoint="2 years", caveat=historical)]
    assert headline_text(outcomes) == "New cohort: OS 88% at 2 y · PFS 88% at 2 y"
    both = [_o("OS", "88%", arm="new", timepoint="2 years", caveat="label in doubt"),
            _o("OS", "74%", arm="old", timepoint="2 years", caveat=historical)]
    assert headline_text(both) == "OS 88% vs 74% at 2 y (see caveat)"
    sound_pair = [_o("OS", "14.7 months", arm="ven", timepoint="median"),
                  _o("OS", "9.6 months", arm="placebo", timepoint="median")]
    assert headline_text(sound_pair) == "OS 14.7 months vs 9.6 months"


def test_figures_from_one_of_several_populations_carry_their_population():
    untreated = dict(population="newly diagnosed AML", timepoint="median")
    relapsed = dict(population="relapsed/refractory AML", timepoint="median")
    outcomes = [_o("OS", "11.9 months", **untreated), _o("EFS", "9.9 months", **untreated),
                _o("OS", "9.1 months", **relapsed), _o("EFS", "5.2 months", **relapsed)]
    assert headline_text(outcomes) == "Untreated: OS 11.9 months · EFS 9.9 months"
    assert headline_text(outcomes[:2]) == "OS 11.9 months · EFS 9.9 months"
    same_cohort = [_o("OS", "60.7 months", population="heavily pretreated RRMM"),
                   _o("ORR", "97.9%", population="relapsed/refractory multiple myeloma")]
    assert headline_text(same_cohort) == "OS 60.7 months · ORR 97.9%"


def test_figures_sharing_one_label_name_it_once_before_them():
    """ZUMA-7's card read "CR 65% (axicabtagene ciloleucel) · ORR 83% (axicabtagene
    ciloleucel)"; figures with different labels, or one without, keep theirs each."""
    arm = dict(arm="axicabtagene ciloleucel")
    assert headline_text([_o("CR", "65%", **arm), _o("ORR", "83%", **arm)],
                         compares_arms=True) == "Axicabtagene ciloleucel: CR 65% · ORR 83%"
    cohorts = [_o("CR", "90%", population="untreated AML"),
               _o("CR/CRp", "37.5%", population="R/R AML")]
    assert headline_text(cohorts) == "CR 90% (untreated) · CR/CRp 37.5% (R/R)"
    murano = [_o("PFS", "54.7", arm="VenR"), _o("PFS", "17.0", arm="BR", unit="months"),
              _o("OS", "82.1%", arm="VenR", timepoint="5 years")]
    assert headline_text(murano) == "PFS 54.7 vs 17.0 months · OS 82.1% at 5 y (VenR)"


def test_headline_arms_names_each_pair_once_and_only_with_both_arms_named():
    from tracker.domain.metrics import headline_arms

    pair = [_o("OS", "14.7 months", arm="ven + aza"), _o("OS", "9.6 months", arm="pbo + aza"),
            _o("CR", "37%", arm="ven + aza"), _o("CR", "18%", arm="pbo + aza")]
    assert headline_arms(pair) == "ven + aza vs pbo + aza"
    assert headline_arms([_o("CR", "65%", arm="axi-cel")], compares_arms=True) == ""


def test_a_bare_number_shows_its_unit_and_the_printed_value_is_kept():
    assert headline_text([_o("OS", "18.2", unit="months")]) == "OS 18.2 months"
    assert headline_text([_o("OS", "18.2", unit=None, timepoint="median, months")]) == \
        "OS 18.2 months"
    assert headline_text([_o("PFS", "12.8mo")]) == "PFS 12.8mo"


def test_a_value_printed_as_prose_is_written_in_a_results_tables_form_in_the_headline():
    """Only its form changes (headline_values.py); labelled_value, which the detail view and
    the handouts' trial sections use, still writes it as printed."""
    from tracker.domain.metrics import labelled_value

    prose = _o("CR", "Three out of five patients (60%)")
    assert headline_text([prose]) == "CR 60% (3/5)"
    assert labelled_value(prose) == "CR Three out of five patients (60%)"


def test_a_value_that_names_its_metric_is_not_labelled_twice():
    assert headline_text([_o("ORR", "objective responses in all patients")]) == \
        "objective responses in all patients"
    assert headline_text([_o("MRD negativity", "MRD-neg in two patients")]) == \
        "MRD-neg in 2 patients"


def test_a_figure_is_labelled_once_and_keeps_the_metric_a_statistic_is_about():
    from tracker.domain.metrics import labelled_value

    assert labelled_value(_o("HR (OS)", "HR = 0.66, p < 0.01")) == "OS HR = 0.66, p < 0.01"
    assert labelled_value(_o("PFS HR", "HR 0.31–0.40")) == "PFS HR 0.31–0.40"
    assert labelled_value(_o("ORR", "objective responses in all patients")) == \
        "objective responses in all patients"
    assert labelled_value(_o("MRD negativity", "MRD-neg in two patients")) == \
        "MRD-neg in two patients"
    assert labelled_value(_o("OS", "18.2", unit="months")) == "OS 18.2 months"


def test_a_value_naming_both_metrics_of_its_label_is_written_alone():
    from tracker.domain.metrics import labelled_value

    # "MRD-negative CR" is filed under MRD; the value names CR too: no "CR MRD-negative CR …"
    assert labelled_value(_o("MRD-negative CR", "MRD-negative CR after one cycle")) == \
        "MRD-negative CR after one cycle"
    assert labelled_value(_o("OS P value", "P = 0.16")) == "OS P = 0.16"
