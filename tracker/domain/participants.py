"""Posted participant flow and baseline characteristics, with the registry's own strings.

Milestones keep the registry's words ("STARTED", "COMPLETED", "NOT COMPLETED" or a sponsor's
own, such as "Received CAR-T infusion") and numbers as posted ("286", "NA"); no total is
computed that the registry did not post.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain.record import ResultGroup, ResultMeasure, shared_ids, unassigned_words


@dataclass(frozen=True)
class FlowCount:
    group_id: str
    subjects: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class FlowStep:
    """A milestone ("STARTED") or a reason for not completing ("Adverse Event")."""

    kind: str
    comment: str | None = None
    counts: tuple[FlowCount, ...] = ()

    def subjects_for(self, group_id: str) -> str | None:
        return next((c.subjects for c in self.counts if c.group_id == group_id), None)

    @property
    def label(self) -> str:
        """'STARTED' -> 'started', 'NOT COMPLETED' -> 'not completed'; a sponsor's own
        wording ('Received CAR-T infusion') is kept as written."""
        return self.kind.lower() if self.kind.isupper() else self.kind


@dataclass(frozen=True)
class FlowPeriod:
    title: str
    milestones: tuple[FlowStep, ...] = ()
    reasons: tuple[FlowStep, ...] = ()


@dataclass(frozen=True)
class ParticipantFlow:
    groups: tuple[ResultGroup, ...] = ()
    periods: tuple[FlowPeriod, ...] = ()
    recruitment_details: str = ""
    pre_assignment_details: str = ""
    units: str | None = None  # typeUnitsAnalyzed, when not participants

    def subjects(self, step: FlowStep, group: ResultGroup) -> str | None:
        """The group's count for `step` as posted, or why it is not assigned (an id the
        registry gives to two arms); None when not posted."""
        if group.id in shared_ids(self.groups):
            return unassigned_words(group.id, self.groups)
        return step.subjects_for(group.id)

    def arm_line(self, period: FlowPeriod, group: ResultGroup) -> str:
        """'started 286, completed 12, not completed 274 (Death 160, Adverse Event 20)'."""
        if group.id in shared_ids(self.groups):
            return f"counts {unassigned_words(group.id, self.groups)}"
        steps = [f"{m.label} {m.subjects_for(group.id) or '—'}" for m in period.milestones]
        reasons = [f"{r.label} {n}" for r in period.reasons
                   if (n := r.subjects_for(group.id)) not in (None, "0")]
        line = ", ".join(steps) or "no milestones posted"
        return line + (f" ({', '.join(reasons)})" if reasons else "")


@dataclass(frozen=True)
class Baseline:
    population: str = ""
    groups: tuple[ResultGroup, ...] = ()
    denominator_units: str | None = None
    denominators: dict[str, str] = field(default_factory=dict)  # group id -> overall number
    measures: tuple[ResultMeasure, ...] = ()

    @property
    def essentials(self) -> tuple[ResultMeasure, ...]:
        """Age and sex measures ('Age, Continuous', 'Sex: Female, Male'), as posted."""
        return tuple(m for m in self.measures if _is_age_or_sex(m.title))

    @property
    def further(self) -> tuple[ResultMeasure, ...]:
        return tuple(m for m in self.measures if not _is_age_or_sex(m.title))


def _is_age_or_sex(title: str) -> bool:
    lowered = title.lower()
    return lowered.startswith(("age", "sex", "gender"))


#: Baseline values that are counts of participants: shown with their share, no unit or type.
COUNT_OF_PARTICIPANTS = "COUNT_OF_PARTICIPANTS"


def baseline_heading_detail(param_type: str | None, unit: str | None) -> str:
    """What a baseline measure's values are, for its heading: 'median, years' (the registry's
    paramType MEDIAN, unit years), 'mean, kg', 'median' without a unit; '' for a count of
    participants (each value then says itself what it is: '110 (38.5%)')."""
    if param_type == COUNT_OF_PARTICIPANTS:
        return ""
    kind = param_type.replace("_", " ").lower() if param_type else ""
    return ", ".join(p for p in (kind, unit) if p)
