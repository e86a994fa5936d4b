"""How one headline figure is written: timepoint, unit, population label, no doubled label.

The rules (used by `tracker.domain.metrics.headline_text`, so the card, the detail view, the
CLI and the exports write a figure the same way):
- A survival or duration figure given as a percentage (OS 36%, PFS 33%) is a rate at a time and
  means nothing without it: it is written with its timepoint in short form ("OS 36% at 2 y").
  Without a timepoint it is not eligible for the headline (`needs_timepoint`).
- The printed value is never changed in substance. A bare number ("18.2") is followed by its
  unit, taken from the outcome's unit field, else from a unit its timepoint names ("median,
  months"); a value printed as prose is written in a results table's form in a headline
  ("Three out of five patients (60%)": "60% (3/5)"; headline_values.py).
- When the headline figures come from different populations (untreated vs relapsed/refractory)
  or, within one population, from different arms, each is labelled in short form:
  POPULATION_SHORT_FORMS turns "relapsed/refractory Ph-negative ALL" into "R/R"; when the
  short forms do not tell them apart, the population (or arm) itself, cut at its first
  parenthesis or comma.
- A figure shown alone from a trial that compares arms (MURANO's "OS 82.1% at 5 y", whose
  other arm's OS the reviews do not print) is labelled with its arm the same way
  (`arm_label`), so no one reads one arm's result as the trial's.
- A value that already names its metric ("objective responses in all patients") is written
  without the label, so a headline never reads "ORR objective responses..."; a label that
  also names another metric keeps only that one ("HR (OS)", "HR = 0.66": "OS HR = 0.66").
  `tracker.domain.metrics.labelled_value` applies this to any figure (the handout sections).
"""

from __future__ import annotations

import re

# Time-to-event metrics whose percentage figures are rates at a timepoint (metric values).
RATE_NEEDS_TIMEPOINT = frozenset({"OS", "PFS", "EFS", "RFS", "DOR", "TTP", "TTNT"})

# Population wording -> the short label a clinician writes; checked top to bottom.
POPULATION_SHORT_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"relapsed|refractory|\br/r\b|\bRR(MM|AML|ALL|CLL|DLBCL|LBCL|FL|MCL)\b|"
                r"salvage|after fail", re.IGNORECASE), "R/R"),
    (re.compile(r"newly diagnosed|untreated|treatment[- ]na[iï]ve|front[- ]?line|first[- ]line"
                r"|\bND\b", re.IGNORECASE), "untreated"),
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)[\s-]*(years?|yrs?|y|months?|mos?|weeks?|wks?|days?)\b",
                       re.IGNORECASE)
_SHORT_UNIT = {"y": "y", "m": "mo", "w": "wk", "d": "d"}
_BARE_NUMBER = re.compile(r"^\s*[~<>≤≥]?\s*\d+(?:[.,]\d+)?\s*$")
_UNIT_WORD = re.compile(r"\b(months|years|weeks|days)\b", re.IGNORECASE)
_LABEL_LIMIT = 28


def _field(outcome: object, name: str) -> str:
    return str(getattr(outcome, name, None) or "").strip()


def is_percentage(outcome: object) -> bool:
    return "%" in _field(outcome, "value") or _field(outcome, "unit") == "%"


def short_timepoint(timepoint: str) -> str:
    """"2 years" -> "2 y", "12 months (as labelled in the table)" -> "12 mo"; "" for a
    timepoint that is not a time (a median)."""
    text = timepoint.strip()
    if not text or text.lower().startswith("median"):
        return ""
    match = _DURATION.match(text)
    if match:
        return f"{match.group(1)} {_SHORT_UNIT[match.group(2)[0].lower()]}"
    return text.split(" (")[0]


def needs_timepoint(metric: str, outcome: object) -> bool:
    """A survival/duration rate with no timepoint: not a headline figure."""
    return (metric in RATE_NEEDS_TIMEPOINT and is_percentage(outcome)
            and not short_timepoint(_field(outcome, "timepoint")))


def with_unit(outcome: object) -> str:
    """The value as printed, with its unit after it when the value is a bare number."""
    value = _field(outcome, "value")
    if not _BARE_NUMBER.match(value):
        return value
    unit = _field(outcome, "unit")
    if not unit:
        found = _UNIT_WORD.search(_field(outcome, "timepoint"))
        unit = found.group(1).lower() if found else ""
    return f"{value} {unit}" if unit and unit != "%" else (f"{value}%" if unit == "%" else value)


def with_label(text: str, label: str) -> str:
    """"CR 90% (untreated)"; a text ending in its own bracket takes the label inside it:
    "CR 60% (3/5; R/R ETP-ALL)", not "CR 60% (3/5) (R/R ETP-ALL)"."""
    if text.endswith(")") and "(" in text:
        return f"{text[:-1]}; {label})"
    return f"{text} ({label})"


def names_its_metric(metric_of_value: str, metric: str) -> bool:
    """True when the value text itself names the metric ("MRD-neg in two patients")."""
    return metric_of_value == metric


def population_labels(outcomes: list, among: list = ()) -> list[str]:
    """One short label per headline figure when they come from different populations or
    arms, else empty strings. `among`: every figure that could lead; when those span several
    populations, headline figures from one of them are labelled too (a trial reporting
    untreated and relapsed cohorts never shows one cohort's figures unlabelled)."""
    populations = {_population_key(v) for v in (_field(o, "population") for o in among) if v}
    if len(outcomes) < 2 and len(populations) < 2:
        return [""] * len(outcomes)
    for field in ("population", "arm"):
        values = [_field(o, field) for o in outcomes]
        if not all(values):
            continue
        if field == "population":
            keys = {_population_key(v) for v in values}
            spread = len(keys) > 1 or len(populations) > 1
        else:
            keys = {v.lower() for v in values}
            spread = len(keys) > 1
        if not spread:
            continue
        shorts = [_short_population(v) if field == "population" else "" for v in values]
        if all(shorts) and len(set(shorts)) == len(keys):
            return shorts
        return [_clip(v) for v in values]
    return [""] * len(outcomes)


def _population_key(population: str) -> str:
    """What tells populations apart: the short form, else the wording itself."""
    return _short_population(population) or population.lower()


def _short_population(population: str) -> str:
    for pattern, label in POPULATION_SHORT_FORMS:
        if pattern.search(population):
            return label
    return ""


def arm_label(arm: str) -> str:
    """An arm's short label for a headline figure: "original cohort (no venetoclax)" is
    "original cohort"."""
    return _clip(arm)


def _clip(text: str) -> str:
    text = re.split(r" \(|, | - | — ", text)[0].strip()
    return text if len(text) <= _LABEL_LIMIT else text[:_LABEL_LIMIT - 1].rstrip() + "…"
