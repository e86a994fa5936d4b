"""A trial's posted adverse events cut down to the safety table a journal club asks for.

One row per event term, one column per arm, each cell the registry's own affected / at risk
(with the share). First the arm's "any serious adverse event", then the serious events of
special interest (the rule `AdverseEvent.of_special_interest` the detail view and the CLI
list by: CRS, neurotoxicity, tumour lysis, infections, febrile neutropenia; the class
toxicities themselves first), then the most frequent other serious events, then the events
of special interest the sponsor posted as other (non-serious) events — CRS is mostly graded
1-2 and posted there. Rows are capped so the table reads on a page; what is left out is
counted, never dropped silently. Nothing is summed or re-coded.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.adverse_events import AdverseEvent, AdverseEvents, EventGroup, Proportion

SERIOUS_ROWS = 10  # serious event terms in all (special interest and most frequent)
SPECIAL_SERIOUS_ROWS = 6  # of which of special interest at most (class toxicities always)
SPECIAL_OTHER_ROWS = 3  # non-serious events of special interest
ARM_COLUMNS = 5  # arms side by side; later arms are named under the table


@dataclass(frozen=True)
class SafetyRow:
    event: AdverseEvent
    cells: tuple[Proportion | None, ...]  # per arm shown; None: the arm has no count posted

    def texts(self) -> list[str]:
        """'28/170 (16.5%)' per arm; '—' where nothing was posted for the arm."""
        return [cell.text() if cell is not None else "—" for cell in self.cells]


@dataclass(frozen=True)
class SafetyTable:
    arms: tuple[EventGroup, ...]  # the arms shown, as the registry names and orders them
    special: tuple[SafetyRow, ...]  # serious, of special interest
    frequent: tuple[SafetyRow, ...]  # serious, the most frequent of the rest
    special_other: tuple[SafetyRow, ...]  # other (non-serious), of special interest
    serious_left_out: int  # serious terms with a participant affected not shown
    other_left_out: int  # other terms of special interest not shown
    arms_left_out: tuple[EventGroup, ...] = ()
    time_frame: str = ""
    frequency_threshold: str | None = None
    #: arms shown that share one group id in the record: their event cells are left empty
    shared_arms: tuple[EventGroup, ...] = ()

    def any_serious(self) -> list[str]:
        """Each arm's participants with any serious adverse event, as posted."""
        return [arm.serious.text() for arm in self.arms]

    @property
    def rows(self) -> tuple[SafetyRow, ...]:
        return self.special + self.frequent + self.special_other


def safety_table(events: AdverseEvents) -> SafetyTable:
    """The capped table; an arm whose group id the record gives another arm too gets no
    event counts (they belong to neither for certain), only its own totals."""
    arms = events.groups[:ARM_COLUMNS]
    shared = events.shared_group_ids
    ids = [arm.id if arm.id not in shared else "" for arm in arms]
    serious = _ranked(events.serious, ids)
    special = _special_first([e for e in serious if e.of_special_interest],
                             SPECIAL_SERIOUS_ROWS)
    rest = [e for e in serious if not e.of_special_interest]
    frequent = rest[:max(SERIOUS_ROWS - len(special), 0)]
    other = [e for e in _ranked(events.other, ids) if e.of_special_interest]
    special_other = _special_first(other, SPECIAL_OTHER_ROWS)
    all_ids = [group.id for group in events.groups]
    other_posted = [e for e in events.other if e.of_special_interest]
    return SafetyTable(
        arms=arms, special=tuple(_row(e, ids) for e in special),
        frequent=tuple(_row(e, ids) for e in frequent),
        special_other=tuple(_row(e, ids) for e in special_other),
        serious_left_out=_posted(events.serious, all_ids) - len(special) - len(frequent),
        other_left_out=_posted(other_posted, all_ids) - len(special_other),
        arms_left_out=events.groups[ARM_COLUMNS:], time_frame=events.time_frame,
        frequency_threshold=events.frequency_threshold,
        shared_arms=tuple(arm for arm in arms if arm.id in shared))


def _special_first(events: list[AdverseEvent], most: int) -> list[AdverseEvent]:
    """The class toxicities (all of them), then the other events of special interest, most
    frequent first, up to `most` in all."""
    toxicities = [e for e in events if e.class_toxicity]
    others = [e for e in events if not e.class_toxicity]
    return toxicities + others[:max(most - len(toxicities), 0)]


def _counts(event: AdverseEvent, arm_ids: list[str]) -> list[Proportion]:
    return [c.proportion for arm in arm_ids
            if arm and (c := event.count_for(arm)) is not None]


def _posted(events, arm_ids: list[str]) -> int:
    """How many of `events` the registry lists for these arms with a participant affected,
    or with the number affected left out (as the detail view lists them)."""
    return sum(any(p.affected != 0 for p in _counts(e, arm_ids)) for e in events)


def _ranked(events: tuple[AdverseEvent, ...], arm_ids: list[str]) -> list[AdverseEvent]:
    """The events that affected someone in an arm shown (a row of counts left out would say
    nothing: it is counted among the terms not shown), the highest share in any arm first,
    then the most affected, then by term."""
    def key(event: AdverseEvent) -> tuple[float, int, str]:
        found = _counts(event, arm_ids)
        share = max((p.share for p in found if p.share is not None), default=-1.0)
        affected = max((p.affected for p in found if p.affected is not None), default=-1)
        return -share, -affected, event.term

    listed = [e for e in events if any(p.affected for p in _counts(e, arm_ids))]
    return sorted(listed, key=key)


def _row(event: AdverseEvent, arm_ids: list[str]) -> SafetyRow:
    counts = [event.count_for(arm) if arm else None for arm in arm_ids]
    return SafetyRow(event, tuple(c.proportion if c is not None else None for c in counts))
