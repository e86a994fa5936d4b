"""The spreadsheet export (.xlsx, written with openpyxl): Comparison, Trials, Outcomes, Changes,
Adverse events (every posted term per arm, as posted: a sheet has no page to fit, so nothing
is capped as in the handout's safety table).

Dates are real date cells (a partial date's first day, with its precision and whether it is
estimated in their own columns, so the column sorts and filters as dates; the estimates a
trial still under way has passed are named in one "Overdue estimates" column); every sheet has
a frozen, bold header row and an autofilter. Text cells go through `spreadsheet_cell`, and
openpyxl is told every cell is a string, so no value can become a formula.
"""

from __future__ import annotations

import datetime as dt
import io

from tracker.domain.calendar_day import local_day
from tracker.domain.drug_names import drug_label
from tracker.domain.enums import phase_label
from tracker.domain.status_words import handout_status, status_note
from tracker.domain.words import bracketable
from tracker.services.exports.comparison import Comparison, build_comparison, cell_text
from tracker.services.exports.handout import Handout
from tracker.services.handout_changes import changes_legend
from tracker.services.safe_text import spreadsheet_cell

_DATE_FORMAT = "yyyy-mm-dd"
_MAX_WIDTH = 60


def _sheet(workbook, title: str, header: list[str], rows: list[list], first: bool = False):
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in header]
    for values in rows:
        sheet.append([spreadsheet_cell(v) if isinstance(v, str) else v for v in values])
        for column, value in enumerate(values):
            widths[column] = max(widths[column], min(len(str(value or "")), _MAX_WIDTH))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
                if "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, dt.date | dt.datetime):
                cell.number_format = _DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[_letter(column)].width = width + 2
    return sheet


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _date(date) -> list:
    if date is None:
        return [None, "", ""]
    return [date.earliest(), date.precision, "yes" if date.is_estimated else "no"]


def _overdue(trial, day: dt.date) -> str:
    """"Primary completion 2026-06, Completion 2026-12": the estimates a trial still under
    way has passed on the export's day, in one column a reader can filter (the date cells
    stay dates, so they still sort)."""
    return ", ".join(trial.overdue_estimates(day))


def _trials(handout: Handout) -> tuple[list[str], list[list]]:
    header = ["NCT id", "Acronym", "Title", "Status", "Status note", "Phase", "Modality",
              "Diseases",
              "Drugs", "Sponsor", "Enrollment"]
    for name in ("Start", "Primary completion", "Completion"):
        header += [f"{name} date", f"{name} precision", f"{name} estimated"]
    header += ["Overdue estimates", "Last update posted", "Registry link", "Tags", "Summary"]
    if handout.include_notes:
        header.append("Notes")
    rows = []
    for item in handout.trials:
        t = item.trial
        updated = dt.date.fromisoformat(t.last_update_posted) if t.last_update_posted else None
        row = [t.id, t.acronym or "", t.brief_title, handout_status(t, context=False) or "",
               _status_note(t),
               phase_label(t.phases), t.modality.label, ", ".join(t.diseases),
               ", ".join(map(drug_label, t.drugs)), t.sponsor or "", t.enrollment,
               *_date(t.start_date), *_date(t.primary_completion_date),
               *_date(t.completion_date), _overdue(t, handout.day), updated,
               t.registry_url or "",
               ", ".join(item.details.tags), t.summary]
        if handout.include_notes:
            row.append("\n---\n".join(f"{n.author + ': ' if n.author else ''}{n.body}"
                                      for n in item.details.notes))
        rows.append(row)
    return header, rows


def _outcomes(handout: Handout) -> tuple[list[str], list[list]]:
    """One row per curated figure. One the review printed wrong says so in "Print fault"; a
    misprint has no Number (a pivot never takes it), a mislabel is classed under what it
    measures in "Metric (vocabulary)" (its label stays in "Metric (as printed)")."""
    header = ["NCT id", "Trial", "Metric (vocabulary)", "Metric (as printed)", "Value",
              "Number", "Unit", "Timepoint", "Arm", "Population", "Source", "Where in source",
              "Curator's caveat", "Print fault", "Kind"]
    rows = []
    for item in handout.trials:
        t = item.trial
        for o in t.outcomes:
            fault = o.print_fault
            rows.append([t.id, t.display_title, _vocabulary_name(o), o.metric, o.value,
                         None if fault and fault.withheld else o.number, o.unit or "",
                         o.timepoint or "", o.arm or "", o.population or "",
                         handout.cite_short(o), o.source.locator, o.caveat or "",
                         fault.marker(o.metric) if fault else "", str(o.kind)])
    return header, rows


def _vocabulary_name(outcome) -> str:
    """The metric's name in the vocabulary; for a mislabel, of what the figure measures."""
    from tracker.domain.metrics import classify_metric, metric_name
    from tracker.domain.misprints import measured_metric

    fault = outcome.print_fault
    measured = measured_metric(fault) if fault is not None else None
    return metric_name(measured or classify_metric(outcome.metric))


def _changes(handout: Handout) -> tuple[list[str], list[list]]:
    """One row per change, each trial's major changes first, newest first within each."""
    header = ["NCT id", "Trial", "Significance", f"Seen (changes since {bracketable(handout.window.label)})",
              "Field", "From", "To", "Registry date"]
    rows = [[i.trial.id, i.trial.display_title, "major" if c.major else "minor",
             local_day(c.seen_at), c.field, c.old or "", c.new, c.registry_date or ""]
            for i in handout.trials for c in i.changes_since]
    return header, rows


def _changes_legend(sheet) -> None:
    """What "major" means, under the table, outside the filtered range."""
    from openpyxl.cell.cell import TYPE_STRING

    table = sheet.dimensions
    cell = sheet.cell(sheet.max_row + 2, 1, spreadsheet_cell(changes_legend().capitalize()))
    cell.data_type = TYPE_STRING
    sheet.auto_filter.ref = table


_TOTALS = (("Any serious adverse event", "serious"), ("Any other adverse event", "other"),
           ("Deaths (all causes)", "deaths"))


def _adverse_events(handout: Handout) -> tuple[list[str], list[list]]:
    """One row per arm and posted term (serious, then other), after the arm's totals; the
    share is a number cell (affected / at risk), empty where the registry left a count out."""
    header = ["NCT id", "Trial", "Arm", "Kind", "Term", "Organ system", "Of special interest",
              "Affected", "At risk", "% affected", "Events", "Vocabulary", "Assessment",
              "Registry update", "Time frame"]
    rows = []
    for item in handout.trials:
        events = item.safety.events if item.safety is not None else None
        if events is None:
            continue
        as_of = item.safety.as_of or ""
        updated = dt.date.fromisoformat(as_of) if len(as_of) == 10 else as_of or None
        for group in events.groups:
            start = [item.trial.id, item.trial.display_title, group.title]
            end = [updated, events.time_frame]
            for term, kind in _TOTALS:
                share = getattr(group, kind)
                rows.append([*start, "arm total", term, "", "", share.affected, share.at_risk,
                             share.share, None, "", "", *end])
            if group.id in events.shared_group_ids:  # filed under an id two arms share
                why = (f"group id {group.id} is posted for more than one arm: its event "
                       "counts belong to neither for certain")
                rows.append([*start, "not assigned", why, "", "", None, None, None, None, "",
                             "", *end])
                continue
            for kind, posted in (("serious", events.serious), ("other", events.other)):
                for event in posted:
                    count = event.count_for(group.id)
                    if count is None:
                        continue
                    rows.append([*start, kind, event.term, event.organ_system,
                                 "yes" if event.of_special_interest else "no", count.affected,
                                 count.at_risk, count.proportion.share, count.events,
                                 event.vocabulary or "", event.assessment or "", *end])
    return header, rows


def _status_note(trial) -> str:
    """What the status needs beside it, in its own column so "Status" stays one value per
    status to filter by: "last known: Active not recruiting; last verified 2019-12" (a trial
    the registry no longer lists says so in "Status" itself)."""
    return "" if trial.not_found else status_note(trial)


def _percent_column(sheet, column: int) -> None:
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.number_format = "0.0%"


def _comparison(comparison: Comparison) -> tuple[list[str], list[list]]:
    """One row per trial, every trial of the list (a sheet has no pages to fill): one with
    no figure says so in the first metric column. N is a number cell where it is a number."""
    header = ["Trial", "NCT id", "Phase", "N", "N is", "Population / line", "Intervention",
              "Comparator", "Status", *(m.label for m in comparison.metrics)]
    rows = []
    for r in sorted([*comparison.rows, *comparison.listed], key=lambda r: r.position):
        figures = ["\n".join(f"{cell_text(f)} {f.source.split(' ', 1)[-1]}"
                             for f in r.cells.get(m.key, [])) for m in comparison.metrics]
        if not r.has_figures and figures:
            figures[0] = r.item.no_figure_words
        n = r.size.number if r.size and r.size.number is not None else r.n
        rows.append([r.title, r.nct_id, r.phase, n, _size_kind(r.size), r.population,
                     r.intervention, r.comparator, r.status, *figures])
    return header, rows


def _size_kind(size) -> str:
    if size is None:
        return ""
    if not size.from_registry:
        return "as reported in the review"
    return "registry, estimated" if size.estimated else "registry"


def _comparison_notes(sheet, comparison: Comparison) -> None:
    """The caveats under the table, by letter, outside the filtered range."""
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    if not comparison.notes:
        return
    table = sheet.dimensions
    row = sheet.max_row + 2
    sheet.cell(row, 1, "Curator's caveats").font = Font(bold=True)
    for offset, note in enumerate(comparison.notes, 1):
        cell = sheet.cell(row + offset, 1, spreadsheet_cell(note.line()))
        cell.data_type = TYPE_STRING
    sheet.auto_filter.ref = table


def render_xlsx(handout: Handout) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    comparison = build_comparison(handout)
    _comparison_notes(_sheet(workbook, "Comparison", *_comparison(comparison), first=True),
                      comparison)
    _sheet(workbook, "Trials", *_trials(handout))
    _sheet(workbook, "Outcomes", *_outcomes(handout))
    _changes_legend(_sheet(workbook, "Changes", *_changes(handout)))
    _percent_column(_sheet(workbook, "Adverse events", *_adverse_events(handout)), 10)
    references = _sheet(workbook, "References", ["No.", "Reference"],
                        [[n, c.full()] for n, c in enumerate(handout.references.entries, 1)])
    references.column_dimensions["B"].width = 120
    workbook.properties.title = handout.watchlist.name
    workbook.properties.creator = "Trial Tracker"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
