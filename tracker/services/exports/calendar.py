"""An iCalendar (RFC 5545) file: the meeting itself and the trials' upcoming milestones.

The meeting event lists the list's trials with their status and registry links; milestone
events are the upcoming primary completion and completion dates of trials that can still
reach them, each with the trial's status in its description. A trial stopped early
(suspended, terminated, withdrawn: `RegistryStatus.stopped_early`) or no longer listed by
the registry (`TrialDisplay.not_found`) gets no milestone: its planned dates are not going to
happen as planned, and an "estimated completion" reminder would say otherwise. Nor does a
completed trial whose record still gives future (estimated) dates: it has reached them. Such
upcoming dates are written as cancelled events (same UID), so a calendar that imported them
from an earlier export drops them. A list with no meeting and no milestone is refused
(`NothingToCalendarError`) rather than written as an empty calendar.

Every event carries the same SEQUENCE, `revision(generated_at)`: the export is stateless, so
the revision number is the export time (seconds since 2024-01-01 UTC). RFC 5545 (3.8.7.4)
wants SEQUENCE raised with every significant revision, and a client replaces its copy of a
UID only with a higher one: a milestone whose date moved, or that returns once a suspended
trial recruits again (after an export that cancelled it), must out-rank what the calendar
already holds. A later export always does; re-importing the same file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.domain import PartialDate, RegistryStatus, TrackerError, Trial
from tracker.domain.status_words import stop_reason
from tracker.domain.words import plural
from tracker.services.exports.comparison import status_text
from tracker.services.exports.handout import Handout, HandoutTrial
from tracker.services.safe_text import ics_text

_MILESTONES = (("primary_completion_date", "primary completion"), ("completion_date", "completion"))
_REVISION_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
_FIRST_REVISION = 2  # above the SEQUENCE:1 that exports before this rule gave cancellations


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


def expects_milestones(trial: Trial) -> bool:
    """Whether the trial can still reach its registry dates: the registry still lists it,
    it was not stopped early and has not completed (a trial never synced or not registered
    keeps its dates)."""
    if trial.not_found:
        return False
    status = trial.current_status
    return status is None or not (status.stopped_early or status is RegistryStatus.COMPLETED)


def milestones(trial: Trial, today: dt.date) -> list[tuple[str, PartialDate]]:
    """The trial's dated milestones that have not passed (none for a trial stopped early or
    no longer in the registry: `expects_milestones`)."""
    return upcoming_dates(trial, today) if expects_milestones(trial) else []


def upcoming_dates(trial: Trial, today: dt.date) -> list[tuple[str, PartialDate]]:
    """The trial's registry dates (primary completion, completion) that have not passed."""
    found = []
    for field, label in _MILESTONES:
        date: PartialDate | None = getattr(trial, field)
        if date is not None and date.earliest() >= today.replace(day=1):
            found.append((label, date))
    return found


def revision(generated_at: dt.datetime) -> int:
    """The SEQUENCE of every event in an export made at `generated_at`: whole seconds since
    2024-01-01 UTC, so each later export out-ranks the earlier ones (an RFC 5545 INTEGER
    holds it until 2092), and never below `_FIRST_REVISION`."""
    seconds = (generated_at - _REVISION_EPOCH) // dt.timedelta(seconds=1)
    return max(_FIRST_REVISION, seconds)


def cancellation_words(trial: Trial) -> str:
    """Why a cancelled milestone will not happen as the calendar showed it: a suspension is a
    hold, not an end; a completed trial has reached it."""
    if trial.current_status is RegistryStatus.SUSPENDED:
        return " The trial is suspended: this date is on hold."
    if trial.current_status is RegistryStatus.COMPLETED:
        return " The trial has completed: its record has not updated this date."
    return " The trial will not reach this date as planned."


def status_words(item: HandoutTrial) -> str:
    """"Status: Recruiting — last verified 2022-09", with the sponsor's reason for a trial
    stopped early ("Status: Terminated (why stopped: Sponsor decision)")."""
    trial = item.trial
    said = f"Status: {status_text(item)}"
    if reason := stop_reason(trial.status, trial.why_stopped):
        said += f" (why stopped: {reason})"
    return said


def _event(item: HandoutTrial, label: str, date: PartialDate, stamp: str, sequence: int,
           cancelled: bool = False) -> list[str]:
    """A milestone event; `cancelled`: the same event (same UID, this export's SEQUENCE)
    marked cancelled, so a calendar that imported it from an earlier export drops or strikes
    it once the trial has stopped early or left the registry."""
    trial = item.trial
    day = date.earliest()
    estimated = " (estimated)" if date.is_estimated else ""
    precision = "" if date.precision == "day" else f" Only the {date.precision} is known."
    summary = f"{trial.display_title} ({trial.id}): {label}{estimated}"
    if cancelled:
        summary += f", cancelled: {status_text(item)}"
    description = (f"{trial.brief_title}. {status_words(item)}. {label.capitalize()} date "
                   f"{date.value}{estimated}.{precision}")
    if cancelled:
        description += cancellation_words(trial)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{trial.id}-{label.replace(' ', '-')}@trial-tracker",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        f"SEQUENCE:{sequence}",
    ]
    if cancelled:
        lines.append("STATUS:CANCELLED")
    elif date.is_estimated:
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


def _meeting_event(handout: Handout, stamp: str, sequence: int) -> list[str]:
    wl = handout.watchlist
    title = meeting_title(wl.name)
    count = plural(len(handout.trials), "trial")
    day = wl.meeting_date
    trials = [f"- {i.trial.display_title} ({i.trial.id}): "
              + (f"{status_words(i)}. {i.trial.registry_url}" if i.trial.registry_url
                 else "not registered")
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
        f"SEQUENCE:{sequence}",
        "END:VEVENT",
    ]


def render_ics(handout: Handout) -> str:
    now = handout.generated_at.astimezone(dt.UTC)
    stamp, sequence = now.strftime("%Y%m%dT%H%M%SZ"), revision(now)
    events = (_meeting_event(handout, stamp, sequence) if handout.watchlist.meeting_date
              else [])
    for item in handout.trials:
        for label, date in milestones(item.trial, handout.day):
            events += _event(item, label, date, stamp, sequence)
    cancelled = []  # written only beside something to put in the calendar
    for item in (i for i in handout.trials if not expects_milestones(i.trial)):
        for label, date in upcoming_dates(item.trial, handout.day):
            cancelled += _event(item, label, date, stamp, sequence, cancelled=True)
    if events:
        events += cancelled
    if not events:
        raise NothingToCalendarError(
            f"{handout.watchlist.name!r} has no meeting date and none of its trials has an "
            "upcoming completion date (a trial stopped early or no longer in the registry has "
            "none), so there is nothing to put in a calendar; set a meeting "
            "date (tracker watchlist rename NAME --meeting-date YYYY-MM-DD) or sync the trials")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Trial Tracker//Watch list//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_escape(handout.watchlist.name)}",
             *events, "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
