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
source and its caveat, and the fault is curated data too (`print_fault`, db/README.md), so a
trial re-keyed by a sync or a value a curator edits keeps its class; each says `why`
(tests/unit/test_misprints.py lists the classed figures).

Caveated figures left to read with care, though their caveats name a label or a doubt:
MURANO's PFS "53.6 months" (the review calls it a 5-year rate, but a value in months is the
median PFS, what a PFS column of medians holds); CARTITUDE-1's CR "82.5%" (the stringent CR
rate: a stringent CR is a CR); ZUMA-3's and ELIANA's ORR "71%"/"81%" (CR or CRi remission
rates, which in these ALL trials is the response rate); KarMMa's 12-month PFS/OS
"27.3%"/"64%" (not traced to a rate in the KarMMa report, but not shown wrong: its medians,
PFS 8.8 and OS 19.4 months, are compatible with them); LOCAL-VEN-MINIHCVD's CR "65%" (the
review's table and text disagree on the label, and which is right is not settled).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

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
