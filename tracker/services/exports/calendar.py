"""An iCalendar (RFC 5545) file: the meeting itself and the trials' upcoming milestones.

The meeting event lists the list's trials with their registry links; milestone events are
the upcoming primary completion and completion dates. A list with neither is refused
(`NothingToCalendarError`) rather than written as an empty calendar.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.domain import PartialDate, TrackerError, Trial
from tracker.domain.words import plural
from tracker.services.exports.handout import Handout
from tracker.services.safe_text import ics_text

_MILESTONES = (("primary_completion_date", "primary completion"), ("completion_date", "completion"))


class NothingToCalendarError(TrackerError):
    """The list has no meeting date and no upcoming milestone: nothing to put in a calendar."""


_escape = ics_text


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def milestones(trial: Trial, today: dt.date) -> list[tuple[str, PartialDate]]:
    """The trial's dated milestones that have not passed."""
    found = []
    for field, label in _MILESTONES:
        date: PartialDate | None = getattr(trial, field)
        if date is not None and date.earliest() >= today.replace(day=1):
            found.append((label, date))
    return found


def _event(trial: Trial, label: str, date: PartialDate, stamp: str) -> list[str]:
    day = date.earliest()
    estimated = " (estimated)" if date.is_estimated else ""
    precision = "" if date.precision == "day" else f" Only the {date.precision} is known."
    summary = f"{trial.display_title} ({trial.id}): {label}{estimated}"
    description = (f"{trial.brief_title}. {label.capitalize()} date {date.value}"
                   f"{estimated}.{precision}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{trial.id}-{label.replace(' ', '-')}@trial-tracker",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
    ]
    if date.is_estimated:
        lines.append("STATUS:TENTATIVE")
    if trial.registry_url:
        lines.append(f"URL:{trial.registry_url}")
    return lines + ["END:VEVENT"]


def meeting_title(name: str) -> str:
    """'Journal club: CLL – December', but a list already named 'Journal club …' keeps its
    name as it is (not 'Journal club: Journal club – …')."""
    if re.match(r"journal club\b", name, re.IGNORECASE):
        return name
    return f"Journal club: {name}"


def _meeting_event(handout: Handout, stamp: str) -> list[str]:
    wl = handout.watchlist
    title = meeting_title(wl.name)
    count = plural(len(handout.trials), "trial")
    day = wl.meeting_date
    trials = [f"- {i.trial.display_title} ({i.trial.id})"
              + (f": {i.trial.registry_url}" if i.trial.registry_url else ": not registered")
              for i in handout.trials]
    description = "\n".join([title, *([wl.description] if wl.description else []),
                             "Trials:", *trials])
    return [
        "BEGIN:VEVENT",
        f"UID:meeting-{wl.id}-{day:%Y%m%d}@trial-tracker",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(f'{title} ({count})')}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
    ]


def render_ics(handout: Handout) -> str:
    now = handout.generated_at.astimezone(dt.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    events = _meeting_event(handout, stamp) if handout.watchlist.meeting_date else []
    for item in handout.trials:
        for label, date in milestones(item.trial, now.date()):
            events += _event(item.trial, label, date, stamp)
    if not events:
        raise NothingToCalendarError(
            f"{handout.watchlist.name!r} has no meeting date and none of its trials has an "
            "upcoming completion date, so there is nothing to put in a calendar; set a meeting "
            "date (tracker watchlist rename NAME --meeting-date YYYY-MM-DD) or sync the trials")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Trial Tracker//Watch list//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_escape(handout.watchlist.name)}",
             *events, "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
