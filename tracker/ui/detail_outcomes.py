"""The detail view's "Outcomes (curated)" section as HTML: the headline (the card's rules),
which arm is which in a headline pair, then each figure with its citation and quoted passage.

Every curated string is escaped.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from tracker.domain.headline_labels import with_unit
from tracker.domain.registry_headline import (
    NO_REVIEW_FIGURE_TEXT,
    headline_or_registry,
    registry_results_words,
)
from tracker.ui.detail_sections import MUTED_STYLE, TABLE_ATTRIBUTES, muted

if TYPE_CHECKING:
    from tracker.domain import Outcome, Trial


def curated_outcomes(trial: Trial, narrow: bool = False,
                     posted_measures: int | None = None) -> str:
    """The headline (same rules as the card), the trial's results, then class-level context;
    each figure with its arm/population/timepoint, its citation and the passage quoted.
    `narrow`: a pane too narrow for three columns gets one figure per row, words unbroken.
    `posted_measures`: the registry results' measures stored, which a headline without a
    review figure points to."""
    # imported here: compiling the headline rules waits until after the first paint
    from tracker.domain.metrics import headline_arms, headline_text

    registry = registry_results_words(posted_measures, trial.has_results)
    if not trial.outcomes:
        if registry:
            return muted(f"{NO_REVIEW_FIGURE_TEXT}: the reviews quote none for this trial · "
                         f"{registry}, shown below.")
        return muted("No curated outcomes: the reviews quote no figures for this trial.")
    figures = headline_text(trial.outcomes, compares_arms=trial.compares_arms)
    headline = headline_or_registry(figures, posted_measures, trial.has_results)
    parts = [f"<p><b>Headline:</b> {escape(headline)}</p>"]
    arms = headline_arms(trial.outcomes, compares_arms=trial.compares_arms)
    if arms:
        parts.append(f"<p><b>Arms compared:</b> {escape(arms)}</p>")
    results = [o for o in trial.outcomes if not o.is_context]
    context = [o for o in trial.outcomes if o.is_context]
    caveats: dict[str, str] = {}  # a caveat shown once per trial -> the figure it sits under
    if results:
        parts.append(_outcome_table(results, caveats, narrow))
    if context:
        parts.append("<p><b>Context from the reviews</b> <i>(class-level statements, not this "
                     "trial's results)</i></p>" + _outcome_table(context, caveats, narrow))
    return "".join(parts)


_CAVEAT_STYLE = "color:#9a3412"


def _outcome_table(outcomes: list[Outcome], caveats: dict[str, str], narrow: bool) -> str:
    """One row per figure. A curator's caveat gets its own row across the table, under the
    first figure it concerns; later figures with the same caveat point back to it."""
    # Metric and Value are sized from their words (the last column has the share), so they
    # wrap between words; a narrow pane gets a single column instead
    head = ("<tr><th align='left'>Metric</th><th align='left'>Value</th>"
            "<th align='left' width='58%'>Arm / population / timepoint</th></tr>")
    if narrow:
        head = "<tr><th align='left'>Figure — arm / population / timepoint</th></tr>"
    from tracker.domain.metrics import labelled_value  # compiles its rules: after first paint
    from tracker.services.references import reference_book  # pydantic: not at first paint

    book = reference_book()
    rows = []
    previous_quote = None
    for o in outcomes:
        who = " · ".join(escape(p) for p in (o.arm, o.population, o.timepoint) if p)
        value = escape(with_unit(o))
        pointer = _fault_words(o)
        if o.caveat and o.caveat in caveats:
            pointer += (f"<br><small style='{_CAVEAT_STYLE}'>see the curator's caveat under "
                        f"{escape(caveats[o.caveat])}</small>")
        # a table row or sentence printing several figures is quoted once, at its first figure
        quote = f"<br><i>“{escape(o.quote)}”</i>" if o.quote and o.quote != previous_quote else ""
        previous_quote = o.quote
        source = f"<small style='{MUTED_STYLE}'>{escape(book.cite(o.source))}{quote}</small>"
        shown = value if o.print_fault else f"<b>{value}</b>"  # printed wrong: never bold
        labelled = escape(labelled_value(o)).replace(value, shown, 1)
        rows.append(f"<tr><td>{labelled}{pointer}<br/>{who}<br/>"
                    f"{source}</td></tr>" if narrow else
                    f"<tr><td>{escape(o.metric)}</td><td>{shown}{pointer}</td>"
                    f"<td>{who}<br/>{source}</td></tr>")
        if o.caveat and o.caveat not in caveats:
            caveats[o.caveat] = labelled_value(o)
            rows.append(f"<tr><td colspan='{1 if narrow else 3}' style='{_CAVEAT_STYLE}'>"
                        f"<b>Curator's caveat:</b> {escape(o.caveat)}</td></tr>")
    return f"<table {TABLE_ATTRIBUTES}>{head}{''.join(rows)}</table>"


def _fault_words(outcome: Outcome) -> str:
    """Right after a figure the review printed wrong: "(misprint in the review: see
    caveat)", "(labelled PFS by the review; measures EFS)"; "" for any other figure."""
    fault = outcome.print_fault
    if fault is None:
        return ""
    return (f" <small style='{_CAVEAT_STYLE}'><i>({escape(fault.marker(outcome.metric))})"
            "</i></small>")
