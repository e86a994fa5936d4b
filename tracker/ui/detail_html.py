"""The detail view's document: registry fields, summaries, outcomes with sources, history.

All registry and user text is escaped; the registry's brief summary is markdown rendered by
Qt's own markdown reader.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument

from tracker.domain.enums import phase_label
from tracker.ui.formatting import freshness, status_colour, status_label

if TYPE_CHECKING:
    from tracker.domain import Outcome, Trial
    from tracker.services.details import TrialDetails


def detail_html(details: TrialDetails) -> str:
    trial = details.trial
    parts = [_header(trial), _fields(trial)]
    if trial.summary:
        parts.append(f"<h3>Curator's summary</h3><p>{escape(trial.summary)}</p>")
    parts.append(_outcomes(trial))
    parts.append(_history(details))
    if trial.brief_summary:
        parts.append(f"<h3>Registry summary</h3>{markdown_fragment(trial.brief_summary)}")
    return "".join(parts)


def _header(trial: Trial) -> str:
    colour = status_colour(trial.status, trial.registry_state.value).name()
    pill = (f"<span style='background:{colour};color:white;font-weight:bold'>&nbsp;"
            f"{escape(status_label(trial.status, trial.registry_state.value))}&nbsp;</span>")
    if trial.registry_state.value == "not_found" and trial.status:
        pill += f" <i>(last seen: {escape(trial.status.label)})</i>"
    link = (f"<a href='{escape(trial.registry_url)}'>{escape(trial.id)} on ClinicalTrials.gov</a>"
            if trial.registry_url else escape(trial.id))
    title = escape(trial.display_title)
    subtitle = f"<p>{escape(trial.brief_title)}</p>" if trial.acronym else ""
    return f"<h2>{title}</h2>{subtitle}<p>{pill} &nbsp; {link}</p>"


def _fields(trial: Trial) -> str:
    rows = [
        ("Phase", phase_label(trial.phases)),
        ("Modality", trial.modality.label),
        ("Drugs", ", ".join(trial.drugs or trial.interventions)),
        ("Diseases", ", ".join(trial.diseases)),
        ("Conditions", ", ".join(trial.conditions)),
        ("Sponsor", trial.sponsor),
        ("Enrollment", _enrollment(trial)),
        ("Start", trial.start_date.display() if trial.start_date else None),
        ("Primary completion", trial.primary_completion_date.display()
         if trial.primary_completion_date else None),
        ("Completion", trial.completion_date.display() if trial.completion_date else None),
        ("Why stopped", trial.why_stopped),
        ("Results posted", {True: "yes", False: "no"}.get(trial.has_results)),
        ("Last update posted", trial.last_update_posted),
        ("Freshness", freshness(trial.last_synced_at)),
        ("Former ids", ", ".join(trial.aliases)),
        ("Official title", trial.official_title),
    ]
    cells = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(str(v))}</td></tr>"
                    for k, v in rows if v)
    return f"<table cellspacing='2'>{cells}</table>"


def _enrollment(trial: Trial) -> str | None:
    if trial.enrollment is None:
        return None
    kind = f" ({trial.enrollment_kind.lower()})" if trial.enrollment_kind else ""
    return f"{trial.enrollment}{kind}"


def _outcomes(trial: Trial) -> str:
    """The headline (same rules as the card), the trial's results, then class-level context;
    each figure with its arm/population/timepoint, its citation and the passage quoted."""
    from tracker.domain.metrics import headline_text

    headline = escape(headline_text(trial.outcomes))
    parts = [f"<h3>Reported outcomes</h3><p><b>Headline:</b> {headline}</p>"]
    results = [o for o in trial.outcomes if not o.is_context]
    context = [o for o in trial.outcomes if o.is_context]
    if results:
        parts.append(_outcome_table(results))
    if context:
        parts.append("<p><b>Context from the reviews</b> <i>(class-level statements, not this "
                     "trial's results)</i></p>" + _outcome_table(context))
    return "".join(parts)


def _outcome_table(outcomes: list[Outcome]) -> str:
    head = ("<tr><th align='left'>Metric</th><th align='left'>Value</th>"
            "<th align='left'>Arm / population / timepoint</th><th align='left'>Source</th></tr>")
    from tracker.services.references import reference_book  # pydantic: not before first paint

    book = reference_book()
    rows = []
    previous_quote = None
    for o in outcomes:
        who = " · ".join(escape(p) for p in (o.arm, o.population, o.timepoint) if p)
        caveat = (f"<br><span style='color:#9a3412'><b>Curator's caveat:</b> {escape(o.caveat)}"
                  "</span>" if o.caveat else "")
        # a table row or sentence printing several figures is quoted once, at its first figure
        quote = f"<br><i>“{escape(o.quote)}”</i>" if o.quote and o.quote != previous_quote else ""
        previous_quote = o.quote
        rows.append(f"<tr><td>{escape(o.metric)}</td><td><b>{escape(o.value)}</b>{caveat}</td>"
                    f"<td>{who}</td><td><small>{escape(book.cite(o.source))}{quote}</small></td>"
                    "</tr>")
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%'>{head}"
            f"{''.join(rows)}</table>")


def _history(details: TrialDetails) -> str:
    if not details.history:
        return "<h3>Status history</h3><p><i>No status seen yet: sync to fetch it.</i></p>"
    items = []
    for change in reversed(details.history):
        colour = status_colour(change.new_status, "found").name()
        old = escape(change.old_status.label) + " → " if change.old_status else "first seen: "
        posted = f" (registry update {escape(change.registry_date)})" if change.registry_date else ""
        items.append(f"<tr><td><span style='color:{colour}'>●</span></td>"
                     f"<td>{change.seen_at:%Y-%m-%d}</td><td>{old}"
                     f"<b>{escape(change.new_status.label)}</b>{posted}</td></tr>")
    return f"<h3>Status history</h3><table cellspacing='3'>{''.join(items)}</table>"


def markdown_fragment(markdown: str) -> str:
    """Registry markdown -> an HTML fragment (Qt's reader; raw HTML in the text is not run)."""
    document = QTextDocument()
    document.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownNoHTML)
    html = document.toHtml()
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    return body.rsplit("</body>", 1)[0]
