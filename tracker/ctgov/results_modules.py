"""The rest of `resultsSection`: adverse events, participant flow, baseline characteristics.

Read as defensively as the outcome measures (`results.py`): a module that is missing gives
None, a value of the wrong type is absent, strings are kept as posted.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tracker.ctgov.record_details import items, section, text
from tracker.ctgov.results import posted_count, posted_string, result_measure
from tracker.domain.adverse_events import (
    TERM_NOT_POSTED,
    AdverseEvent,
    AdverseEvents,
    EventCount,
    EventGroup,
    Proportion,
)
from tracker.domain.participants import (
    Baseline,
    FlowCount,
    FlowPeriod,
    FlowStep,
    ParticipantFlow,
)
from tracker.domain.record import ResultGroup
from tracker.domain.record_facts import AdverseEventFacts, EventCountFact


def adverse_events(study: dict[str, Any]) -> AdverseEvents | None:
    module = section(study, "resultsSection", "adverseEventsModule")
    if not module:
        return None
    return AdverseEvents(
        time_frame=text(module, "timeFrame") or "", description=text(module, "description") or "",
        frequency_threshold=posted_string(module.get("frequencyThreshold")),
        mortality_comment=text(module, "allCauseMortalityComment"),
        groups=tuple(_event_group(g) for g in items(module, "eventGroups")),
        serious=tuple(_event(e) for e in items(module, "seriousEvents")),
        other=tuple(_event(e) for e in items(module, "otherEvents")))


def adverse_event_facts(study: dict[str, Any]) -> AdverseEventFacts | None:
    """The posted adverse events as the change log compares them; None when the record cannot
    tell (the registry flags results its record does not carry: they were not asked for), so
    a version stored without its results section never reads as adverse events withdrawn."""
    has_results = study.get("hasResults") if isinstance(study, dict) else None
    if not section(study, "resultsSection"):
        return AdverseEventFacts() if has_results is False else None
    events = adverse_events(study)
    if events is None:
        return AdverseEventFacts()
    arms = {group.id: group.title for group in events.groups}
    totals = [EventCountFact(kind, "", group.title, counts.affected, counts.at_risk,
                             arm_key=group.id)
              for group in events.groups
              for kind, counts in (("deaths", group.deaths), ("serious", group.serious),
                                   ("other", group.other))
              if counts.affected is not None or counts.at_risk is not None]
    terms = [EventCountFact(kind, " ".join(event.term.split()), arms.get(c.group_id, c.group_id),
                            c.affected, c.at_risk, event.organ_system, c.group_id)
             for kind, posted in (("serious", events.serious), ("other", events.other))
             for event in posted for c in event.counts]
    return AdverseEventFacts(" ".join(events.time_frame.split()), (*totals, *terms))


def participant_flow(study: dict[str, Any]) -> ParticipantFlow | None:
    module = section(study, "resultsSection", "participantFlowModule")
    if not module:
        return None
    return ParticipantFlow(
        groups=_groups(module), units=text(module, "typeUnitsAnalyzed"),
        recruitment_details=text(module, "recruitmentDetails") or "",
        pre_assignment_details=text(module, "preAssignmentDetails") or "",
        periods=tuple(FlowPeriod(
            title=text(p, "title") or "",
            milestones=tuple(_step(m, "achievements") for m in items(p, "milestones")),
            reasons=tuple(_step(d, "reasons") for d in items(p, "dropWithdraws")))
            for p in items(module, "periods")))


def baseline(study: dict[str, Any]) -> Baseline | None:
    module = section(study, "resultsSection", "baselineCharacteristicsModule")
    if not module:
        return None
    groups = _groups(module)
    units, overall = _denominators(module)
    measures = tuple(
        dataclasses.replace(measure, kind="BASELINE", groups=groups,
                            denominator_units=measure.denominator_units or units,
                            denominators=measure.denominators or overall)
        for measure in (result_measure(raw) for raw in items(module, "measures")))
    return Baseline(population=text(module, "populationDescription") or "", groups=groups,
                    denominator_units=units, denominators=overall, measures=measures)


def _groups(module: dict[str, Any]) -> tuple[ResultGroup, ...]:
    return tuple(ResultGroup(text(g, "id") or "", text(g, "title") or text(g, "id") or "",
                             text(g, "description") or "") for g in items(module, "groups"))


def _denominators(module: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    denoms = items(module, "denoms")
    first = denoms[0] if denoms else {}
    return text(first, "units"), {text(c, "groupId") or "": value
                                  for c in items(first, "counts")
                                  if (value := posted_count(c.get("value"))) is not None}


def _event_group(raw: dict[str, Any]) -> EventGroup:
    def proportion(kind: str) -> Proportion:
        return Proportion(_count(raw.get(f"{kind}NumAffected")),
                          _count(raw.get(f"{kind}NumAtRisk")))

    return EventGroup(id=text(raw, "id") or "", title=text(raw, "title") or text(raw, "id") or "",
                      description=text(raw, "description") or "", deaths=proportion("deaths"),
                      serious=proportion("serious"), other=proportion("other"))


def _event(raw: dict[str, Any]) -> AdverseEvent:
    return AdverseEvent(
        term=text(raw, "term") or TERM_NOT_POSTED, organ_system=text(raw, "organSystem") or "",
        vocabulary=text(raw, "sourceVocabulary"), assessment=text(raw, "assessmentType"),
        notes=text(raw, "notes"),
        counts=tuple(EventCount(text(s, "groupId") or "", _count(s.get("numAffected")),
                                _count(s.get("numAtRisk")), _count(s.get("numEvents")))
                     for s in items(raw, "stats")))


def _step(raw: dict[str, Any], key: str) -> FlowStep:
    return FlowStep(kind=text(raw, "type") or "(not named)", comment=text(raw, "comment"),
                    counts=tuple(FlowCount(text(c, "groupId") or "",
                                           posted_count(c.get("numSubjects")), text(c, "comment"))
                                 for c in items(raw, key)))


def _count(value: Any) -> int | None:
    """A posted count: an integer (or its digits as text), else absent."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
