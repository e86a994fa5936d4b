"""The handout as Markdown: comparison table, compact per-trial sections, numbered references.

Every piece of registry or user text goes through `md_inline`/`md_block`, so a title or a
note cannot break a table row, start a heading or a setext underline, or inject HTML.
"""

from __future__ import annotations

from tracker.domain.headline_labels import with_unit
from tracker.domain.metrics import labelled_value
from tracker.domain.words import bracketable, plural
from tracker.services.exports.caveat_notes import section_caveats
from tracker.services.exports.comparison import (
    UNNAMED_ARM_NOTE,
    build_comparison,
    cell_text,
    listed_heading,
    listed_text,
    trial_facts,
)
from tracker.services.exports.handout import Handout, HandoutTrial
from tracker.services.exports.registry_checks import no_changes_words, registry_checked_words
from tracker.services.exports.safety import safety_markdown
from tracker.services.handout_changes import changes_legend, split_by_significance
from tracker.services.safe_text import md_block, md_inline


def _comparison(handout: Handout) -> list[str]:
    comparison = build_comparison(handout)
    heads = ["Trial", "NCT id", "Phase", "N", "Population / line", "Intervention vs comparator",
             "Status", *(m.label for m in comparison.metrics)]
    lines = ["| " + " | ".join(md_inline(h) for h in heads) + " |",
             "|" + "---|" * len(heads)]
    for row in comparison.rows:
        versus = row.intervention + (f" vs {row.comparator}" if row.comparator else "")
        cells = [row.title, row.nct_id, row.phase, row.n, row.population, versus, row.status]
        figures = ["; ".join(cell_text(f) for f in row.cells.get(m.key, []))
                   for m in comparison.metrics]
        if not row.has_figures and figures:
            figures[0] = row.item.no_figure_words
        lines.append("| " + " | ".join(md_inline(c) or " " for c in cells + figures) + " |")
    if not comparison.rows:
        lines = []
    if comparison.notes:
        lines += [""] + [f"- {md_inline(note.line())}" for note in comparison.notes]
    if comparison.listed:
        lines += ["", f"{listed_heading(comparison)} ({plural(len(comparison.listed), 'trial')}): "
                  + "; ".join(md_inline(listed_text(row)) for row in comparison.listed) + "."]
    return lines


def render_markdown(handout: Handout) -> str:
    wl = handout.watchlist
    lines = [f"# {md_inline(wl.name)}", ""]
    if wl.meeting_date:
        lines += [f"Meeting date: {handout.meeting_words}", ""]
    if wl.description:
        lines += [md_inline(wl.description), ""]
    checked = registry_checked_words([i.trial for i in handout.trials], handout.since)
    lines += [f"{plural(len(handout.trials), 'trial')}. Changes are reported since "
              f"{md_inline(handout.window.label)}; in each trial's list, "
              f"{md_inline(changes_legend())}."
              + (f" {md_inline(checked[:1].upper() + checked[1:])}." if checked else ""), ""]
    if handout.change_summary:
        lines += [f"**Since {md_inline(handout.window.label)}:** "
                  f"{md_inline(handout.change_summary)}", ""]
    lines += ["## Comparison", ""]
    lines += [*_comparison(handout), "", f"{md_inline(UNNAMED_ARM_NOTE)}."]
    lines += ["", "## Trials"]
    for item in handout.trials:
        lines += ["", *_section(item, handout)]
    lines += ["", "## References", ""]
    lines += [f"{number}\\. {md_inline(citation.full())}"
              for number, citation in enumerate(handout.references.entries, 1)]
    if not handout.references.entries:
        lines.append("No curated figures are cited.")
    return "\n".join(lines) + "\n"


def _facts(item: HandoutTrial, handout: Handout) -> str:
    """Status, phase, modality, N, sponsor and the registry dates as on the handout's day,
    an overdue estimate in bold (the registry record may be stale)."""
    dates = [f"{md_inline(d.name)} " + (f"**{md_inline(d.text)}**" if d.overdue
                                        else md_inline(d.text))
             for d in item.trial.dates_on(handout.day)]
    return " · ".join([*(md_inline(f) for f in trial_facts(item)), *dates])


def _labelled(outcome) -> str:
    """"PFS **54.7 months**"; a figure the review printed wrong is not in bold and says so at
    once: "PFS 76.2% *(misprint in the review: see caveat)*"."""
    labelled = md_inline(labelled_value(outcome))
    if outcome.print_fault is not None:
        return f"{labelled} *({md_inline(outcome.print_fault.marker(outcome.metric))})*"
    value = md_inline(with_unit(outcome))
    return labelled.replace(value, f"**{value}**", 1)


def _outcome_line(outcome, handout: Handout, caveat) -> str:
    detail = "; ".join(md_inline(bracketable(p)) for p in (outcome.timepoint, outcome.arm,
                                                           outcome.population) if p)
    context = "context from the reviews, not this trial's result: " if (
        outcome.is_context) else ""
    labelled = _labelled(outcome)
    if caveat is None:
        note = ""
    elif caveat.first:
        note = f" **Curator's caveat:** {md_inline(caveat.text)}"
    else:
        note = f" *(curator's caveat as for {md_inline(caveat.text)} above)*"
    return (f"- {context}{labelled}" + (f" ({detail})" if detail else "") + note
            + f" — {md_inline(handout.cite(outcome))}")


def _section(item: HandoutTrial, handout: Handout) -> list[str]:
    t = item.trial
    lines = [f"### {md_inline(t.display_title)} ({t.id})", ""]
    if t.brief_title and t.brief_title != t.display_title:
        lines += [md_inline(t.brief_title), ""]
    lines.append(_facts(item, handout) + (f" · <{t.registry_url}>" if t.registry_url else ""))
    if t.summary:
        lines += ["", md_inline(t.summary)]
    if item.details.tags:
        lines += ["", "Tags: " + ", ".join(md_inline(tag) for tag in item.details.tags)]
    headline = item.headline
    if not headline:
        lines += ["", f"{item.no_figure_words}."]
    if t.outcomes:
        lines += ["", "Outcomes:"]
    ordered = [*headline, *(o for o in t.outcomes if o not in headline and not o.is_context)]
    ordered += [o for o in t.outcomes if o.is_context]
    caveats = section_caveats(ordered)
    for position, outcome in enumerate(ordered):
        lines.append(_outcome_line(outcome, handout, caveats.get(position)))
    lines += safety_markdown(item)
    lines += ["", f"Changes since {md_inline(handout.window.label)}:"
              + ("" if item.changes_since
                 else f" {md_inline(no_changes_words(item.trial, handout.since))}")]
    major, minor = split_by_significance(item.changes_since)
    lines += [f"- {label} " + "; ".join(md_inline(c.describe()) for c in changes)
              for label, changes in (("**Major:**", major), ("Minor:", minor)) if changes]
    if handout.include_notes and item.details.notes:
        lines += ["", "Notes:", ""]
        for note in item.details.notes:
            who = f"{md_inline(note.author)}, " if note.author else ""
            lines += [f"*{who}{note.updated_at:%Y-%m-%d}*", "", md_block(note.body), ""]
    return lines
