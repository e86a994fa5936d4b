"""Outcome metrics: one vocabulary recognising them from curated labels, and the headline rules.

Every layer that picks, groups or orders outcomes (card, detail view, exports, comparison
tables) uses `classify_metric` and `headline_outcomes` from here, never its own string checks.

Headline order (HEADLINE_ORDER), and why:
1. OS, then PFS, EFS, RFS: time-to-event survival is what a treatment decision weighs; OS is
   the least biased endpoint, PFS/EFS/RFS the usual primary endpoints of haematology trials.
2. CR, then sCR, CR/CRi, CR/CRh, CR/CRp, CRi: depth of response. In leukaemia, lymphoma and
   myeloma a complete response predicts survival; composites that admit incomplete count
   recovery come after strict CR, and each stays its own metric (never merged).
3. ORR: includes partial responses, so it says less than CR about durable benefit.
4. MRD negativity (uMRD): a strong surrogate (CLL, ALL, MM), but still a surrogate.
5. DOR, TTP, TTNT: secondary time-to-event measures.
Safety (CRS/ICANS grade >=3, other adverse events), statistics (HR, P, CI), enrollment,
follow-up and everything else are never headlines; context (class-level statements) neither.

A figure carrying a curator's caveat (a misprint, a table label in doubt) leads only when the
trial has no uncaveated efficacy figure: a headline is what a reader quotes, so a sound figure is
never joined by one the curator warns about (a sound figure whose comparator carries the
caveat, such as a non-randomised historical cohort, leads alone, as a single-arm figure). Then a
figure printed against a comparator (same metric for another arm in the same passage, as a
randomised trial reports it) comes before single-arm figures. A survival rate given as a
percentage without its timepoint is never a headline. How each figure is written (timepoint,
unit, population label, no doubled label) is the table in tracker/domain/headline_labels.py. With nothing left, the headline is NO_EFFICACY_TEXT.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker.domain.headline_labels import (
    RATE_NEEDS_TIMEPOINT as RATE_METRICS,
)
from tracker.domain.headline_labels import (
    arm_label,
    is_percentage,
    needs_timepoint,
    population_labels,
    short_timepoint,
    with_label,
    with_unit,
)
from tracker.domain.headline_values import headline_value
from tracker.domain.registry_headline import NO_EFFICACY_TEXT

if TYPE_CHECKING:
    from tracker.domain.models import Outcome

__all__ = ["NO_EFFICACY_TEXT", "headline_figures", "headline_text", "labelled_value"]

CAVEAT_MARK = "(see caveat)"


class MetricCategory(StrEnum):
    EFFICACY = "efficacy"
    SAFETY = "safety"
    STATISTIC = "statistic"  # hazard ratio, P value, confidence interval, risk reduction
    DESIGN = "design"  # enrollment, follow-up, age: facts about the study, not results
    OTHER = "other"


class Metric(StrEnum):
    OS = "OS"
    PFS = "PFS"
    EFS = "EFS"
    RFS = "RFS"
    CR = "CR"
    SCR = "sCR"
    CR_CRI = "CR/CRi"
    CR_CRH = "CR/CRh"
    CR_CRP = "CR/CRp"
    CRI = "CRi"
    ORR = "ORR"
    MRD = "MRD negativity"
    DOR = "DOR"
    TTP = "TTP"
    TTNT = "TTNT"
    CRS_GRADE3 = "CRS grade ≥3"
    ICANS_GRADE3 = "ICANS grade ≥3"
    ADVERSE_EVENT = "adverse event"
    STATISTIC = "statistic"
    ENROLLMENT = "enrollment"
    FOLLOW_UP = "follow-up"
    OTHER = "other"


@dataclass(frozen=True)
class MetricRule:
    metric: Metric
    category: MetricCategory
    pattern: re.Pattern[str]
    name: str  # what a reader calls it, e.g. in a comparison-table column header


def _rule(metric: Metric, category: MetricCategory, pattern: str, name: str) -> MetricRule:
    return MetricRule(metric, category, re.compile(pattern, re.IGNORECASE), name)


_E, _S, _D = MetricCategory.EFFICACY, MetricCategory.SAFETY, MetricCategory.DESIGN
_GRADE3 = r"(grade\s*(≥|>=|3|iii)|≥\s*3|\bg3|severe)"

# The vocabulary, checked top to bottom: the first pattern that matches a label decides. Labels
# that are statistics about a metric ("HR (OS)", "PFS P value") or a different quantity ("OS
# after VEN-AZA failure") are caught before the metric they mention.
METRIC_TABLE: tuple[MetricRule, ...] = (
    _rule(Metric.STATISTIC, MetricCategory.STATISTIC,
          r"\bHR\b|hazard|p[ -]?value|\bP\b|95%|\bCI\b|confidence|risk (of death )?reduction|"
          r"reduction in risk", "Statistic"),
    _rule(Metric.OTHER, MetricCategory.OTHER, r"\bafter\b.*\bfailure\b|post-?failure|antigen loss|"
          r"relapse rate|poor response", "Other"),
    _rule(Metric.CRS_GRADE3, _S, rf"(\bCRS\b|cytokine release).*{_GRADE3}|{_GRADE3}.*(\bCRS\b|"
          r"cytokine release)", "CRS grade ≥3"),
    _rule(Metric.ICANS_GRADE3, _S, rf"(\bICANS\b|neurotox).*{_GRADE3}|{_GRADE3}.*(\bICANS\b|"
          r"neurotox)", "ICANS grade ≥3"),
    _rule(Metric.ADVERSE_EVENT, _S, r"\bCRS\b|cytokine release|\bICANS\b|neurotox|adverse|"
          r"toxicit|febrile|neutropenia|infection|grade\s*\d|\bTLS\b|tumou?r lysis", "Adverse events"),
    _rule(Metric.FOLLOW_UP, _D, r"follow[- ]?up|\bMFU\b", "Follow-up"),
    _rule(Metric.OTHER, _D, r"\bage\b|\bMTD\b|maximum tolerated|dose", "Study facts"),
    _rule(Metric.ENROLLMENT, _D, r"enrol|\bpatients\b|participants|sample size|^\s*n\s*$",
          "Patients"),
    _rule(Metric.MRD, _E, r"\bu?MRD\b|residual disease|undetectable", "MRD negativity"),
    _rule(Metric.OS, _E, r"\bOS\b|overall survival", "OS"),
    _rule(Metric.PFS, _E, r"\bPFS\b|progression[- ]free", "PFS"),
    _rule(Metric.EFS, _E, r"\bEFS\b|event[- ]free", "EFS"),
    _rule(Metric.RFS, _E, r"\bRFS\b|relapse[- ]free|\bDFS\b|disease[- ]free", "RFS"),
    _rule(Metric.DOR, _E, r"\bDOR\b|duration of (response|remission)", "DOR"),
    _rule(Metric.TTNT, _E, r"\bTTNT\b|time to next (treatment|therapy)", "TTNT"),
    _rule(Metric.TTP, _E, r"\bTTP\b|time to progression", "TTP"),
    _rule(Metric.SCR, _E, r"\bsCR\b|stringent complete", "sCR"),
    _rule(Metric.CR_CRI, _E, r"\bCR\s*(/|or|\+)\s*CRi\b|\bCRc\b|composite complete", "CR/CRi"),
    _rule(Metric.CR_CRH, _E, r"\bCR\s*(/|or|\+)\s*CRh\b", "CR/CRh"),
    _rule(Metric.CR_CRP, _E, r"\bCR\s*(/|or|\+)\s*CRp\b", "CR/CRp"),
    _rule(Metric.CRI, _E, r"\bCRi\b|incomplete (hematologic|haematologic|count|blood count)",
          "CRi"),
    _rule(Metric.CR, _E, r"\bCR\b|complete (response|remission)", "CR"),
    _rule(Metric.ORR, _E, r"\bORR\b|overall response|objective response|^response rate$",
          "ORR"),
)
_BY_METRIC: dict[Metric, MetricRule] = {}
for _each in METRIC_TABLE:
    _BY_METRIC.setdefault(_each.metric, _each)
_OTHER = MetricRule(Metric.OTHER, MetricCategory.OTHER, re.compile("$^"), "Other")

HEADLINE_ORDER: tuple[Metric, ...] = (
    Metric.OS, Metric.PFS, Metric.EFS, Metric.RFS,
    Metric.CR, Metric.SCR, Metric.CR_CRI, Metric.CR_CRH, Metric.CR_CRP, Metric.CRI,
    Metric.ORR, Metric.MRD, Metric.DOR, Metric.TTP, Metric.TTNT,
)
_RANK = {metric: rank for rank, metric in enumerate(HEADLINE_ORDER)}


def classify_metric(label: str) -> Metric:
    """The metric a curated label names ("overall response rate" -> ORR), else Metric.OTHER."""
    return _rule_for(label).metric


def metric_category(metric: Metric) -> MetricCategory:
    return _BY_METRIC.get(metric, _OTHER).category


def metric_name(metric: Metric) -> str:
    """A short name for headers and legends ("MRD negativity", "CRS grade ≥3")."""
    return _BY_METRIC.get(metric, _OTHER).name


def is_headline_metric(metric: Metric) -> bool:
    return metric in _RANK


def metric_rule(label: str) -> MetricRule:
    """The vocabulary row that recognises `label` (metric, category, name)."""
    return _rule_for(label)


@lru_cache(maxsize=4096)
def _rule_for(label: str) -> MetricRule:
    for rule in METRIC_TABLE:
        if rule.pattern.search(label):
            return rule
    return _OTHER


COMPARISON_COLUMNS: tuple[Metric, ...] = (*HEADLINE_ORDER, Metric.CRS_GRADE3, Metric.ICANS_GRADE3)


def comparison_metric(outcome: Outcome) -> Metric | None:
    """The comparison-table column an outcome belongs in (efficacy, or CRS/ICANS grade >=3), or
    None: context, statistics, enrollment, follow-up and other figures never go in the table."""
    metric = classify_metric(outcome.metric)
    return None if _is_context(outcome) or metric not in COMPARISON_COLUMNS else metric


def _is_context(outcome: Outcome) -> bool:
    """Class-level context, not the trial's result (works on outcomes without a `kind` too)."""
    return str(getattr(outcome, "kind", "result")) == "context"


def comparator(outcome: Outcome, outcomes: Sequence[Outcome]) -> Outcome | None:
    """The same metric printed for another arm in the same passage (a comparison), if any."""
    metrics = [classify_metric(o.metric) for o in outcomes]
    for position, candidate in enumerate(outcomes):
        if candidate is outcome:
            return _comparator_at(position, outcomes, metrics)
    return _comparator_at(None, [outcome, *outcomes], [classify_metric(outcome.metric), *metrics])


def _comparator_at(position: int | None, outcomes: Sequence[Outcome],
                   metrics: Sequence[Metric]) -> Outcome | None:
    index = 0 if position is None else position
    outcome, metric = outcomes[index], metrics[index]
    if not outcome.arm:
        return None
    for other, other_metric in zip(outcomes, metrics, strict=True):
        if (other is not outcome and other_metric == metric and other.arm
                and other.arm != outcome.arm and other.source == outcome.source
                and not _is_context(other)):
            return other
    return None


def headline_outcomes(outcomes: Sequence[Outcome], limit: int = 2) -> list[Outcome]:
    """Up to `limit` figures to lead with, one per metric: efficacy results only (never context,
    safety, statistics, enrollment or follow-up); comparisons before single-arm figures, then
    HEADLINE_ORDER, then the curated order. For a comparison, the first-listed arm (curators
    list the experimental arm first); `comparator` finds the other arm's figure. Works on any
    objects with `metric`, `value`, `arm`, `source` and `kind` (the card list passes rows)."""
    return [outcome for outcome, _other in _headline_pairs(outcomes, limit)]


def _headline_pairs(outcomes: Sequence[Outcome],
                    limit: int) -> list[tuple[Outcome, Outcome | None]]:
    if len(outcomes) == 1:  # most trials that report anything (fast path for the card list)
        only = outcomes[0]
        eligible = limit > 0 and _eligible(only, classify_metric(only.metric))
        return [(only, None)] if eligible else []
    metrics = [classify_metric(o.metric) for o in outcomes]
    candidates = []
    for position, (outcome, metric) in enumerate(zip(outcomes, metrics, strict=True)):
        if not _eligible(outcome, metric):
            continue
        other = _comparator_at(position, outcomes, metrics) if len(outcomes) > 1 else None
        own_caveat = bool(getattr(outcome, "caveat", None))
        if other is not None and not own_caveat and getattr(other, "caveat", None):
            # a sound figure whose comparator the curator warns about (a historical cohort,
            # a misprint) may lead alone, never joined by that comparator
            candidates.append(((False, True, _RANK[metric], position), metric, outcome, None))
        caveated = own_caveat or bool(getattr(other, "caveat", None))
        candidates.append(((caveated, other is None, _RANK[metric], position), metric, outcome,
                           other))
    if any(not key[0] for key, *_rest in candidates):  # a sound figure: no caveated one
        candidates = [c for c in candidates if not c[0][0]]
    if len(candidates) > 1:
        candidates.sort(key=lambda c: c[0])
    chosen: list[tuple[Outcome, Outcome | None]] = []
    seen: set[Metric] = set()
    shown_as_comparator: set[int] = set()
    for _key, metric, outcome, other in candidates:
        if len(chosen) >= limit:
            break
        if metric in seen or id(outcome) in shown_as_comparator:
            continue
        seen.add(metric)
        chosen.append((outcome, other))
        if other is not None:
            shown_as_comparator.add(id(other))
    return chosen


def _eligible(outcome: Outcome, metric: Metric) -> bool:
    return (metric in _RANK and not _is_context(outcome)
            and not needs_timepoint(metric.value, outcome))


@dataclass(frozen=True)
class HeadlineFigure:
    """One headline figure as written: the outcome, its comparator (the other arm's figure
    for the same metric in the same passage) if any, and the text ("OS 14.7 months vs 9.6
    months"; a rate with its timepoint, "OS 36% at 2 y", then `timepoint_written`)."""

    outcome: Outcome
    comparator: Outcome | None
    text: str
    timepoint_written: bool
    #: The text without its population or arm label, for a line that names the arm and
    #: population itself (the CSV's key outcomes), so it never writes the arm twice.
    unlabelled: str = ""
    #: The population or arm label the text carries in brackets, if any.
    label: str = ""


def headline_figures(outcomes: Sequence[Outcome], limit: int = 2, *,
                     compares_arms: bool = False) -> list[HeadlineFigure]:
    """The headline figures, each written by the rules of headline_labels.py: what
    `headline_text` joins into one line, and what an export lists figure by figure.
    `compares_arms`: the trial compares arms by design (`Trial.compares_arms`, a curated
    comparator), even when the reviews print figures for one arm only (ZUMA-7)."""
    pairs = _headline_pairs(outcomes, limit)
    eligible = [o for o in outcomes if _eligible(o, classify_metric(o.metric))] \
        if len(pairs) < len(outcomes) else []
    labels = population_labels([outcome for outcome, _other in pairs], among=eligible)
    if any(other is None and not label for (_o, other), label in zip(pairs, labels, strict=True)) \
            and (compares_arms or _compares_arms(outcomes)):
        labels = [label or (arm_label(outcome.arm) if other is None and outcome.arm else "")
                  for (outcome, other), label in zip(pairs, labels, strict=True)]
    return [_figure(outcome, other, label)
            for (outcome, other), label in zip(pairs, labels, strict=True)]


def _compares_arms(outcomes: Sequence[Outcome]) -> bool:
    """True when some figure of the trial has another arm's figure beside it (a randomised
    or a cohort comparison), caveated or not: a figure shown alone is then one arm's."""
    if len(outcomes) < 2:
        return False
    metrics = [classify_metric(o.metric) for o in outcomes]
    return any(_comparator_at(position, outcomes, metrics) is not None
               for position in range(len(outcomes)))


def headline_text(outcomes: Sequence[Outcome], limit: int = 2, *,
                  compares_arms: bool = False) -> str:
    """"OS 14.7 months vs 9.6 months · CR 88%": the headline as one line, or NO_EFFICACY_TEXT.
    Rates carry their timepoint ("OS 36% at 2 y"), figures from different populations their
    short label ("CR 90% (untreated) · CR/CRp 37.5% (R/R)"), a figure shown alone from a trial
    that compares arms (`compares_arms`, or another arm's figure beside one of its figures)
    its arm, and a figure carrying a curator's caveat is marked "(see caveat)" so no one
    quotes it bare (headline_labels.py). Figures that all carry one label name it once, first:
    "Axicabtagene ciloleucel: CR 65% · ORR 83%"."""
    figures = headline_figures(outcomes, limit, compares_arms=compares_arms)
    shared = {f.label for f in figures}
    if len(figures) > 1 and len(shared) == 1 and figures[0].label:
        # one arm's or one population's figures: named once, before them
        return f"{_sentence_start(figures[0].label)}: " + " · ".join(f.unlabelled for f in figures)
    return " · ".join(f.text for f in figures) or NO_EFFICACY_TEXT


def _sentence_start(label: str) -> str:
    """"venetoclax cohort" -> "Venetoclax cohort"; "uMRD…" or "R/R" as written."""
    return label[0].upper() + label[1:] if label[:2].isalpha() and label[:2].islower() else label


def headline_arms(outcomes: Sequence[Outcome], limit: int = 2, *,
                  compares_arms: bool = False) -> str:
    """Which arm is which in the headline's "vs" pairs, in the pair's order: "venetoclax +
    azacitidine vs placebo + azacitidine"; "" when the headline has no pair with both arms
    named. The card is too narrow for it; the detail view and `tracker show` write it."""
    pairs: list[str] = []
    for figure in headline_figures(outcomes, limit, compares_arms=compares_arms):
        arms = (figure.outcome.arm, getattr(figure.comparator, "arm", None))
        if all(arms) and f"{arms[0]} vs {arms[1]}" not in pairs:
            pairs.append(f"{arms[0]} vs {arms[1]}")
    return "; ".join(pairs)


def labelled_value(outcome: Outcome, value: str | None = None) -> str:
    """The figure's label and value, "OS 14.7 months", without a doubled label: a value that
    already names its metric ("objective responses in all patients", "HR = 0.66") is written
    alone, after any other metric its label names ("HR (OS)": "OS HR = 0.66") unless the
    value names that one too. The CLI, the detail view and the exports write figures with it."""
    value = with_unit(outcome) if value is None else value
    metric = classify_metric(outcome.metric)
    rule = _BY_METRIC.get(metric)
    if rule is None or not rule.pattern.search(outcome.value):
        return f"{outcome.metric} {value}"
    rest = rule.pattern.sub(" ", outcome.metric).strip(" ()-:")
    other = classify_metric(rest) if rest else Metric.OTHER
    if other not in _RANK or _BY_METRIC[other].pattern.search(outcome.value):
        return value  # the value names that one too ("MRD-negative CR after one cycle")
    return f"{other.value} {value}"


def _figure(outcome: Outcome, other: Outcome | None, label: str) -> HeadlineFigure:
    if other is None:
        value = headline_value(outcome)
    else:  # a pair is written as printed on both sides, its unit once when both lack it
        first = with_unit(outcome) if outcome.value.strip()[-1:] == "%" \
            or _same_unit_missing(other) else outcome.value
        value = f"{first} vs {with_unit(other)}"
    text = labelled_value(outcome, value)
    metric = classify_metric(outcome.metric)
    rate = metric.value in RATE_METRICS and is_percentage(outcome)
    if rate:
        text = f"{text} at {short_timepoint(str(getattr(outcome, 'timepoint', '') or ''))}"
    mark = f" {CAVEAT_MARK}" if getattr(outcome, "caveat", None) \
        or getattr(other, "caveat", None) else ""
    labelled = f"{with_label(text, label)}{mark}" if label else f"{text}{mark}"
    return HeadlineFigure(outcome, other, labelled, rate, unlabelled=f"{text}{mark}",
                          label=label)


def _same_unit_missing(other: Outcome) -> bool:
    """True when the comparator's value is also a bare number (so the unit goes on both)."""
    return with_unit(other) != other.value
