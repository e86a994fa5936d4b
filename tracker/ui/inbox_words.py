"""What the inbox says in words: the outcome of Accept, and the right-hand pane beside it."""

from __future__ import annotations

import datetime as dt
from html import escape

from tracker.domain.calendar_day import users_today
from tracker.domain.words import listed, named_trial

_MOST_NAMED = 3
REASON_CHARS = 80  # of why a study was not fetched, in the status bar (the tooltip has it all)


def _names(ids: list[str], titles: dict[str, str]) -> str:
    return listed([named_trial(i, titles.get(i)) for i in ids], _MOST_NAMED)


def accepted_sentence(result, titles: dict[str, str]) -> str:
    """"Added CLL14 (NCT…) to the library and to “AML club”. NCT… was already in the
    library. Both left the inbox." Every accepted study is named in what happened to it."""
    added, already = list(result.added), list(result.already)
    where = f"“{result.watchlist}”" if result.watchlist else ""
    parts = []
    if added:
        parts.append(f"Added {_names(added, titles)} to the library"
                     + (f" and to {where}." if where else "."))
    if already:
        verb = "was" if len(already) == 1 else "were"
        filed = f"; now also in {where}" if where else ""
        parts.append(f"{_names(already, titles)} {verb} already in the library{filed}.")
    if result.not_synced:  # the reason cut short: a status bar that long widens the window
        reason = next(iter(result.not_synced.values()))
        reason = reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS - 1] + "…"
        parts.append(f"{_names(list(result.not_synced), titles)} not synced yet "
                     f"({reason}): the next sync fetches "
                     f"{'it' if len(result.not_synced) == 1 else 'them'}.")
    count = len(added) + len(already)
    gone = "It is" if count == 1 else ("Both are" if count == 2 else f"All {count} are")
    parts.append(f"{gone} out of the inbox.")
    return " ".join(parts)


def dismissed_sentence(ids: list[str], titles: dict[str, str]) -> str:
    """"Dismissed CLL14 (NCT…) from the inbox · Undo" (Undo a link the status bar follows;
    Ctrl+Z and Edit → Undo dismiss do the same)."""
    return (f"Dismissed {escape(_names(ids, titles))} from the inbox · "
            "<a href='undo-dismiss'>Undo</a> (Ctrl+Z)")


def detail_pane_html(nct_id: str | None, title: str, count: int, item=None,
                     today: dt.date | None = None) -> str:
    """The right-hand pane while the inbox is shown: it describes the inbox selection (or
    says there is none), never a library trial that is not selected; with the study's
    `InboxItem`, everything its search record holds."""
    grey = "style='color:gray'"
    if not count:
        return (f"<p {grey}>Nothing new from your saved searches.</p>"
                f"<p {grey}>Choose All trials (or the Cards tab) to see your library.</p>")
    if not nct_id:
        return (f"<p {grey}>Select a study in the inbox; what its registry record says "
                "(dates, sites, summary) is shown here.</p>")
    if item is not None:
        return inbox_study_html(item, today)
    name = escape(named_trial(nct_id, title))
    return (f"<p {grey}>{name} is an inbox study, not in the library yet; its details are "
            "under the inbox list.</p><p style='color:gray'>Accept adds it to the library, "
            "where its full record is shown here.</p>")


SUMMARY_CHARS = 900  # about one paragraph


def inbox_study_html(item, today: dt.date | None = None) -> str:
    """An inbox study as its check's search record has it: status (in context), phase,
    sponsor, enrollment, dates (an estimate a study under way has passed by `today`, the
    user's day, is overdue), sites, conditions, interventions, the first paragraph of the
    brief summary, why it is in the inbox and how fresh the record is."""
    from tracker.domain.enums import phase_label
    from tracker.domain.status_words import status_with_context

    status = (status_with_context(item.status.label, item.status, item.last_known_status,
                                  item.status_verified) if item.status else "not stated")
    sites = item.sites
    running = item.running_on(today or users_today())
    rows = [
        ("Status", status), ("Why stopped", item.why_stopped),
        ("Phase", phase_label(item.phases)),
        ("Sponsor", item.sponsor or "not stated"),
        ("Enrollment", item.enrollment_text() or "not stated"),
        ("Start", item.start.display(running) if item.start else "not stated"),
        ("Primary completion", item.primary_completion.display(running)
         if item.primary_completion else "not stated"),
        ("Sites", sites.describe(item.recruits) if sites else "not in this record (the next check brings "
         "them)"),
        ("Countries", sites.countries_text() if sites and sites.countries else None),
        ("Conditions", "; ".join(item.conditions) or "not stated"),
        ("Interventions", "; ".join(item.interventions) or "not stated"),
        ("Filed as", item.modality.label + (f" ({item.evidence})" if item.evidence else "")),
        ("Found by", ", ".join(item.searches) + (f" ({item.found_because()})"
                                                 if item.found_because() else "")),
        ("First posted", item.first_posted or "not stated"),
        ("Last update posted", item.last_update_posted or "not stated"),
    ]
    table = "".join(f"<tr><td style='color:gray;padding-right:8px'>{escape(label)}</td>"
                    f"<td>{escape(value)}</td></tr>" for label, value in rows if value)
    heading = escape(f"{item.acronym}: {item.title}" if item.acronym else item.title)
    summary = _first_paragraph(item.brief_summary or "")
    where = (f"dismissed {escape(item.dismissed_at[:10])}: Restore brings it back to the "
             "inbox" if item.dismissed_at else "in the inbox, not in the library yet")
    next_step = ("Restore brings it back to the inbox." if item.dismissed_at else
                 "Accept adds it to the library with its whole record (sites, versions, posted "
                 "results).")
    fetched = item.fetched_on()
    fresh = (f"The inbox's copy of the registry record was fetched {fetched.isoformat()} "
             "(each check refreshes it). " if fetched else "")
    return (f"<h3>{heading}</h3><p><b>{escape(item.nct_id)}</b> · <a href='https://"
            f"clinicaltrials.gov/study/{escape(item.nct_id)}'>open on ClinicalTrials.gov</a>"
            f" · <i style='color:gray'>{where}</i></p>"
            f"<table>{table}</table>"
            + (f"<p><b>Summary.</b> {escape(summary)}</p>" if summary else "")
            + f"<p style='color:gray'>{fresh}{next_step}</p>")


def _first_paragraph(text: str) -> str:
    """The brief summary's first paragraph, cut to about one paragraph's length."""
    first = next((part for part in text.strip().split("\n\n") if part.strip()), "")
    first = " ".join(first.split())
    return first if len(first) <= SUMMARY_CHARS else first[:SUMMARY_CHARS - 1].rstrip() + "…"
