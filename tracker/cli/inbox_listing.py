"""`tracker inbox`: the inbox listed for reading (a few lines a study) or as JSON."""

from __future__ import annotations

import datetime as dt
import sys

BULK_HINT_AT = 20  # an inbox this long gets a hint about bulk dismissal


def inbox_json(item, today: dt.date) -> dict:
    """The study as `tracker inbox --json` gives it (docs/cli-json.md); `today`: the user's
    day, against which an estimated date of a study under way is overdue."""
    return {"nct_id": item.nct_id, "title": item.title, "acronym": item.acronym,
            "phases": [p.value for p in item.phases],
            "status": item.status.value if item.status else None,
            "why_stopped": item.why_stopped, "sponsor": item.sponsor,
            "first_posted": item.first_posted, "conditions": list(item.conditions),
            "interventions": list(item.interventions), "searches": list(item.searches),
            "proposed_modality": item.modality.value, "evidence": item.evidence,
            "found_at": item.found_at, "found_because": item.found_because(),
            "last_update_posted": item.last_update_posted, "fetched_at": item.fetched_at,
            "enrollment": item.enrollment, "enrollment_kind": item.enrollment_kind,
            "start": item.start.value if item.start else None,
            "primary_completion": item.primary_completion.value if item.primary_completion
            else None,
            "start_overdue": item.overdue(item.start, today),
            "primary_completion_overdue": item.overdue(item.primary_completion, today),
            "sites": item.sites.as_dict() if item.sites else None,
            "brief_summary": item.brief_summary}


def print_inbox(items) -> None:
    """Two or three lines per study: id, "posted" and its first-posted date, phase, status and
    title in aligned columns (the title cut with " [...]" as `tracker list` cuts it), then the
    triage facts: proposal, sponsor, searches; enrollment, dates and sites."""
    from tracker.cli.listing import NOT_STATED, PHASE_WIDTH, STATUS_WIDTH, shorten, study_title
    from tracker.domain.calendar_day import users_today
    from tracker.domain.enums import phase_label

    today = users_today()  # an estimate a study under way has passed is overdue
    for item in items:
        status = item.status.label if item.status else f"Status {NOT_STATED}"
        why = f" ({item.evidence})" if item.evidence else ""
        because = f" · {said}" if (said := item.found_because_and_updated()) else ""
        title = shorten(study_title(item.nct_id, item.acronym, item.title))
        print(f"{item.nct_id}  posted {item.first_posted or NOT_STATED:<10}  "
              f"{phase_label(item.phases):<{PHASE_WIDTH}} {status:<{STATUS_WIDTH}} {title}\n"
              f"    {item.modality.label}{why} · {item.sponsor or f'sponsor {NOT_STATED}'} · "
              f"found by: {', '.join(item.searches)}{because}"
              + (f"\n    {facts}" if (facts := item.facts_line(today)) else ""))
    print(f"{len(items)} in the inbox{_fetched_words(items)}", file=sys.stderr)
    if len(items) >= BULK_HINT_AT:
        print("to dismiss many at once: tracker inbox dismiss --all, or --search NAME for one "
              "search's", file=sys.stderr)


def _fetched_words(items) -> str:
    """"; registry records fetched 2026-12-03" (or "… 2026-11-20 to 2026-12-03"): how
    current the listing is, said once rather than on every study."""
    days = sorted({day for day in (item.fetched_on() for item in items) if day})
    if not days:
        return ""
    span = days[0].isoformat() + (f" to {days[-1].isoformat()}" if len(days) > 1 else "")
    return f"; registry records fetched {span}"
