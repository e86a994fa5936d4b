"""The comparison table every handout leads with: one row per trial, one column per metric.

Columns are the metrics of the domain vocabulary (`tracker.domain.metrics`) that at least
one trial of the list reports, in the vocabulary's comparison order; safety columns (CRS,
ICANS grade ≥3) appear only when curated. A cell holds each figure as printed, with its
timepoint, arm and (when it differs from the row's) population as small print; a figure with
a curator's caveat carries a letter, and the caveats are printed under the table
(caveat_notes.py). A figure the review printed wrong (its curated `print_fault`:
`tracker.domain.misprints`) is, for a misprint, replaced by "see note a", so no one copies a
misprint from the table; for a mislabel, shown under what it measures (ZUMA-7's "PFS 41%" in
the EFS column), its note saying how the review labels it. A trial with no figure says so in
its row; when more than a few trials have none (a whole-library export), they are listed
compactly after the table instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from tracker.domain import Outcome, Trial
from tracker.domain.drug_names import drug_label
from tracker.domain.enums import RegistryStatus, phase_label
from tracker.domain.headline_labels import with_unit
from tracker.domain.metrics import (
    COMPARISON_COLUMNS,
    NO_EFFICACY_TEXT,
    Metric,
    MetricCategory,
    classify_metric,
    comparison_metric,
    metric_category,
    metric_name,
)
from tracker.domain.misprints import measured_metric
from tracker.domain.status_words import handout_status, stop_reason
from tracker.domain.words import bracketable
from tracker.services.exports.caveat_notes import CaveatNote, CaveatNotes, superscript
from tracker.services.exports.handout import Handout, HandoutTrial

# At most this many trials without a figure keep their (otherwise empty) table rows; more,
# and they are all listed compactly after the table instead of filling pages of blank rows.
FEW_WITHOUT_FIGURES = 5


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
    note: str = ""  # the letter of the curator's caveat printed under the table, if any
    #: misprinted (the outcome's `print_fault`): the cell points to the note and never
    #: prints the number
    withheld: bool = False

    @property
    def marker(self) -> str:
        return superscript(self.note)

    @property
    def pointer(self) -> str:
        """"see note a": what the cell says instead of a figure not usable as printed."""
        return f"see note {self.note}"


@dataclass(frozen=True)
class TrialSize:
    """A trial's N: the registry's enrollment, or for a study with no registry record the
    patients figure the review printed (never a substudy figure of a registered trial)."""

    number: int | None
    printed: str  # the review's words when they hold no single number ("eight")
    estimated: bool = False
    from_registry: bool = True

    @property
    def column(self) -> str:
        """For an "N" column: "180", "180 (est.)", "eight"."""
        shown = str(self.number) if self.number is not None else self.printed
        return f"{shown} (est.)" if self.estimated else shown

    @property
    def label(self) -> str:
        """For a facts line: "N 180" (registry), "n = 5" (as the review reported it)."""
        return f"N {self.column}" if self.from_registry else f"n = {self.column}"


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
    size: TrialSize | None = None
    position: int = 0  # in the watch list

    @property
    def has_figures(self) -> bool:
        return bool(self.cells)

    @property
    def facts(self) -> str:
        """"NCT03391466 · Phase 3 · N 180 · not synced yet": the small print under a title."""
        size = self.size.label if self.size else ""
        return " · ".join(p for p in (self.nct_id, self.phase, size, self.status) if p)


@dataclass(frozen=True)
class Comparison:
    metrics: list[Column]
    rows: list[ComparisonRow]  # the table's rows
    notes: list[CaveatNote] = field(default_factory=list)  # printed under the table
    listed: list[ComparisonRow] = field(default_factory=list)  # no figure: after the table


NOT_REGISTERED = "not registered"


def status_text(item: HandoutTrial, context: bool = True) -> str:
    """The trial's status with what it needs beside it (a last known status, an old
    verification date, not found any more); `context` off: a table cell's short form, which
    still names an Unknown status's last known one."""
    trial = item.trial
    said = handout_status(trial, context=context)
    if said is not None:
        if not context and trial.status is RegistryStatus.UNKNOWN and trial.last_known_status:
            said += f" (last known: {trial.last_known_status.label})"
        return said
    if not trial.is_registered:
        return NOT_REGISTERED
    if trial.registry_state.value == "never_synced":
        return "not synced yet"  # the window's and the CLI's words
    return trial.registry_state.value.replace("_", " ")


def trial_facts(item: HandoutTrial) -> list[str]:
    """Status, phase, modality, N and sponsor: the facts line of a trial's handout section
    (a study with no registry record says so once: "not registered on ClinicalTrials.gov";
    the renderer adds the registry link of a registered one)."""
    trial = item.trial
    status = status_text(item)
    if status == NOT_REGISTERED:
        status = "not registered on ClinicalTrials.gov"
    facts = [status]
    if reason := stop_reason(trial.status, trial.why_stopped):  # a safety fact, kept
        facts.append(f"why stopped: {reason}")
    facts += [phase_label(trial.phases), trial.modality.label]
    size = trial_size(item)
    if size is not None:
        facts.append(size.label)
    if trial.sponsor_shown:
        facts.append(f"sponsor {trial.sponsor_shown}")
    return facts


def _population(outcomes: list[Outcome], diseases: tuple[str, ...]) -> str:
    counted = Counter(o.population for o in outcomes if o.population)
    if counted:
        return counted.most_common(1)[0][0]
    return ", ".join(diseases)


def _arms(outcomes: list[Outcome], trial: Trial) -> tuple[str, str]:
    """The row's "A vs B": the arms its efficacy figures name, the first the intervention; a
    randomised trial whose reviews print one arm's figures names its curated comparator, said
    to have none (ZUMA-7: "axicabtagene ciloleucel vs standard of care (no figures in the
    reviews)"), so the row never reads as a single-arm trial's."""
    arms = list(dict.fromkeys(o.arm for o in outcomes if o.arm and not _is_versus(o)))
    if not arms:
        return (" + ".join(drug_label(drug) for drug in trial.drugs), "")
    if len(arms) > 1:
        return arms[0], arms[1]
    if trial.comparator and trial.comparator != arms[0]:
        printed = any(o.arm == trial.comparator for o in trial.outcomes)  # safety, say
        return arms[0], trial.comparator if printed else NO_FIGURES_ARM.format(
            arm=trial.comparator)
    return arms[0], ""  # one arm printed, none compared: a single-arm trial's


#: A compared arm the reviews print no figure for.
NO_FIGURES_ARM = "{arm} (no figures in the reviews)"


def trial_size(item: HandoutTrial) -> TrialSize | None:
    """The registry's enrollment; for a study with no registry record (a local id) the
    largest patients figure the review printed for it (the whole cohort, not a subgroup).
    A registered trial not synced yet has no N: a curated "patients" figure of a registered
    trial may describe a substudy (ZUMA-1's 11 biopsied lymphoma cases)."""
    trial = item.trial
    if trial.enrollment is not None:
        estimated = (trial.enrollment_kind or "").upper() == "ESTIMATED"
        return TrialSize(trial.enrollment, str(trial.enrollment), estimated)
    if trial.is_registered:
        return None
    figures = [o for o in trial.outcomes if not o.is_context
               and classify_metric(o.metric) is Metric.ENROLLMENT]
    counted = [o for o in figures if o.number is not None and o.number == int(o.number)]
    if counted:
        return TrialSize(int(max(counted, key=lambda o: o.number).number), "",
                         from_registry=False)
    return TrialSize(None, figures[0].value, from_registry=False) if figures else None


#: How a reader tells the arms apart in a comparison cell (`_detail` names only the others).
UNNAMED_ARM_NOTE = ("A figure with no arm named beside it is the intervention's, the first arm "
                    "of the trial's \"A vs B\" line")


def _detail(outcome: Outcome, heading: Column, row_population: str,
            row_arms: tuple[str, str]) -> str:
    """The figure's own label where the column's heading does not say it, timepoint always;
    arm and population only where they differ from the row's (the row's "A vs B"
    comparison is not repeated beside a hazard ratio)."""
    intervention, comparator = row_arms
    same = {intervention, f"{intervention} vs {comparator}"}
    parts = [_own_label(outcome, heading), outcome.timepoint,
             outcome.arm if outcome.arm not in same else None]
    if outcome.population and outcome.population != row_population:
        parts.append(outcome.population)
    return " · ".join(p for p in parts if p)


def _own_label(outcome: Outcome, heading: Column) -> str | None:
    """The label the review printed for a figure whose column heading does not say all of
    it: the MRD column holds "uMRD (<10^-6)", "uMRD", "MRD-negative CR" and "MRD negativity",
    different endpoints a reader must not compare as one (CLL14's 40% is at 10^-6). None
    when the heading says it, or for a mislabel (its note says how the review labels it)."""
    fault = outcome.print_fault
    if fault is not None and measured_metric(fault) is not None:
        return None
    label = outcome.metric.strip()
    said = {heading.label.lower(), heading.name.lower(), heading.key.value.lower()}
    return None if label.lower() in said else label


def build_comparison(handout: Handout) -> Comparison:
    present: set[Metric] = set()
    notes = CaveatNotes()
    rows = []
    for position, item in enumerate(handout.trials):
        trial = item.trial
        efficacy = [o for o in trial.outcomes if is_efficacy(o)]
        population = _population(efficacy, trial.diseases)  # not a substudy's (ZUMA-1)
        intervention, comparator = _arms(efficacy, trial)
        cells: dict[Metric, list[CellFigure]] = {}
        for outcome in trial.outcomes:
            metric = _column_of(outcome)  # None: context, statistics, enrollment...
            if metric is not None:
                heading = column(metric)
                cells.setdefault(metric, []).append(_cell_figure(
                    outcome, item, notes, heading.label,
                    _detail(outcome, heading, population, (intervention, comparator)),
                    handout))
                present.add(metric)
        size = trial_size(item)
        rows.append(ComparisonRow(
            item=item, title=trial.display_title, nct_id=trial.id,
            phase=phase_label(trial.phases), n=size.column if size else "",
            population=population, intervention=intervention, comparator=comparator,
            status=status_text(item, context=False), cells=cells, size=size,
            position=position))
    metrics = [column(metric) for metric in _COLUMN_ORDER if metric in present]
    without = [row for row in rows if not row.has_figures]
    if not present or len(without) > FEW_WITHOUT_FIGURES:
        return Comparison(metrics, [r for r in rows if r.has_figures], notes.notes(), without)
    return Comparison(metrics, rows, notes.notes())


def _column_of(outcome: Outcome) -> Metric | None:
    """The column a figure goes in: its label's, or for a mislabel what it measures."""
    metric = comparison_metric(outcome)
    fault = outcome.print_fault
    measured = measured_metric(fault) if fault is not None and metric is not None else None
    return measured or metric


def _cell_figure(outcome: Outcome, item: HandoutTrial, notes: CaveatNotes, label: str,
                 detail: str, handout: Handout) -> CellFigure:
    """The figure as its cell shows it: with its caveat's letter, or only a pointer to that
    note when the review misprinted it (a print fault the table cannot place: withheld too).
    The note is the caveat (a print fault's reason when a figure from elsewhere has none);
    for a mislabel it also says how the review labels the figure."""
    trial, fault = item.trial, outcome.print_fault
    note = outcome.caveat or (fault.why if fault else None)
    if not note:
        return CellFigure(outcome, detail, handout.cite_short(outcome))
    relabelled = fault is not None and measured_metric(fault) is not None
    withheld = fault is not None and not relabelled
    letter = notes.letter_for(trial.id, trial.display_title, label, note, withheld=withheld,
                              relabelled=outcome.metric if relabelled else None)
    return CellFigure(outcome, detail, handout.cite_short(outcome), letter, withheld)


# Columns read left to right as a response table does (ORR, CR family, MRD, then time to
# event), safety last; COMPARISON_COLUMNS (the vocabulary's headline order) says which.
_FIRST = (Metric.ORR, Metric.CR, Metric.SCR, Metric.CR_CRI, Metric.CR_CRH, Metric.CR_CRP,
          Metric.CRI, Metric.MRD)
_COLUMN_ORDER = (*_FIRST, *(m for m in COMPARISON_COLUMNS if m not in _FIRST))


def reference_number(source: str) -> str:
    """'[2] Gao et al. 2025' -> '[2]'; an uncited figure keeps its whole label."""
    return source.split(" ", 1)[0] if source.startswith("[") else f"({source})"


def cell_text(figure: CellFigure) -> str:
    """One figure on one line: '54.9% (27 months; cilta-cel) [2]', '61%ᵃ (24 months) [1]';
    one not usable as printed: 'see note a (6 years) [1]'."""
    detail = bracketable(figure.detail.replace(" · ", "; "))
    shown = figure.pointer if figure.withheld else with_unit(figure.outcome) + figure.marker
    value = f"{shown} ({detail})" if detail else shown
    return f"{value} {reference_number(figure.source)}"


def listed_heading(comparison: Comparison) -> str:
    """The heading of the trials listed without a figure: "No efficacy figure in the
    reviews", or "No efficacy figure from the reviews" when the registry has posted results
    for one of them (each such trial's line says so)."""
    from tracker.domain.registry_headline import NO_REVIEW_FIGURE_TEXT

    posted = any(row.item.trial.has_results for row in comparison.listed)
    return NO_REVIEW_FIGURE_TEXT if posted else NO_EFFICACY_TEXT


def listed_text(row: ComparisonRow) -> str:
    """A trial without a figure, listed after the table: 'ZUMA-1 · NCT02348216 · Phase 1/2 ·
    not synced yet'."""
    posted = "registry results posted" if row.item.trial.has_results else ""
    return " · ".join(p for p in (row.title, row.nct_id, row.phase, row.status, posted) if p)
