"""The comparison table every handout leads with: one row per trial, one column per metric.

Columns are the metrics of the domain vocabulary (`tracker.domain.metrics`) that at least
one trial of the list reports, in the vocabulary's comparison order; safety columns (CRS,
ICANS grade ≥3) appear only when curated. A cell holds each figure as printed, with its
timepoint, arm and (when it differs from the row's) population as small print.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tracker.domain import Outcome
from tracker.domain.drug_names import drug_label
from tracker.domain.enums import phase_label
from tracker.domain.headline_labels import with_unit
from tracker.domain.metrics import (
    CAVEAT_MARK,
    COMPARISON_COLUMNS,
    Metric,
    MetricCategory,
    classify_metric,
    comparison_metric,
    metric_category,
    metric_name,
)
from tracker.services.exports.handout import Handout, HandoutTrial


_SHORT_LABELS = {Metric.MRD: "MRD−", Metric.CRS_GRADE3: "CRS ≥3",
                 Metric.ICANS_GRADE3: "ICANS ≥3"}


@dataclass(frozen=True)
class Column:
    """A metric column: the vocabulary's metric, a short heading and what it means."""

    key: Metric
    label: str
    name: str


def column(metric: Metric) -> Column:
    return Column(metric, _SHORT_LABELS.get(metric, metric.value), metric_name(metric))


def is_efficacy(outcome: Outcome) -> bool:
    return (not outcome.is_context
            and metric_category(classify_metric(outcome.metric)) is MetricCategory.EFFICACY)


def _is_versus(outcome: Outcome) -> bool:
    """An arm or value printed 'A vs B' (a comparison, not one arm)."""
    text = f" {outcome.arm or ''} {outcome.value} ".lower()
    return " vs" in text or " versus " in text


@dataclass(frozen=True)
class CellFigure:
    outcome: Outcome
    detail: str  # "27 months · cilta-cel · R/R MM" (small print)
    source: str  # "[1] Liu et al. 2024" (the trial's section gives the table or passage)


@dataclass(frozen=True)
class ComparisonRow:
    item: HandoutTrial
    title: str
    nct_id: str
    phase: str
    n: str
    population: str
    intervention: str
    comparator: str
    status: str
    cells: dict[Metric, list[CellFigure]]


@dataclass(frozen=True)
class Comparison:
    metrics: list[Column]
    rows: list[ComparisonRow]


def status_text(item: HandoutTrial) -> str:
    trial = item.trial
    if trial.status:
        return trial.status.label
    if not trial.is_registered:
        return "not registered"
    if trial.registry_state.value == "never_synced":
        return "not synced yet"  # the window's and the CLI's words
    return trial.registry_state.value.replace("_", " ")


def trial_facts(item: HandoutTrial) -> list[str]:
    """Status, phase, modality, N and sponsor: the facts line of a trial's handout section."""
    trial = item.trial
    facts = [status_text(item), phase_label(trial.phases), trial.modality.label]
    if trial.enrollment is not None:
        facts.append(f"N {trial.enrollment}")
    if trial.sponsor:
        facts.append(f"sponsor {trial.sponsor}")
    return facts


def _population(outcomes: list[Outcome], diseases: tuple[str, ...]) -> str:
    counted = Counter(o.population for o in outcomes if o.population)
    if counted:
        return counted.most_common(1)[0][0]
    return ", ".join(diseases)


def _arms(outcomes: list[Outcome], drugs: tuple[str, ...]) -> tuple[str, str]:
    arms = list(dict.fromkeys(o.arm for o in outcomes if o.arm and not _is_versus(o)))
    if not arms:
        return (" + ".join(drug_label(drug) for drug in drugs), "")
    return arms[0], arms[1] if len(arms) > 1 else ""  # one arm printed: comparator unknown


def _enrollment(item: HandoutTrial) -> str:
    trial = item.trial
    if trial.enrollment is not None:
        kind = " (est.)" if (trial.enrollment_kind or "").upper() == "ESTIMATED" else ""
        return f"{trial.enrollment}{kind}"
    for outcome in trial.outcomes:
        if outcome.metric.lower() in ("patients", "enrollment", "enrolment"):
            return outcome.value
    return ""


def _detail(outcome: Outcome, row_population: str, row_arms: tuple[str, str]) -> str:
    """Timepoint always; arm and population only where they differ from the row's (the
    row's "A vs B" comparison is not repeated beside a hazard ratio)."""
    intervention, comparator = row_arms
    same = {intervention, f"{intervention} vs {comparator}"}
    parts = [outcome.timepoint, outcome.arm if outcome.arm not in same else None]
    if outcome.population and outcome.population != row_population:
        parts.append(outcome.population)
    if outcome.caveat:  # the caveat itself is printed in the trial's section
        parts.append(CAVEAT_MARK)
    return " · ".join(p for p in parts if p)


def build_comparison(handout: Handout) -> Comparison:
    present: set[Metric] = set()
    rows = []
    for item in handout.trials:
        trial = item.trial
        efficacy = [o for o in trial.outcomes if is_efficacy(o)]
        population = _population(efficacy or [o for o in trial.outcomes if not o.is_context],
                                 trial.diseases)
        intervention, comparator = _arms(efficacy, trial.drugs)
        cells: dict[Metric, list[CellFigure]] = {}
        for outcome in trial.outcomes:
            metric = comparison_metric(outcome)  # None: context, statistics, enrollment...
            if metric is not None:
                cells.setdefault(metric, []).append(
                    CellFigure(outcome, _detail(outcome, population, (intervention, comparator)),
                               handout.cite_short(outcome)))
                present.add(metric)
        rows.append(ComparisonRow(
            item=item, title=trial.display_title, nct_id=trial.id,
            phase=phase_label(trial.phases), n=_enrollment(item), population=population,
            intervention=intervention, comparator=comparator, status=status_text(item),
            cells=cells))
    metrics = [column(metric) for metric in _COLUMN_ORDER if metric in present]
    return Comparison(metrics, rows)


# Columns read left to right as a response table does (ORR, CR family, MRD, then time to
# event), safety last; COMPARISON_COLUMNS (the vocabulary's headline order) says which.
_FIRST = (Metric.ORR, Metric.CR, Metric.SCR, Metric.CR_CRI, Metric.CR_CRH, Metric.CR_CRP,
          Metric.CRI, Metric.MRD)
_COLUMN_ORDER = (*_FIRST, *(m for m in COMPARISON_COLUMNS if m not in _FIRST))


def reference_number(source: str) -> str:
    """'[2] Gao et al. 2025' -> '[2]'; an uncited figure keeps its whole label."""
    return source.split(" ", 1)[0] if source.startswith("[") else f"({source})"


def cell_text(figure: CellFigure) -> str:
    """One figure on one line: '54.9% (27 months; cilta-cel) [2]'."""
    detail = figure.detail.replace(" · ", "; ")
    shown = with_unit(figure.outcome)
    value = f"{shown} ({detail})" if detail else shown
    return f"{value} {reference_number(figure.source)}"


@dataclass(frozen=True)
class Grid:
    """The comparison table as plain paragraphs, for a renderer that paints tables itself
    (Qt's rich-text tables lay out 1,000 rows in seconds; the PDF paints this instead).

    Each cell is a list of (style, text) paragraphs; styles: title, value, small, italic.
    `widths` are the columns' shares of the page width.
    """

    headers: list[str]
    widths: list[float]
    rows: list[list[list[tuple[str, str]]]]


def comparison_grid(comparison: Comparison) -> Grid:
    metrics = comparison.metrics
    share = 0.76 / len(metrics) if metrics else 0.0
    rows = []
    for row in comparison.rows:
        facts = " · ".join(p for p in (row.nct_id, row.phase, f"N {row.n}" if row.n else "",
                                       row.status) if p)
        versus = row.intervention + (f" vs {row.comparator}" if row.comparator else "")
        trial = [("title", row.title), ("small", facts)]
        trial += [("small", row.population)] if row.population else []
        trial += [("italic", versus)] if versus else []
        cells = [trial]
        for metric in metrics:
            cell: list[tuple[str, str]] = []
            for figure in row.cells.get(metric.key, []):
                cell.append(("value", f"{with_unit(figure.outcome)} "
                                      f"{reference_number(figure.source)}"))
                if figure.detail:
                    cell.append(("small", figure.detail))
            cells.append(cell)
        rows.append(cells)
    widths = [0.24 if metrics else 1.0, *([share] * len(metrics))]
    return Grid(["Trial", *(m.label for m in metrics)], widths, rows)
