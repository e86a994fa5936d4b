"""CSV with ClinicalTrials.gov's own column names first, then Trial Tracker's columns."""

from __future__ import annotations

import csv
import io

from tracker.domain import PartialDate
from tracker.services.exports.handout import Handout, HandoutTrial, key_outcomes

REGISTRY_COLUMNS = [
    "NCT Number", "Study Title", "Acronym", "Study Status", "Phases", "Conditions",
    "Interventions", "Sponsor", "Enrollment", "Start Date", "Primary Completion Date",
    "Completion Date", "Last Update Posted", "Study URL",
]
OUR_COLUMNS = ["Modality", "Diseases", "Key Outcomes (with sources)", "Tags", "Notes",
               "Last Synced"]


def _date(date: PartialDate | None) -> str:
    return date.display() if date else ""


def _row(item: HandoutTrial, include_notes: bool) -> list[str]:
    trial = item.trial
    notes = [f"{n.author + ': ' if n.author else ''}{n.body}" for n in item.details.notes]
    return [
        trial.id, trial.brief_title, trial.acronym or "",
        trial.status.value if trial.status else "", "|".join(trial.phases),
        "|".join(trial.conditions or trial.diseases), "|".join(trial.interventions or trial.drugs),
        trial.sponsor or "", "" if trial.enrollment is None else str(trial.enrollment),
        _date(trial.start_date), _date(trial.primary_completion_date),
        _date(trial.completion_date), trial.last_update_posted or "", trial.registry_url or "",
        trial.modality.value, "|".join(trial.diseases), "\n".join(key_outcomes(trial, 8)),
        "|".join(item.details.tags), "\n---\n".join(notes) if include_notes else "",
        trial.last_synced_at.isoformat() if trial.last_synced_at else "",
    ]


def render_csv(handout: Handout) -> str:
    """RFC 4180 CSV (quotes doubled, fields with commas/quotes/newlines quoted), CRLF rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    columns = REGISTRY_COLUMNS + [c for c in OUR_COLUMNS
                                  if handout.include_notes or c != "Notes"]
    writer.writerow(columns)
    for item in handout.trials:
        row = _row(item, handout.include_notes)
        if not handout.include_notes:
            row.pop(len(REGISTRY_COLUMNS) + OUR_COLUMNS.index("Notes"))
        writer.writerow(row)
    return buffer.getvalue()
