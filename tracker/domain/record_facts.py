"""The facts of one registry version that the change log compares (no pydantic, no deps)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class DateFact:
    """A registry date as printed (`yyyy[-MM[-dd]]`) and its type (ACTUAL / ESTIMATED)."""

    value: str
    kind: str | None = None

    def text(self) -> str:
        return f"{self.value} ({self.kind.lower()})" if self.kind else self.value

    def year(self) -> int | None:
        head = self.value[:4]
        return int(head) if head.isdigit() else None

    def month_index(self) -> int:
        parts = self.value.split("-")
        return int(parts[0]) * 12 + (int(parts[1]) - 1 if len(parts) > 1 else 0)


@dataclass(frozen=True)
class SiteFact:
    facility: str
    city: str
    country: str
    status: str | None = None

    def text(self) -> str:
        return ", ".join(part for part in (self.facility, self.city, self.country) if part)


@dataclass(frozen=True)
class OutcomeFact:
    measure: str
    time_frame: str = ""

    def text(self) -> str:
        return f"{self.measure} [{self.time_frame}]" if self.time_frame else self.measure


@dataclass(frozen=True)
class PostedResultFact:
    """One posted outcome measure: its kind (PRIMARY, SECONDARY, …), title and its figures
    as posted, each as (key, name, value): the key stays from version to version (the arm's
    group id), the name is what a reader is told: (("OG000", "Axi-cel", "8.3 (95% CI 4.5 to
    15.8)"), ("n OG000", "n Axi-cel", "180"), ("analysis 1", "analysis 1", "HR 0.4…"))."""

    kind: str
    title: str
    figures: tuple[tuple[str, str, str], ...]
    time_frame: str = ""


@dataclass(frozen=True)
class EventCountFact:
    """One posted adverse-event count: participants affected and at risk for one term (or an
    arm's total, `term` "") of one kind in one arm, as posted (None: not posted)."""

    kind: str  # "serious" or "other" (terms and arm totals), "deaths" (arm totals)
    term: str
    arm: str  # the arm's title in the adverse events table
    affected: int | None = None
    at_risk: int | None = None
    organ_system: str = ""
    arm_key: str = ""  # the arm's group id, which stays when the arm is renamed


@dataclass(frozen=True)
class AdverseEventFacts:
    """The posted adverse events as the change log compares them; empty: none posted."""

    time_frame: str = ""
    counts: tuple[EventCountFact, ...] = ()

    @property
    def posted(self) -> bool:
        return bool(self.counts or self.time_frame)


@dataclass(frozen=True)
class ReferenceFact:
    pmid: str | None
    kind: str | None  # RESULT, BACKGROUND, DERIVED
    citation: str

    @property
    def key(self) -> str:
        return self.pmid or self.citation

    def text(self) -> str:
        head = f"PMID {self.pmid}" if self.pmid else "no PMID"
        return f"{head} ({(self.kind or 'reference').lower()}): {self.citation}"


@dataclass(frozen=True)
class RecordFacts:
    """What the change log compares in a registry record. `known` names the fields this
    snapshot carries: a snapshot built from the library's stored fields knows fewer than one
    built from a whole registry record, and unknown fields are never compared."""

    known: frozenset[str]
    overall_status: str | None = None
    why_stopped: str | None = None
    start_date: DateFact | None = None
    primary_completion_date: DateFact | None = None
    completion_date: DateFact | None = None
    enrollment: tuple[int | None, str | None] | None = None
    phases: tuple[str, ...] = ()
    arms: tuple[str, ...] = ()
    primary_outcomes: tuple[OutcomeFact, ...] = ()
    secondary_outcomes: tuple[OutcomeFact, ...] = ()
    eligibility_criteria: str | None = None
    sites: tuple[SiteFact, ...] = ()
    lead_sponsor: str | None = None
    collaborators: tuple[str, ...] = ()
    results_first_posted: str | None = None
    has_results: bool | None = None
    references: tuple[ReferenceFact, ...] = ()
    posted_results: tuple[PostedResultFact, ...] = ()  # known only with a results section
    adverse_events: AdverseEventFacts = AdverseEventFacts()  # known only with results too


def predates(citation: str, year: int | None) -> bool:
    """Whether a citation was certainly published before `year` (a study's start): every
    year it mentions is earlier. Such a paper cannot report that study's results, whatever
    type the registry gives it (sponsors file background papers as RESULT)."""
    years = [int(found) for found in _YEAR.findall(citation)]
    return bool(years) and year is not None and max(years) < year
