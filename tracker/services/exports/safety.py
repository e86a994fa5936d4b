"""The handout's safety table: a trial's posted adverse events, compact, with their source.

The rows are chosen by `domain.safety_table` (special-interest events, the most frequent
serious ones, capped); here they are written for the HTML/PDF handout and the Markdown one.
A trial without posted adverse events gets one line saying so (a presenter is asked "and
the safety data?"), never an empty table; a trial whose registry state is unknown (never
synced, not registered) gets nothing. Registry text is escaped.
"""

from __future__ import annotations

from tracker.domain.safety_table import SafetyRow, SafetyTable
from tracker.domain.words import plural
from tracker.services.exports.handout import HandoutTrial, PostedSafety
from tracker.services.safe_text import html_text as escape
from tracker.services.safe_text import md_inline

TITLE = "Safety posted on ClinicalTrials.gov"
ANY_SERIOUS = "Any serious adverse event"
SPECIAL = "Serious, of special interest (CRS, neurotoxicity, tumour lysis, infections, febrile " \
          "neutropenia)"
FREQUENT = "Serious, the most frequent others"


def _other_heading(table: SafetyTable) -> str:
    threshold = (f", posted above {table.frequency_threshold}%"
                 if table.frequency_threshold else "")
    return f"Other (non-serious{threshold}), of special interest"


def _groups(table: SafetyTable) -> list[tuple[str, tuple[SafetyRow, ...]]]:
    return [(label, rows) for label, rows in ((SPECIAL, table.special),
                                               (FREQUENT, table.frequent),
                                               (_other_heading(table), table.special_other))
            if rows]


def _left_out(table: SafetyTable) -> str:
    """What the capped table does not show ('… and 4 more serious event terms posted.', the
    arms past its columns by name) and where all of it is; "" when it shows everything."""
    terms = []
    if table.serious_left_out:
        terms.append(plural(table.serious_left_out, "more serious event term"))
    if table.other_left_out:
        terms.append(plural(table.other_left_out, "more other event of special interest",
                            "more other events of special interest"))
    arms = ""
    if table.arms_left_out:
        arms = (f"Arms not shown ({len(table.arms_left_out)} more): "
                + "; ".join(arm.title for arm in table.arms_left_out) + ". ")
    more = (f"… and {' and '.join(terms)} posted. " if terms else "")
    if table.shared_arms:
        arms += ("Event counts not shown for " + "; ".join(a.title for a in table.shared_arms)
                 + ": the record files them under one group id shared by these arms. ")
    if not (more or arms):
        return ""
    return f"{more}{arms}Every term and arm: the registry, or the xlsx export's Adverse events " \
           "sheet."


def source_line(trial_id: str, safety: PostedSafety) -> str:
    """Where the figures come from, citable: registry, NCT id, the update they are as of."""
    as_of = f", results as of the registry update of {safety.as_of}" if safety.as_of else ""
    table = safety.table
    frame = f"; time frame: {table.time_frame}" if table and table.time_frame else ""
    return (f"Source: ClinicalTrials.gov {trial_id}{as_of}{frame}. Participants affected / at "
            "risk as posted by the sponsor; % = affected / at risk.")


def absent_line(item: HandoutTrial) -> str:
    """The one line for a trial with no posted adverse events to show ("" to say nothing)."""
    safety, trial = item.safety, item.trial
    if safety is None:
        if trial.has_results is False:
            record = (f" (registry record of {trial.last_update_posted})"
                      if trial.last_update_posted else "")
            return f"Safety: no results posted on ClinicalTrials.gov{record}."
        return ""
    if not safety.fetched:
        return ("Safety: results are posted on ClinicalTrials.gov but not stored in this "
                "library yet; sync, then export again to include the adverse events.")
    as_of = f" (registry update of {safety.as_of})" if safety.as_of else ""
    if safety.events is None:
        return f"Safety: the posted results{as_of} carry no adverse events."
    return (f"Safety: adverse events are posted{as_of} without an arm or a participant "
            "affected.")


def _has_table(item: HandoutTrial) -> bool:
    table = item.safety.table if item.safety is not None else None
    return table is not None and bool(table.arms)


# -- HTML (the HTML handout and the PDF) ------------------------------------------------------

def _cell(tag: str, content: str, attributes: str = "", style: str = "span") -> str:
    """A cell at 8 pt, as the comparison table. The size is set on the element that holds
    the text: Qt's rich text gives a <b> or <i> the body's size whatever its parent says."""
    return (f"<{tag}{attributes}><{style} style='font-size:8pt'>{content}</{style}>"
            f"</{tag}>")


def safety_html(item: HandoutTrial) -> str:
    if not _has_table(item):
        line = absent_line(item)
        return f"<p class='figure muted'><small>{escape(line)}</small></p>" if line else ""
    safety = item.safety
    table = safety.table
    columns = len(table.arms) + 1
    head = ("<tr>" + "".join(_cell("th", escape(title), " align='left'")
                             for title in (TITLE, *(arm.title for arm in table.arms)))
            + "</tr>")
    rows = [_html_row(ANY_SERIOUS, [escape(t) for t in table.any_serious()], style="b")]
    for label, group in _groups(table):
        rows.append(f"<tr>{_cell('td', escape(label), f' colspan={columns}', 'i')}</tr>")
        rows += [_html_row(escape(row.event.term), [escape(t) for t in row.texts()])
                 for row in group]
    notes = [note for note in (_left_out(table), source_line(item.trial.id, safety)) if note]
    return (f"<table class='grid safety' border='1' cellspacing='0' cellpadding='2' "
            f"width='100%'>{head}{''.join(rows)}</table>"
            + "".join(f"<p class='figure'><small>{escape(n)}</small></p>" for n in notes))


def _html_row(term: str, cells: list[str], style: str = "span") -> str:
    return ("<tr>" + "".join(_cell("td", cell, style=style) for cell in (term, *cells))
            + "</tr>")


# -- Markdown ---------------------------------------------------------------------------------

def safety_markdown(item: HandoutTrial) -> list[str]:
    """The table as a Markdown table with its notes; or the one line; or nothing."""
    if not _has_table(item):
        line = absent_line(item)
        return ["", md_inline(line)] if line else []
    safety = item.safety
    table = safety.table
    heads = [TITLE, *(arm.title for arm in table.arms)]
    lines = ["", "| " + " | ".join(md_inline(h) for h in heads) + " |",
             "|" + "---|" * len(heads),
             "| " + " | ".join([f"**{ANY_SERIOUS}**", *(md_inline(t) for t in
                                                        table.any_serious())]) + " |"]
    for label, group in _groups(table):
        lines.append("| " + " | ".join([f"*{md_inline(label)}*"] + [" "] * len(table.arms))
                     + " |")
        lines += ["| " + " | ".join([md_inline(row.event.term),
                                     *(md_inline(t) for t in row.texts())]) + " |"
                  for row in group]
    lines.append("")
    left_out = _left_out(table)
    lines += [md_inline(left_out), ""] if left_out else []
    lines.append(md_inline(source_line(item.trial.id, safety)))
    return lines
