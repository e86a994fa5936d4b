"""Curated figures the review printed wrong: the fault kinds, one vocabulary, and a figure's fault.

Every curated figure with a curator's caveat is one of two kinds:

- **to read with care**: the figure is what the review reports, and the caveat says what to
  keep in mind (a small or early cohort, a non-randomised comparison, one arm of a randomised
  trial, a study the review does not name, a denominator not given, a label the review leaves
  in doubt, a figure the curator could not trace to the trial's report). It may be set beside
  other trials' figures with its caveat's letter.
- **printed wrong** (a `PrintFault`, curated with the figure beside its caveat): a *misprint*,
  whose number is not what the trial reported (a median in months printed as a rate, figures
  from misaligned table columns), or a *mislabel*, the trial's real figure for another measure
  than the one its label names (a duration of remission labelled PFS), which `measures` names
  in the metric vocabulary (`tracker.domain.metrics`).

The curated value is never changed: the trial's own outcomes keep it, with its quote, its
source and its caveat. Why each figure is classed as it is, and why some caveated figures
that look alike are not, is said beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tracker.domain.metrics import Metric


class FaultKind(StrEnum):
    #: the number is not what the trial reported
    MISPRINT = "misprint"
    #: the number is the trial's, for another measure than the label the review gives it
    MISLABEL = "mislabel"


@dataclass(frozen=True)
class PrintFault:
    """How the review printed a curated figure wrong, and why the curator says so (`why`); a
    mislabel names what the figure measures (`measures`, a metric of the vocabulary, "EFS")."""

    kind: FaultKind
    why: str
    measures: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FaultKind(self.kind))  # as stored: plain text
        problem = _shape_problem(self)
        if problem:
            raise ValueError(problem)

    @property
    def withheld(self) -> bool:
        """A misprint is never set beside other figures (a mislabel is, under what it
        measures)."""
        return self.kind is FaultKind.MISPRINT

    def marker(self, label: str) -> str:
        """What follows the figure wherever it is shown: "misprint in the review: see
        caveat"; "labelled PFS by the review; measures EFS" (`label`: the curated metric)."""
        if self.kind is FaultKind.MISLABEL:
            return f"labelled {label} by the review; measures {self.measures}"
        return "misprint in the review: see caveat"


def _shape_problem(fault: PrintFault) -> str | None:
    if not fault.why.strip():
        return "a print fault says why (`why`)"
    if fault.kind is FaultKind.MISLABEL and not fault.measures:
        return "a mislabel names what the figure measures (`measures`, e.g. \"EFS\")"
    if fault.kind is FaultKind.MISPRINT and fault.measures is not None:
        return "a misprint measures nothing: `measures` is for a mislabel"
    return None


def measured_metric(fault: PrintFault) -> Metric | None:
    """The comparison column a mislabelled figure belongs in (what it measures); None for a
    misprint, or a measure the vocabulary has no comparison column for."""
    from tracker.domain.metrics import COMPARISON_COLUMNS

    if fault.kind is not FaultKind.MISLABEL:
        return None
    return next((m for m in COMPARISON_COLUMNS if m.value == fault.measures), None)


def fault_problem(fault: PrintFault, label: str) -> str | None:
    """Why a curated figure labelled `label` cannot carry `fault`, or None: a mislabel
    measures a metric of the vocabulary with a comparison column, other than its label's."""
    from tracker.domain.metrics import COMPARISON_COLUMNS, classify_metric

    if fault.kind is not FaultKind.MISLABEL:
        return None
    metric = measured_metric(fault)
    if metric is None:
        names = ", ".join(m.value for m in COMPARISON_COLUMNS)
        return f"a mislabel measures one of {names}, not {fault.measures!r}"
    if metric is classify_metric(label):
        return f"{label!r} already names {metric.value}: not a mislabel"
    return None


@dataclass(frozen=True)
class FaultyFigure:
    trial_id: str
    metric: str  # as curated (the review's label)
    value: str  # as printed
    fault: FaultKind
    why: str


_MISPRINT, _MISLABEL = FaultKind.MISPRINT, FaultKind.MISLABEL
_CLL14_UNITS = ("the cited 6-year analysis reports medians of 76.2 and 36.4 months; the review "
                "prints them as 6-year PFS rates")
_ELIANA_PAIR = ("the published 6-month figures are EFS 73% and OS 90%: the printed 90%/82% "
                "pair matches neither")

NOT_USABLE_AS_PRINTED: tuple[FaultyFigure, ...] = (
    FaultyFigure("NCT02242942", "PFS", "76.2%", _MISPRINT, _CLL14_UNITS),  # CLL14
    FaultyFigure("NCT02242942", "PFS", "36.4%", _MISPRINT, _CLL14_UNITS),
    FaultyFigure("NCT02242942", "PFS HR", "HR 0.31–0.40", _MISPRINT,
                 "neither the reported HR (0.40) nor its confidence interval (0.31–0.52)"),
    FaultyFigure("NCT02435849", "PFS", "90%", _MISPRINT, _ELIANA_PAIR),  # ELIANA
    FaultyFigure("NCT02435849", "OS", "82%", _MISPRINT, _ELIANA_PAIR),
    FaultyFigure("NCT02445248", "PFS", "83%", _MISPRINT,  # JULIET
                 "the primary report gives no 83% PFS at 12 months (its 12-month figure is "
                 "relapse-free survival of 65%)"),
    FaultyFigure("NCT02614066", "PFS", "12.8mo", _MISLABEL,  # ZUMA-3
                 "12.8 months is the median duration of remission, not PFS"),
    FaultyFigure("NCT03391466", "PFS", "41%", _MISLABEL,  # ZUMA-7
                 "the 24-month figure is event-free survival, the trial's primary endpoint"),
)
# Caveated figures left to read with care, though their caveats name a label:
# - MURANO PFS "53.6 months": the review calls it a 5-year rate, but the value printed in
#   months is the trial's median PFS, which is what a PFS column of medians holds.
# - CARTITUDE-1 CR "82.5%": the stringent CR rate; a stringent CR is a CR, so the figure is
#   not another measure, only the strictest part of this one.
# - ZUMA-3 ORR "71%", ELIANA ORR "81%": overall (complete) remission rates, CR or CRi; in these
#   ALL trials that is the response rate, so the ORR column is the right place, with the note.
# - KarMMa PFS "27.3%" / OS "64%" (12 months): not traced to a rate in the KarMMa report, but
#   not shown wrong either: its medians (PFS 8.8, OS 19.4 months) are compatible with them.
# - LOCAL-VEN-MINIHCVD CR "65%": the review's table and text disagree on the label; which one
#   is right is not settled, so it is not shown wrong.

_BY_FIGURE = {(f.trial_id, f.metric, f.value): f for f in NOT_USABLE_AS_PRINTED}


class _Figure(Protocol):
    metric: str
    value: str


def print_fault(trial_id: str, outcome: _Figure) -> FaultyFigure | None:
    """The table's row for this figure of trial `trial_id` (None: usable as printed, with its
    caveat if it has one)."""
    return _BY_FIGURE.get((trial_id, outcome.metric, outcome.value))
