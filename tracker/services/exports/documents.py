"""The journal-club handout as one self-contained HTML file, and the document the PDF prints.

Layout: a cover with the comparison table (its header repeats on every page), the timeline
and the ORR/CR dot plot where the list has them, then compact per-trial sections kept whole
(several to a page), then the numbered references. All registry and user text is escaped:
notes may contain anything, including `<script>`.

The PDF is painted by Qt's rich-text engine, which knows no SVG and no CSS page rules; for
it `print_document` names the pictures `chart:NAME` (the Qt side draws the SVG into them)
and the renderer keeps each trial section (from its h3 heading to the next) on one page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tracker.domain.headline_labels import with_unit
from tracker.domain.metrics import labelled_value
from tracker.domain.words import plural
from tracker.services.exports.caveat_notes import SectionCaveat, section_caveats
from tracker.services.exports.charts import Chart, dot_plot, timeline
from tracker.services.exports.comparison import (
    UNNAMED_ARM_NOTE,
    CellFigure,
    Comparison,
    build_comparison,
    listed_heading,
    listed_text,
    reference_number,
    trial_facts,
)
from tracker.services.exports.comparison_grid import Grid, comparison_grid
from tracker.services.exports.handout import Handout, HandoutTrial
from tracker.services.exports.registry_checks import no_changes_words, registry_checked_words
from tracker.services.exports.safety import safety_html
from tracker.services.handout_changes import changes_legend, split_by_significance
from tracker.services.safe_text import html_text as escape

_FONTS = "'DejaVu Sans', 'Noto Sans', 'Noto Sans CJK SC', Arial, sans-serif"
_TEXT_CSS = f"""
body {{ font-family: {_FONTS}; font-size: 9.5pt; color: #222; margin: 2em; }}
h1 {{ font-size: 16pt; margin: 0 0 2px 0; }} h2 {{ font-size: 12pt; margin: 14px 0 4px 0; }}
h3 {{ font-size: 10.5pt; margin: 9px 0 2px 0; }}
"""
_TABLE_CSS = """table { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #bbb; padding: 2px 4px; text-align: left;
  vertical-align: top; }
table.grid th { background: #e8edf3; }
table.comparison { font-size: 8pt; }
"""
_SECTION_CSS = """.muted, small { color: #555; } small { font-size: 7pt; }
.note { white-space: pre-wrap; }
.trial { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #999;
  padding: 4px 0 6px 0; }
.facts { margin: 2px 0; } .figure { margin: 0; } .table-notes { margin: 3px 0; }
"""
_PAGE_CSS = """@page { size: A4; margin: 14mm 12mm 16mm 12mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
@media print { body { margin: 0; } thead { display: table-header-group; } }
"""
_CSS = _TEXT_CSS + _TABLE_CSS + _SECTION_CSS + _PAGE_CSS
# what the PDF's rich-text part needs: it has no table (the PDF paints the comparison table
# itself), Qt reads no @page or @media rule, and each rule costs Qt time on every one of a
# long handout's thousands of paragraphs
_PAINTED_CSS = (_TEXT_CSS + _SECTION_CSS).replace("margin: 2em;", "margin: 0;")
_PRINT_CSS = """
table.grid th, table.grid td { border-width: 1px; border-style: solid; border-color: #bbb; }
"""


@dataclass(frozen=True)
class PrintDocument:
    """What the PDF renderer paints: the cover (title block), the comparison table as a
    grid it paints itself, then the rich-text rest with its pictures (SVG), and the footer."""

    html: str  # everything after the comparison table (and its notes, if apart)
    title: str
    footer: str  # left part of every page's footer; the renderer adds "page N of M"
    images: dict[str, Chart] = field(default_factory=dict)
    cover_html: str = ""  # the title block, painted above the table on page 1
    grid: Grid | None = None
    #: a landscape table's caveat notes, trials without a figure and legend, painted under
    #: it on its landscape pages ("" when they begin `html`, under a portrait table)
    table_notes_html: str = ""


def render_html(handout: Handout, *, for_print: bool = False) -> str:
    return _document(handout, for_print=for_print)


def print_document(handout: Handout) -> PrintDocument:
    charts = {f"chart:{name}": chart for name, chart in
              (("timeline", timeline(handout)), ("outcomes", dot_plot(handout))) if chart}
    footer = f"{handout.watchlist.name} · Trial Tracker handout {handout.day}"
    head = _head(handout, for_print=True, css=_PAINTED_CSS)
    cover = f"{head}{_title_block(handout)}<h2>Comparison</h2></body></html>"
    pictures = "".join(_print_chart(name, chart) for name, chart in charts.items())
    sections = "".join(_section(i, handout) for i in handout.trials)
    comparison = build_comparison(handout)
    grid = comparison_grid(comparison)
    notes = f"{_after_table(comparison)}{_LEGEND}"
    trials = f"{pictures}<h2>Trials</h2>{sections}{_references(handout)}"
    if grid.landscape:  # the notes read with the table, on its pages; the trials portrait
        return PrintDocument(f"{head}{trials}</body></html>", handout.watchlist.name, footer,
                             charts, cover, grid, f"{head}{notes}</body></html>")
    return PrintDocument(f"{head}{notes}{trials}</body></html>", handout.watchlist.name, footer,
                         charts, cover, grid)


def _head(handout: Handout, *, for_print: bool, css: str | None = None) -> str:
    if css is None:
        css = _CSS.replace("margin: 2em;", "margin: 0;") + _PRINT_CSS if for_print else _CSS
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(handout.watchlist.name)}</title><style>{css}</style></head><body>")


def _title_block(handout: Handout) -> str:
    wl = handout.watchlist
    meeting = f"Meeting {escape(handout.meeting_words)} · " if wl.meeting_date else ""
    description = f"<p>{escape(wl.description)}</p>" if wl.description else ""
    checked = registry_checked_words([i.trial for i in handout.trials], handout.since)
    generated = (f"<p class='muted'>{meeting}{plural(len(handout.trials), 'trial')} · "
                 f"changes since {escape(handout.window.label)} · "
                 + (f"{escape(checked)} · " if checked else "")
                 + f"generated {handout.day} by Trial Tracker</p>")
    # here, not under the Trials heading: the PDF keeps that heading with the first section
    legend = (f"<p class='muted'><small>In each trial's list of changes, "
              f"{escape(changes_legend())}.</small></p>")
    summary = handout.change_summary
    changed = (f"<p><small><b>Since {escape(handout.window.label)}:</b> "
               f"{escape(summary)}</small></p>" if summary else "")
    return f"<h1>{escape(wl.name)}</h1>{description}{generated}{changed}{legend}"


def _document(handout: Handout, *, for_print: bool,
              charts: dict[str, Chart] | None = None) -> str:
    head = _head(handout, for_print=for_print)
    built = build_comparison(handout)
    comparison = _comparison_table(built) + _after_table(built)
    if charts is None:
        pictures = "".join(_inline_chart(c) for c in (timeline(handout), dot_plot(handout)) if c)
    else:
        pictures = "".join(_print_chart(name, chart) for name, chart in charts.items())
    body = "".join(_section(i, handout) for i in handout.trials)
    return (f"{head}{_title_block(handout)}"
            f"<h2>Comparison</h2>{comparison}{_LEGEND}{pictures}<h2>Trials</h2>{body}"
            f"{_references(handout)}</body></html>")


_LEGEND = ("<p class='muted'><small>Figures as printed in the reviews; [n] is the reference "
           "number (the trial's section gives the table or passage). "
           f"{escape(UNNAMED_ARM_NOTE)}. Cross-trial figures "
           "are not head-to-head comparisons.</small></p>")


def _comparison_table(comparison: Comparison) -> str:
    """Trial facts in the first column (so the metrics get the width), one column per metric;
    a figure cites its review by number, the trial's section below gives table and passage."""
    metric_heads = "".join(f"<th title='{escape(m.name)}'>{escape(m.label)}</th>"
                           for m in comparison.metrics)
    head = f"<thead><tr><th width='24%'>Trial</th>{metric_heads}</tr></thead>"
    rows = []
    for row in comparison.rows:
        versus = row.intervention + (f" vs {row.comparator}" if row.comparator else "")
        trial = (f"<b>{escape(row.title)}</b><br><small>{escape(row.facts)}</small>"
                 + (f"<br><small>{escape(row.population)}</small>" if row.population else "")
                 + (f"<br><small><i>{escape(versus)}</i></small>" if versus else ""))
        cells = "".join("<td>" + "<br>".join(_cell(f) for f in row.cells.get(m.key, []))
                        + "</td>" for m in comparison.metrics)
        if not row.has_figures and comparison.metrics:
            cells = (f"<td colspan='{len(comparison.metrics)}' class='muted'><small><i>"
                     f"{escape(row.item.no_figure_words)}</i></small></td>")
        rows.append(f"<tr><td>{trial}</td>{cells}</tr>")
    if not rows:
        return ""
    return (f"<table class='grid comparison' width='100%' cellspacing='0' cellpadding='2'>"
            f"{head}<tbody>{''.join(rows)}</tbody></table>")


def _cell(figure: CellFigure) -> str:
    """A figure in bold with its caveat's letter, or "see note a" in place of one not usable
    as printed; its reference number, then its timepoint, arm or population in small print."""
    shown = (f"<i>{escape(figure.pointer)}</i>" if figure.withheld else
             f"<b>{escape(with_unit(figure.outcome))}</b>"
             + (f"<sup>{figure.note}</sup>" if figure.note else ""))
    return (f"{shown} <small>{escape(reference_number(figure.source))}</small>"
            + (f"<br><small>{escape(figure.detail)}</small>" if figure.detail else ""))


def _after_table(comparison: Comparison) -> str:
    """The table's own notes right under it: each curator's caveat by its letter, then the
    trials with no figure (when they are too many for blank rows), compactly."""
    notes = "".join(f"<p class='table-notes'><small>{escape(note.line())}</small></p>"
                    for note in comparison.notes)
    listed = ""
    if comparison.listed:
        names = "; ".join(f"<b>{escape(row.title)}</b>"
                          + escape(listed_text(row).removeprefix(row.title))
                          for row in comparison.listed)
        listed = (f"<p class='table-notes'><small><b>{listed_heading(comparison)} "
                  f"({plural(len(comparison.listed), 'trial')}):</b> {names}.</small></p>")
    return notes + listed


def _inline_chart(chart: Chart) -> str:
    return (f"<h2>{escape(chart.title)}</h2><figure style='margin:0'>{chart.svg}"
            f"<figcaption class='muted'><small>{escape(chart.caption)}</small></figcaption>"
            "</figure>")


def _print_chart(name: str, chart: Chart) -> str:
    return (f"<h2>{escape(chart.title)}</h2><p><img src='{name}' width='{chart.width}' "
            f"height='{chart.height}'></p><p class='muted'><small>{escape(chart.caption)}"
            "</small></p>")


def _facts(item: HandoutTrial, handout: Handout) -> str:
    """Status, phase, modality, N, sponsor, the registry dates and the registry link."""
    t = item.trial
    facts = " · ".join([escape(" · ".join(trial_facts(item))), *_dates(item, handout)])
    if t.registry_url:
        facts += f" · <a href='{escape(t.registry_url)}'>{escape(t.registry_url)}</a>"
    return f"<p class='facts'><small>{facts}</small></p>"


def _dates(item: HandoutTrial, handout: Handout) -> list[str]:
    """"Start 2014-12", "Primary completion 2026-06 (est., overdue)", … as on the handout's
    day; an overdue estimate in bold (the registry record may be stale)."""
    return [f"{escape(d.name)} " + (f"<b>{escape(d.text)}</b>" if d.overdue else escape(d.text))
            for d in item.trial.dates_on(handout.day)]


def _figure(o, caveat: SectionCaveat | None) -> str:
    """"PFS <b>54.7 months</b> (median · ...)"; a figure the review printed wrong is not in
    bold and says so at once: "PFS 76.2% <i>(misprint in the review: see caveat)</i>"."""
    detail = " · ".join(p for p in (o.timepoint, o.arm, o.population) if p)
    value = with_unit(o)
    labelled = escape(labelled_value(o))
    if o.print_fault is not None:
        labelled += f" <i>({escape(o.print_fault.marker(o.metric))})</i>"
    else:
        labelled = labelled.replace(escape(value), f"<b>{escape(value)}</b>", 1)
    text = labelled + (f" <span class='muted'>({escape(detail)})</span>" if detail else "")
    if caveat is not None and caveat.first:
        text += f" <b>Curator's caveat:</b> <i>{escape(caveat.text)}</i>"
    elif caveat is not None:
        text += f" <i>(curator's caveat as for {escape(caveat.text)} above)</i>"
    return text


def _outcomes(item: HandoutTrial, handout: Handout) -> str:
    """Figures grouped by the passage they were printed in: each group ends with its source,
    so every figure shows where to find it, without repeating a long locator per figure.
    Class-level context the reviews attach to the trial comes last, labelled as such."""
    outcomes = item.trial.outcomes
    if not outcomes:
        return f"<p class='figure muted'><small>{escape(item.no_figure_words)}.</small></p>"
    headline = item.headline
    ordered = [*headline, *(o for o in outcomes if o not in headline and not o.is_context)]
    context = [o for o in outcomes if o.is_context]
    caveats = section_caveats([*ordered, *context])
    lines = ""
    for label, figures, start in (("", ordered, 0), ("Context from the reviews, not this "
                                                     "trial's result: ", context, len(ordered))):
        groups: dict[tuple[str, str], list[str]] = {}
        for position, o in enumerate(figures, start):
            groups.setdefault((o.source.file, o.source.locator), []).append(
                _figure(o, caveats.get(position)))
        lines += "".join(
            f"<p class='figure'><small>{label}{'; '.join(texts)} — <i>"
            f"{escape(handout.references.cite(file, locator))}</i></small></p>"
            for (file, locator), texts in groups.items())
    note = "" if headline else (f"<p class='figure muted'><small>"
                                f"{escape(item.no_figure_words)}.</small></p>")
    return note + lines


def _section(item: HandoutTrial, handout: Handout) -> str:
    t = item.trial
    subtitle = (f"<p class='figure'>{escape(t.brief_title)}</p>"
                if t.brief_title and t.brief_title != t.display_title else "")
    summary = f"<p class='figure'>{escape(t.summary)}</p>" if t.summary else ""
    tags = (f"<p class='figure'><small>Tags: {escape(', '.join(item.details.tags))}</small></p>"
            if item.details.tags else "")
    changed = (f"<p class='figure'><small>Changes since {escape(handout.window.label)}: "
               f"{_changes(item, handout.since)}</small></p>")
    notes = ""
    if handout.include_notes and item.details.notes:
        notes = "".join(
            f"<p class='note'><small><i>Note — {escape(n.author + ', ' if n.author else '')}"
            f"{n.updated_at:%Y-%m-%d}</i></small><br>"
            f"{escape(n.body).replace(chr(10), '<br>')}</p>" for n in item.details.notes)
    return (f"<div class='trial'><h3>{escape(t.display_title)} "
            f"<span class='muted'>({t.id})</span></h3>{subtitle}{_facts(item, handout)}"
            f"{summary}{tags}"
            f"{_outcomes(item, handout)}{safety_html(item)}{changed}{notes}</div>")


def _changes(item: HandoutTrial, since: dt.date | None) -> str:
    """"none recorded" (or why that would mislead: `no_changes_words`), or the major changes
    (bold label) then the minor ones, a line each."""
    if not item.changes_since:
        return escape(no_changes_words(item.trial, since))
    major, minor = split_by_significance(item.changes_since)
    groups = [f"{label} {'; '.join(escape(c.describe()) for c in changes)}"
              for label, changes in (("<b>Major:</b>", major), ("Minor:", minor)) if changes]
    return "<br>" + "<br>".join(groups)


def _references(handout: Handout) -> str:
    entries = "".join(f"<li>{escape(c.full())}</li>" for c in handout.references.entries)
    body = f"<ol>{entries}</ol>" if entries else "<p>No curated figures are cited.</p>"
    return f"<h2>References</h2>{body}"
