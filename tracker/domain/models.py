"""Pydantic models for everything the library stores. Frozen: changes make new objects."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tracker.domain.dates import PartialDate
from tracker.domain.enums import Modality, OutcomeKind, Phase, RegistryState, RegistryStatus
from tracker.domain.ids import is_local_id, is_nct_id
from tracker.domain.limits import TAG_MAX_CHARS, WATCHLIST_NAME_MAX_CHARS, check_name
from tracker.domain.misprints import PrintFault
from tracker.domain.numbers import parse_figure
from tracker.domain.views import OutcomeDisplay, SourceDisplay, TrialDisplay

IdProvenance = Literal["seed", "curator", "local", "registry"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def _check_trial_id(value: str) -> str:
    if not (is_nct_id(value) or is_local_id(value)):
        raise ValueError(f"not an NCT id or local id: {value!r} (expected NCT and 8 digits, "
                         "or LOCAL-NAME of at most 64 characters)")
    return value


class Source(SourceDisplay, _Frozen):
    """Where a curated figure was printed: the seed file and the table or passage."""

    file: str = Field(min_length=1)
    locator: str = Field(min_length=1)


class Outcome(OutcomeDisplay, _Frozen):
    """One reported result, with the value exactly as the source printed it."""

    metric: str = Field(min_length=1)
    value: str = Field(min_length=1)
    number: float | None = None
    unit: str | None = None
    arm: str | None = None
    population: str | None = None
    timepoint: str | None = None
    source: Source
    quote: str | None = None  # the passage of the source the value was read from, verbatim
    caveat: str | None = None  # a curator's note the reader must see (e.g. a misprint)
    kind: OutcomeKind = OutcomeKind.RESULT
    #: the review printed it wrong (a misprint, a mislabel), as the curator classed it
    print_fault: PrintFault | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse_number(cls, data: object) -> object:
        if isinstance(data, dict) and "number" not in data and data.get("value"):
            number, unit = parse_figure(str(data["value"]))
            data = {**data, "number": number, "unit": data.get("unit") or unit}
        return data


class Note(_Frozen):
    """A personal note. `author` is None for the user's own notes, or names an imported origin."""

    id: int | None = None
    trial_id: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime
    author: str | None = None


class Tag(_Frozen):
    name: str = Field(min_length=1, max_length=TAG_MAX_CHARS)

    @field_validator("name", mode="before")
    @classmethod
    def _typeable(cls, name: object) -> object:
        if isinstance(name, str):  # line breaks and tabs fold to one space, as always
            name = " ".join(name.split())
        return check_name(name, "a tag", TAG_MAX_CHARS)

    @field_validator("name")
    @classmethod
    def _normalise(cls, name: str) -> str:
        name = " ".join(name.split())
        if not name:
            raise ValueError("a tag cannot be blank")
        if "," in name:
            raise ValueError(f"a tag cannot contain a comma: {name!r}")
        return name


class StatusChange(_Frozen):
    """A registry status change noticed by a sync (`old` is None for the first status seen)."""

    trial_id: str
    old_status: RegistryStatus | None
    new_status: RegistryStatus
    registry_date: str | None = None
    seen_at: dt.datetime


class WatchList(_Frozen):
    id: int | None = None
    name: str = Field(min_length=1, max_length=WATCHLIST_NAME_MAX_CHARS)

    @field_validator("name", mode="before")
    @classmethod
    def _typeable(cls, name: object) -> object:
        return check_name(name, "a watch list name", WATCHLIST_NAME_MAX_CHARS)

    @field_validator("name")
    @classmethod
    def _name_is_not_blank(cls, name: str) -> str:
        name = name.strip()
        if not name:
            raise ValueError("a watch list needs a name")
        return name
    description: str = ""
    meeting_date: dt.date | None = None
    trial_ids: tuple[str, ...] = ()
    position: int = 0
    #: the latest of its earlier meeting dates that is past (as the library was read)
    previous_meeting: dt.date | None = None
    #: the meetings it held, newest first (archived after their day: the store's
    #: `HELD_MEETING`); what `watchlist show`, the list's dialog and its JSON file name
    past_meetings: tuple[dt.date, ...] = ()

    def meeting_behind(self, today: dt.date) -> dt.date | None:
        """The meeting "changed since the meeting" counts from: the latest of the list's
        meeting dates that is past (its meeting from the day after it, else, a journal club
        still ahead or meeting today, the one before: a handout made on the morning of the
        meeting reports the changes since the last one); None when the list has not met yet.
        `today` is the user's day (`users_today`). The window, `tracker changes` and the
        handouts use this one rule (the window's query and the list's read say it in SQL)."""
        days = [d for d in (self.meeting_date, self.previous_meeting) if d and d < today]
        return max(days, default=None)

    def replaces_todays_meeting(self, new: dt.date | None, today: dt.date) -> bool:
        """Whether setting the meeting date to `new` records the list's meeting of `today`
        (the user's day) as held (the store's rule: a date replaced on its day was met on)."""
        return self.meeting_date == today and new != self.meeting_date

    def without_past_meeting(self, day: dt.date, today: dt.date) -> WatchList:
        """The list as it reads once its past meeting `day` is forgotten (what the window
        says before it forgets one)."""
        held = tuple(d for d in self.past_meetings if d != day)
        return self.model_copy(update={
            "past_meetings": held, "previous_meeting": next((d for d in held if d < today), None)})


class Trial(TrialDisplay, _Frozen):
    """A trial in the library: curated facts plus the registry fields the last sync brought."""

    id: str
    aliases: tuple[str, ...] = ()
    id_provenance: IdProvenance = "registry"
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
    last_known_status: RegistryStatus | None = None  # before an UNKNOWN status
    status_verified: str | None = None  # "2019-12": the sponsor last confirmed the status
    why_stopped: str | None = None
    start_date: PartialDate | None = None
    primary_completion_date: PartialDate | None = None
    completion_date: PartialDate | None = None
    enrollment: int | None = Field(default=None, ge=0)
    enrollment_kind: str | None = None
    sponsor: str | None = None
    has_results: bool | None = None
    last_update_posted: str | None = None
    last_synced_at: dt.datetime | None = None
    registry_state: RegistryState = RegistryState.NEVER_SYNCED
    outcomes: tuple[Outcome, ...] = ()
    #: The arm a randomised (controlled) trial compares the studied treatment with, as the
    #: curators name it ("standard of care"); None for a trial that compares no arms.
    comparator: str | None = None

    _check_id = field_validator("id")(classmethod(lambda cls, v: _check_trial_id(v)))

    @field_validator("aliases")
    @classmethod
    def _check_aliases(cls, aliases: tuple[str, ...]) -> tuple[str, ...]:
        for alias in aliases:
            if not is_nct_id(alias):
                raise ValueError(f"alias is not an NCT id: {alias!r}")
        return aliases
