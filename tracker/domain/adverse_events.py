"""Posted adverse events (`resultsSection.adverseEventsModule`) as value objects.

The registry's own terms, organ systems and counts are kept; nothing is summed or inferred. A
count the registry left out (or sent negative) stays None and is shown as "—". The only
arithmetic is the share of participants affected (affected / at risk), which the registry's
own page shows too; counts that cannot be true (more affected than at risk) are shown as
posted with that said, and no share. An event count filed under a group id the registry gives
to two arms is assigned to neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.record import shared_ids

#: Words a CAR-T, bispecific or venetoclax reader looks for first (a term containing one is
#: listed even beyond the shortened lists), with every term of the organ system "Infections
#: and infestations". A reading aid only: no event is re-coded and no count is summed.
OF_SPECIAL_INTEREST = ("cytokine release", "neurotox", "immune effector", "icans",
                       "encephalopathy", "tumour lysis", "tumor lysis", "infection", "sepsis",
                       "pneumonia", "febrile neutropenia")
#: The class toxicities themselves (CAR-T / bispecifics: CRS and ICANS; venetoclax: tumour
#: lysis): named even in the terminal's five-line summary.
CLASS_TOXICITIES = ("cytokine release", "neurotox", "immune effector", "icans", "tumour lysis",
                    "tumor lysis")


#: The organ system whose every term is of special interest.
INFECTIONS = "infection"


def is_class_toxicity(term: str) -> bool:
    """Whether a posted term names a class toxicity (CRS, ICANS, tumour lysis)."""
    lowered = term.lower()
    return any(word in lowered for word in CLASS_TOXICITIES)


def is_of_special_interest(term: str, organ_system: str = "") -> bool:
    """Whether a posted term is one a hematologist looks for first (`OF_SPECIAL_INTEREST`, or
    any term of the infections organ system)."""
    lowered = term.lower()
    return any(word in lowered for word in OF_SPECIAL_INTEREST) \
        or INFECTIONS in organ_system.lower()


@dataclass(frozen=True)
class Proportion:
    """Participants affected out of those at risk, as posted (None: not posted)."""

    affected: int | None = None
    at_risk: int | None = None

    @property
    def impossible(self) -> bool:
        """More participants affected than at risk: a posting error, not a share over 100%."""
        return self.affected is not None and self.at_risk is not None \
            and self.affected > self.at_risk

    @property
    def not_posted(self) -> bool:
        return self.affected is None and self.at_risk is None

    @property
    def share(self) -> float | None:
        if self.affected is None or not self.at_risk or self.impossible:
            return None
        return self.affected / self.at_risk

    def text(self) -> str:
        """'84/283 (29.7%)'; '—/283' when the number affected is not posted; '50/10 (as
        posted: affected exceeds at risk)' without a share when the counts cannot be true."""
        if self.not_posted:
            return NOT_POSTED
        counts = f"{_shown(self.affected)}/{_shown(self.at_risk)}"
        if self.impossible:
            return f"{counts} ({IMPOSSIBLE_WORDS})"
        share = self.share
        return counts if share is None else f"{counts} ({share * 100:.1f}%)"


IMPOSSIBLE_WORDS = "as posted: affected exceeds at risk"
NOT_POSTED = "not posted"
#: An arm's total of participants with serious (or other) events, when the registry leaves it
#: out yet lists events of that kind for the arm: the events are posted, only the total is not.
TOTAL_NOT_POSTED = "total not posted"
#: An event the registry posts without its term (counts, no name): shown, never counted as a term.
TERM_NOT_POSTED = "(term not posted)"


def _shown(count: int | None) -> str:
    return "—" if count is None else str(count)


@dataclass(frozen=True)
class EventGroup:
    """An arm as the adverse events table names it, with its totals."""

    id: str
    title: str
    description: str = ""
    deaths: Proportion = Proportion()
    serious: Proportion = Proportion()
    other: Proportion = Proportion()


@dataclass(frozen=True)
class EventCount:
    group_id: str
    affected: int | None = None
    at_risk: int | None = None
    events: int | None = None

    @property
    def proportion(self) -> Proportion:
        return Proportion(self.affected, self.at_risk)


@dataclass(frozen=True)
class AdverseEvent:
    term: str
    organ_system: str = ""
    vocabulary: str | None = None
    assessment: str | None = None  # SYSTEMATIC_ASSESSMENT / NON_SYSTEMATIC_ASSESSMENT
    notes: str | None = None
    counts: tuple[EventCount, ...] = ()

    def count_for(self, group_id: str) -> EventCount | None:
        return next((c for c in self.counts if c.group_id == group_id), None)

    @property
    def class_toxicity(self) -> bool:
        return is_class_toxicity(self.term)

    @property
    def of_special_interest(self) -> bool:
        return is_of_special_interest(self.term, self.organ_system)


@dataclass(frozen=True)
class ArmEvents:
    """One arm's events of one kind, most participants affected first."""

    group: EventGroup
    ranked: tuple[tuple[AdverseEvent, Proportion], ...]
    #: every arm's title when the registry gives this arm's id to several arms: its event
    #: counts cannot be told apart, so none is assigned (`ranked` is empty)
    shared_id_with: tuple[str, ...] = ()

    @property
    def unassigned(self) -> str:
        """'event counts not assigned: group id EG001 is posted for 2 arms (Arm B; Arm B
        duplicate id)'; '' for an arm with an id of its own."""
        if not self.shared_id_with:
            return ""
        return (f"event counts not assigned: group id {self.group.id} is posted for "
                f"{len(self.shared_id_with)} arms ({'; '.join(self.shared_id_with)})")

    def shortened(self, most: int) -> tuple[list[tuple[AdverseEvent, Proportion]], int]:
        """The first `most` events plus any later one of special interest, and how many
        are left out."""
        shown = [pair for index, pair in enumerate(self.ranked)
                 if index < most or pair[0].of_special_interest]
        return shown, len(self.ranked) - len(shown)


@dataclass(frozen=True)
class AdverseEvents:
    time_frame: str = ""
    description: str = ""
    frequency_threshold: str | None = None  # percent, as posted ("5")
    mortality_comment: str | None = None
    groups: tuple[EventGroup, ...] = ()
    serious: tuple[AdverseEvent, ...] = ()
    other: tuple[AdverseEvent, ...] = ()

    def arm_total(self, group: EventGroup, kind: str) -> str:
        """The arm's participants with `kind` ("serious", "other" or "deaths") as posted:
        '85/170 (50.0%)'; 'total not posted' when the registry gives no total but lists
        events of that kind for the arm; 'not posted' when it gives neither (deaths are
        totals only: no list of deaths is posted)."""
        proportion = {"serious": group.serious, "other": group.other,
                      "deaths": group.deaths}[kind]
        listed = {"serious": self.serious, "other": self.other}.get(kind, ())
        if proportion.not_posted and any(event.count_for(group.id) is not None
                                         for event in listed):
            return TOTAL_NOT_POSTED
        return proportion.text()

    def serious_by_arm(self) -> list[ArmEvents]:
        return [self._arm(group, self.serious) for group in self.groups]

    def other_by_arm(self) -> list[ArmEvents]:
        return [self._arm(group, self.other) for group in self.groups]

    @property
    def shared_group_ids(self) -> frozenset[str]:
        """Group ids the registry gives to more than one arm: event counts filed under them
        belong to neither arm for certain, so none is assigned (`record.shared_ids`, the rule
        outcome values and the participant flow follow)."""
        return shared_ids(self.groups)

    def _arm(self, group: EventGroup, events: tuple[AdverseEvent, ...]) -> ArmEvents:
        sharing = tuple(g.title for g in self.groups if g.id == group.id)
        if len(sharing) > 1:
            return ArmEvents(group, (), sharing)
        return ArmEvents(group, _ranked(events, group.id))


def _ranked(events: tuple[AdverseEvent, ...], group_id: str
            ) -> tuple[tuple[AdverseEvent, Proportion], ...]:
    """The arm's events that affected someone, most affected first, then by term; an event
    posted for the arm with more affected than at risk comes after them ("50/10 (as posted:
    …)"), one without a usable number affected last ("—")."""
    found = [(event, count.proportion) for event in events
             if (count := event.count_for(group_id)) is not None and count.affected != 0]
    return tuple(sorted(found, key=lambda pair: (pair[1].affected is None, pair[1].impossible,
                                                 -(pair[1].affected or 0), pair[0].term)))
