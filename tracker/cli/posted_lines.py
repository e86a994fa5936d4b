"""`tracker show`: the posted serious adverse events and participant flow, a few lines each.

The most frequent serious events per arm (affected / at risk, as posted), plus any naming a
class toxicity (CRS, ICANS, tumour lysis), and each arm's flow through the study;
`show --json` carries every term, milestone and baseline measure.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from tracker.domain.words import plural

if TYPE_CHECKING:
    from tracker.domain.adverse_events import AdverseEvents
    from tracker.domain.participants import ParticipantFlow
    from tracker.domain.record import RecordDetails

SERIOUS_PER_ARM = 5


def posted_lines(record: RecordDetails, as_of: str | None) -> list[str]:
    lines = []
    if record.adverse_events is not None:
        lines += _serious_lines(record.adverse_events, as_of)
    if record.participant_flow is not None:
        lines += _flow_lines(record.participant_flow)
    return lines


def _serious_lines(events: AdverseEvents, as_of: str | None) -> list[str]:
    where = "; ".join(p for p in (events.time_frame and f"time frame: {events.time_frame}",
                                  as_of and f"as of the registry update of {as_of}") if p)
    heading = f"  Serious adverse events (posted, most frequent per arm{'; ' * bool(where)}"
    lines = [f"{heading}{where}):"]
    for arm in events.serious_by_arm():
        top = [f"{event.term} {share.text()}" for n, (event, share) in enumerate(arm.ranked)
               if n < SERIOUS_PER_ARM or event.class_toxicity]
        more = len(arm.ranked) - len(top)
        listed = " · ".join(top) + (f" · … and {plural(more, 'more term')}" if more else "")
        lines.append(f"    {arm.group.title}: any serious event "
                     f"{events.arm_total(arm.group, 'serious')}")
        lines += textwrap.wrap(arm.unassigned or listed or "none posted with a participant "
                               "affected", 96,
                               initial_indent="      ", subsequent_indent="      ")
    return lines


def _flow_lines(flow: ParticipantFlow) -> list[str]:
    lines = []
    for period in flow.periods:
        lines.append(f"  Participant flow ({period.title or 'period'}):")
        lines += [f"    {group.title}: {flow.arm_line(period, group)}" for group in flow.groups]
    return lines
