"""Read-only views of stored trials for display, and the behaviour they share with the models.

`tracker show` prints a trial, its curated figures and notes as they are stored: they were
validated when written, so reading them for display needs no validation and no pydantic
(importing it and building the models is most of a short command's start-up). The views are
plain frozen dataclasses with the attributes the renderers read; the few computed attributes
live in the mixins below, which the pydantic models (`tracker.domain.models`,
`tracker.domain.dates`) use too, so a model and its view never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.domain.enums import (
    OPEN_STATUSES,
    DateKind,
    Modality,
    OutcomeKind,
    Phase,
    RegistryState,
    RegistryStatus,
)
from tracker.domain.ids import is_nct_id
from tracker.domain.misprints import PrintFault


def latest_day(value: str) -> dt.date:
    """The last day a partial date (yyyy, yyyy-MM or yyyy-MM-dd) can mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        following = dt.date(parts[0], parts[1], 28) + dt.timedelta(days=4)
        return following - dt.timedelta(days=following.day)
    return dt.date(parts[0], parts[1], parts[2])


def under_way(status: RegistryStatus | str | None, registry_state: RegistryState | str) -> bool:
    """A trial still under way: the registry still lists it, with an open status (an
    estimated date it has passed is overdue; a completed or stopped trial's are stale)."""
    return registry_state != RegistryState.NOT_FOUND and status in OPEN_STATUSES


def passed_estimate(value: str | None, estimated: bool, running_on: dt.date | None) -> bool:
    """An estimated date wholly behind `running_on`, the user's day for a trial still under
    way (`TrialDisplay.running_on`): overdue. The detail pane, `tracker show`, the cards and
    the handouts (`TrialDisplay.dates_on`, on the handout's day) use this one rule."""
    return bool(value) and estimated and running_on is not None \
        and latest_day(value) < running_on


class DateDisplay:
    """What a partial date (`value`: yyyy, yyyy-MM or yyyy-MM-dd; `kind`) shows and means."""

    if TYPE_CHECKING:  # the fields of the class this is mixed into (not pydantic fields)
        value: str
        kind: DateKind | None

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]

    @property
    def is_estimated(self) -> bool:
        return self.kind == DateKind.ESTIMATED

    def earliest(self) -> dt.date:
        """The first day the partial date can mean (used for sorting and the timeline)."""
        parts = [int(p) for p in self.value.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1,
                       parts[2] if len(parts) > 2 else 1)

    def latest(self) -> dt.date:
        """The last day the partial date can mean ("2026-06": 2026-06-30)."""
        return latest_day(self.value)

    def display(self, running_on: dt.date | None = None) -> str:
        """"2026-06 (est.)"; with `running_on` (the user's day, for a trial still under
        way: `TrialDisplay.running_on`), an estimated date wholly behind it is "(est.,
        overdue)": the registry still plans a day that has passed."""
        if self.kind is not None and not self.kind.is_listed:  # a date type added since
            return f"{self.value} (registry date type {self.kind.value})"
        if passed_estimate(self.value, self.is_estimated, running_on):
            return f"{self.value} (est., overdue)"
        suffix = " (est.)" if self.is_estimated else ""
        return f"{self.value}{suffix}"


class SourceDisplay:
    if TYPE_CHECKING:  # the fields of the class this is mixed into (not pydantic fields)
        file: str
        locator: str

    def display(self) -> str:
        return f"{self.file}, {self.locator}"


class OutcomeDisplay:
    if TYPE_CHECKING:  # the fields of the class this is mixed into (not pydantic fields)
        metric: str
        value: str
        kind: OutcomeKind

    @property
    def is_context(self) -> bool:
        return self.kind == OutcomeKind.CONTEXT

    def headline(self) -> str:
        return f"{self.metric} {self.value}"


#: The registry's three dates of a trial, as readers name them, and the fields holding them.
REGISTRY_DATES: tuple[tuple[str, str], ...] = (
    ("Start", "start_date"), ("Primary completion", "primary_completion_date"),
    ("Completion", "completion_date"))


@dataclass(frozen=True)
class ShownDate:
    """One registry date as a reader sees it on a given day: "Primary completion", its value
    ("2026-06"), as written ("2026-06 (est., overdue)") and whether it is overdue
    (`passed_estimate`)."""

    name: str
    value: str
    text: str
    overdue: bool


class TrialDisplay:
    if TYPE_CHECKING:  # the fields of the class this is mixed into (not pydantic fields)
        id: str
        acronym: str | None
        brief_title: str
        sponsor: str | None
        status: RegistryStatus | None
        registry_state: RegistryState | str
        last_update_posted: str | None
        comparator: str | None
        start_date: DateDisplay | None
        primary_completion_date: DateDisplay | None
        completion_date: DateDisplay | None

    @property
    def compares_arms(self) -> bool:
        """The trial compares arms by design (a curated comparator), whether or not the
        reviews print a figure for each: a headline figure shown alone is then one arm's
        (metrics.headline_text)."""
        return self.comparator is not None

    @property
    def not_found(self) -> bool:
        """The last sync asked for the trial and the registry did not list it."""
        return self.registry_state == RegistryState.NOT_FOUND

    def no_results_words(self, record_date: str | None = None) -> str:
        """Why no posted results are shown, for a synced trial whose stored record has none.
        Of a trial the registry no longer lists it is said of the last record found, dated
        as the handout dates it (`record_date`, else the trial's last registry update):
        'No results posted in the last record found (registry record of 2025-01-15): the
        registry no longer lists this trial.'"""
        if not self.not_found:
            return "No results posted on ClinicalTrials.gov."
        date = record_date or self.last_update_posted
        dated = f" (registry record of {date})" if date else ""
        return (f"No results posted in the last record found{dated}: the registry no longer "
                "lists this trial.")

    @property
    def current_status(self) -> RegistryStatus | None:
        """The registry status as of the last sync that found the trial; None when the last
        sync did not find it (its stored status is only what it was last seen as)."""
        return None if self.not_found else self.status

    def running_on(self, today: dt.date) -> dt.date | None:
        """`today` if the trial is still under way (an open registry status), else None: an
        estimated date such a trial has passed is overdue, while a completed or stopped
        trial's leftover estimates are stale, not late."""
        return today if under_way(self.status, self.registry_state) else None

    def dates_on(self, today: dt.date) -> list[ShownDate]:
        """The registry dates the trial has, written as on `today` (the detail pane's rule:
        an estimated date a trial still under way has passed reads "(est., overdue)")."""
        running = self.running_on(today)
        shown = []
        for name, field in REGISTRY_DATES:
            date: DateDisplay | None = getattr(self, field)
            if date is not None:
                overdue = passed_estimate(date.value, date.is_estimated, running)
                shown.append(ShownDate(name, date.value, date.display(running), overdue))
        return shown

    def overdue_estimates(self, today: dt.date) -> list[str]:
        """"Primary completion 2026-06": the estimates a trial still under way has passed by
        `today` (`dates_on`), for a column a reader can filter."""
        return [f"{date.name} {date.value}" for date in self.dates_on(today) if date.overdue]

    @property
    def takes_patients(self) -> bool:
        """Whether its recruiting sites can take a referral: the registry still lists the
        trial, and lists it as recruiting (`RegistryStatus.takes_patients`)."""
        status = self.current_status
        return status is not None and status.takes_patients

    @property
    def is_registered(self) -> bool:
        return is_nct_id(self.id)

    @property
    def display_title(self) -> str:
        return self.acronym or self.brief_title or self.id

    @property
    def sponsor_shown(self) -> str | None:
        """The lead sponsor; "not stated" when the registry record names none (None while
        the record has not been read: the sponsor is then unknown, not missing)."""
        if self.sponsor:
            return self.sponsor
        return "not stated" if self.registry_state == RegistryState.FOUND else None

    @property
    def registry_url(self) -> str | None:
        return f"https://clinicaltrials.gov/study/{self.id}" if self.is_registered else None


@dataclass(frozen=True)
class DateView(DateDisplay):
    value: str
    kind: DateKind | None = None


@dataclass(frozen=True)
class SourceView(SourceDisplay):
    file: str
    locator: str


@dataclass(frozen=True, kw_only=True)
class OutcomeView(OutcomeDisplay):
    metric: str
    value: str
    number: float | None = None
    unit: str | None = None
    arm: str | None = None
    population: str | None = None
    timepoint: str | None = None
    source: SourceView
    quote: str | None = None
    caveat: str | None = None
    kind: OutcomeKind = OutcomeKind.RESULT
    print_fault: PrintFault | None = None


@dataclass(frozen=True, kw_only=True)
class NoteView:
    id: int | None
    trial_id: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime
    author: str | None = None


@dataclass(frozen=True, kw_only=True)
class TrialView(TrialDisplay):
    """A stored trial as `tracker.domain.Trial` has it, read without validation."""

    id: str
    aliases: tuple[str, ...] = ()
    id_provenance: str = "registry"
    acronym: str | None = None
    brief_title: str = ""
    official_title: str | None = None
    summary: str = ""
    brief_summary: str | None = None
    modality: Modality = Modality.OTHER
    drugs: tuple[str, ...] = ()
    diseases: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    status: RegistryStatus | None = None
    last_known_status: RegistryStatus | None = None
    status_verified: str | None = None
    why_stopped: str | None = None
    start_date: DateView | None = None
    primary_completion_date: DateView | None = None
    completion_date: DateView | None = None
    enrollment: int | None = None
    enrollment_kind: str | None = None
    sponsor: str | None = None
    has_results: bool | None = None
    last_update_posted: str | None = None
    last_synced_at: dt.datetime | None = None
    registry_state: RegistryState = RegistryState.NEVER_SYNCED
    outcomes: tuple[OutcomeView, ...] = ()
    comparator: str | None = None
