"""CSV with ClinicalTrials.gov's own column names first, then Trial Tracker's columns.

Date columns hold ISO 8601 dates only (`2027-06`, `2028-01-15`), so they sort; each has a
precision column (year, month, day) and a type column (ACTUAL, ESTIMATED) beside it. Whether
an estimate is overdue (a trial still under way has passed it, on the export's day: the
detail pane's rule) is our own column, "Overdue Estimates" ("Primary completion 2026-06",
several joined by "|"), not words added to a date cell: a reader filters that one column for
stale records, and the date columns still sort. Every cell goes through `spreadsheet_cell`,
so no value can run as a formula in a spreadsheet.

"Study Status" is the registry's code as of the last sync that found the trial, and empty
for a trial the registry no longer lists (a filter on RECRUITING must not pick up a trial
that has gone); "Registry Record" says which (found, not_found, no_registry_record,
never_synced) and "Status Note" says in words what the status needs beside it, as the
spreadsheet's "Status note" does: "Not found in the registry (last seen: Recruiting)".
"""

from __future__ import annotations

import csv
import io

from tracker.domain import PartialDate
from tracker.domain.status_words import status_note
from tracker.services.exports.handout import Handout, HandoutTrial, key_outcomes
from tracker.services.safe_text import spreadsheet_cell

DATE_FIELDS = (("Start Date", "start_date"), ("Primary Completion Date", "primary_completion_date"),
               ("Completion Date", "completion_date"))
REGISTRY_COLUMNS = [
    "NCT Number", "Study Title", "Acronym", "Study Status", "Phases", "Conditions",
    "Interventions", "Sponsor", "Enrollment",
    *(name + suffix for name, _ in DATE_FIELDS for suffix in ("", " Precision", " Type")),
    "Last Update Posted", "Study URL",
]
OUR_COLUMNS = ["Registry Record", "Status Note", "Overdue Estimates", "Modality", "Diseases",
               "Key Outcomes (with sources)", "Tags", "Notes",
               "Last Synced"]


def date_cells(date: PartialDate | None) -> list[str]:
    if date is None:
        return ["", "", ""]
    return [date.value, date.precision, date.kind.value if date.kind else ""]


def columns(include_notes: bool) -> list[str]:
    return REGISTRY_COLUMNS + [c for c in OUR_COLUMNS if include_notes or c != "Notes"]


def row_values(item: HandoutTrial, handout: Handout) -> list[str]:
    trial = item.trial
    notes = [f"{n.author + ': ' if n.author else ''}{n.body}" for n in item.details.notes]
    values = [
        trial.id, trial.brief_title, trial.acronym or "",
        trial.current_status.value if trial.current_status else "", "|".join(trial.phases),
        "|".join(trial.conditions or trial.diseases), "|".join(trial.interventions or trial.drugs),
        trial.sponsor or "", "" if trial.enrollment is None else str(trial.enrollment),
        *(cell for _, attr in DATE_FIELDS for cell in date_cells(getattr(trial, attr))),
        trial.last_update_posted or "", trial.registry_url or "",
        str(trial.registry_state), status_note(trial, handout.day),
        "|".join(trial.overdue_estimates(handout.day)),
        trial.modality.value, "|".join(trial.diseases),
        "\n".join(key_outcomes(handout, trial, 8)), "|".join(item.details.tags),
    ]
    if handout.include_notes:
        values.append("\n---\n".join(notes))
    values.append(trial.last_synced_at.isoformat() if trial.last_synced_at else "")
    return values


def render_csv(handout: Handout) -> str:
    """RFC 4180 CSV (quotes doubled, fields with commas/quotes/newlines quoted), CRLF rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns(handout.include_notes))
    for item in handout.trials:
        writer.writerow([spreadsheet_cell(v) for v in row_values(item, handout)])
    return buffer.getvalue()
