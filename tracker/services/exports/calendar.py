"""An iCalendar (RFC 5545) file of upcoming primary completion and completion dates."""

from __future__ import annotations

import datetime as dt

from tracker.domain import PartialDate, Trial
from tracker.services.exports.handout import Handout

_MILESTONES = (("primary_completion_date", "primary completion"), ("completion_date", "completion"))


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


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


def render_ics(handout: Handout) -> str:
    now = handout.generated_at.astimezone(dt.UTC)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Trial Tracker//Watch list//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_escape(handout.watchlist.name)}"]
    for item in handout.trials:
        for label, date in milestones(item.trial, now.date()):
            lines += _event(item.trial, label, date, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
