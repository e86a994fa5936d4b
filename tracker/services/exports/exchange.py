"""The JSON exchange format colleagues import: a watch list with its trials (versions 1, 2).

Version 2 is version 1 with the meetings the list held (`watchlist.past_meetings`), written
only for a list that has some: the previous build refuses any key it does not know, and
refuses another version with a message naming it, so a list with no past meetings stays a
version 1 file every build reads.

Documented in docs/exchange-format.md. Notes always carry an author: the user's own notes
are written with the name set in Preferences, so an importing library can attribute them;
with no name set they read "a colleague" and `exported_by` is null. The operating system's
login name is never written (it would leak into a shared file).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from tracker import __version__
from tracker.domain import RegistryStatus, Tag, Trial, users_today
from tracker.domain.enums import code_problem
from tracker.domain.limits import PAST_MEETINGS_MAX, meeting_date_problem, past_meeting_problem
from tracker.domain.plain_errors import kind_of, shown_value
from tracker.services.exports.handout import Handout

FORMAT_NAME = "trial-tracker-watchlist"
FORMAT_VERSION = 2  # the newest this build reads and writes
READABLE_VERSIONS = (1, 2)
WITHOUT_MEETINGS = 1  # what a list with no past meetings is written as: every build reads it
UNNAMED_AUTHOR = "a colleague"  # own notes when the user set no name in Preferences


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ExchangeNote(_Strict):
    body: str
    author: str = Field(min_length=1)
    created_at: dt.datetime
    updated_at: dt.datetime


def _status_code(value: object) -> object:
    """A status from a file: any code (an unlisted one is kept and flagged where shown), but
    nothing else, and said so (pydantic's own message listed the known codes alone)."""
    problem = None if value is None else code_problem(value, "status")
    if problem:
        raise ValueError(problem)
    return value


StatusCode = Annotated[RegistryStatus, BeforeValidator(_status_code)]


class ExchangeStatusChange(_Strict):
    old_status: StatusCode | None
    new_status: StatusCode
    registry_date: str | None = None
    seen_at: dt.datetime


def _tag_name(name: str) -> str:
    try:
        return Tag(name=name).name
    except ValidationError as error:  # report it at the tag's own path, in plain words
        raise ValueError(error.errors()[0]["msg"].removeprefix("Value error, ")) from None


TagName = Annotated[str, AfterValidator(_tag_name)]


class ExchangeFieldChange(_Strict):
    """A registry change other than the status (statuses travel in `status_history`)."""

    field: str = Field(min_length=1, max_length=60)

    @field_validator("field")
    @classmethod
    def _not_a_status(cls, field: str) -> str:
        if field == "overall_status":  # its values would skip the status checks
            raise ValueError("statuses travel in status_history, not in changes")
        return field
    old: str | None = None
    new: str | None = None
    detail: str | None = None
    significance: Literal["major", "minor"]
    registry_date: str | None = None
    seen_at: dt.datetime


class ExchangeTrial(Trial):
    status: StatusCode | None = None
    last_known_status: StatusCode | None = None
    notes: list[ExchangeNote] = Field(default_factory=list)
    tags: list[TagName] = Field(default_factory=list)
    status_history: list[ExchangeStatusChange] = Field(default_factory=list)
    #: optional: files written before the change log have no `changes` and still import
    changes: list[ExchangeFieldChange] = Field(default_factory=list)

    def as_trial(self) -> Trial:
        return Trial.model_validate(self.model_dump(
            exclude={"notes", "tags", "status_history", "changes"}))


_WRITTEN_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_day(value: object) -> object:
    """A day as the file writes it, "2026-11-05", and nothing else: pydantic's own date
    parsing would take a number as seconds since 1970, or a date and time at midnight."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # built in Python (an export)
    if not isinstance(value, str):
        wrong = kind_of(value)  # a ValueError: pydantic reports it at the field's path
        raise ValueError(f"should be a date written YYYY-MM-DD, not {wrong}")  # noqa: TRY004
    if not _WRITTEN_DAY.fullmatch(value):
        raise ValueError(f"{shown_value(value)} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a day of the calendar") from None


def _meeting_year(day: dt.date) -> dt.date:
    problem = meeting_date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


#: A meeting date in a file: written YYYY-MM-DD, in the years a typed one may have.
MeetingDay = Annotated[dt.date, BeforeValidator(_written_day), AfterValidator(_meeting_year)]


def _held(day: dt.date) -> dt.date:
    problem = past_meeting_problem(day, users_today())
    if problem:
        raise ValueError(problem)
    return day


#: A meeting the list held: a meeting date that is not ahead (`past_meeting_problem`).
PastMeeting = Annotated[MeetingDay, AfterValidator(_held)]


def _not_too_many(days: object) -> object:
    """Counted before any is read, so a file of a million dates is refused at once."""
    if isinstance(days, list) and len(days) > PAST_MEETINGS_MAX:
        raise ValueError(f"{len(days):,} dates; a file carries at most {PAST_MEETINGS_MAX:,} "
                         "past meetings")
    return days


def _each_once(days: list[dt.date]) -> list[dt.date]:
    seen: set[dt.date] = set()
    for day in days:
        if day in seen:
            raise ValueError(f"{day.isoformat()} is listed twice")
        seen.add(day)
    return days


PastMeetings = Annotated[list[PastMeeting], BeforeValidator(_not_too_many),
                         AfterValidator(_each_once)]


class ExchangeWatchList(_Strict):
    name: str = Field(min_length=1, max_length=120)

    @field_validator("name")
    @classmethod
    def _name_is_not_blank(cls, name: str) -> str:
        if not name.strip():
            raise ValueError("a watch list needs a name")
        return name.strip()
    description: str = ""
    meeting_date: MeetingDay | None = None
    #: version 2: the meetings the list held, newest first (what "changes since the
    #: previous meeting" counts from); written only when there are some
    past_meetings: PastMeetings = Field(default_factory=list)


class ExchangeFile(_Strict):
    format: Literal["trial-tracker-watchlist"]
    version: Literal[1, 2]
    exported_at: dt.datetime
    exported_by: str | None = Field(default=None, min_length=1)  # None: no name was set
    app_version: str
    watchlist: ExchangeWatchList
    trials: list[ExchangeTrial]

    @model_validator(mode="after")
    def _unique_ids(self) -> ExchangeFile:
        seen: set[str] = set()
        for position, trial in enumerate(self.trials):
            if trial.id in seen:
                raise ValueError(f"trials[{position}].id: duplicate trial id {trial.id}")
            seen.add(trial.id)
        return self

    @model_validator(mode="after")
    def _meetings_are_version_2(self) -> ExchangeFile:
        if self.version == 1 and "past_meetings" in self.watchlist.model_fields_set:
            raise ValueError("watchlist.past_meetings: a version 1 file has no past meetings "
                             "(version 2 carries them)")
        return self


def version_problem(version: object) -> str | None:
    """Why a file's `version` cannot be read here, or None; a later version says it was
    made by a newer Trial Tracker."""
    readable = " and ".join(map(str, READABLE_VERSIONS))
    if type(version) is int and version > FORMAT_VERSION:
        return (f"this file was made by a newer Trial Tracker (watch-list file version "
                f"{version}; this one reads versions {readable}): update Trial Tracker to "
                "import it")
    if type(version) is not int or version not in READABLE_VERSIONS:
        shown = shown_value(version) if isinstance(version, str) else repr(version)[:40]
        return (f"version {shown} is not a watch-list file version (this Trial Tracker "
                f"reads versions {readable})")
    return None


def to_exchange(handout: Handout, exported_by: str | None) -> ExchangeFile:
    trials = []
    for item in handout.trials:
        details = item.details
        notes = [ExchangeNote(body=n.body, author=n.author or exported_by or UNNAMED_AUTHOR,
                              created_at=n.created_at, updated_at=n.updated_at)
                 for n in details.notes]
        history = [ExchangeStatusChange(old_status=c.old_status, new_status=c.new_status,
                                        registry_date=c.registry_date, seen_at=c.seen_at)
                   for c in details.history]
        trials.append(ExchangeTrial(**details.trial.model_dump(), notes=notes,
                                    tags=list(details.tags), status_history=history,
                                    changes=exchange_changes(details.changes)))
    held = _importable(handout.watchlist.past_meetings, handout.day)
    return ExchangeFile(
        format=FORMAT_NAME, version=FORMAT_VERSION if held else WITHOUT_MEETINGS,
        exported_at=handout.generated_at, exported_by=exported_by, app_version=__version__,
        watchlist=_exchange_watchlist(handout.watchlist, held), trials=trials)


def _importable(past_meetings: tuple[dt.date, ...], today: dt.date) -> list[dt.date]:
    """The held meetings a file may carry, newest first (they count): not a year out of
    range, which an earlier build could archive from a mistyped date (no import would take
    the file, and no such meeting was held)."""
    held = [day for day in past_meetings if past_meeting_problem(day, today) is None]
    return held[:PAST_MEETINGS_MAX]


def _exchange_watchlist(wl, held: list[dt.date]) -> ExchangeWatchList:
    meetings = {"past_meetings": held} if held else {}  # none: a version 1 list
    return ExchangeWatchList(name=wl.name, description=wl.description,
                             meeting_date=wl.meeting_date, **meetings)


def exchange_changes(changes) -> list[ExchangeFieldChange]:
    """The change log minus statuses (already in `status_history`) and first-seen rows."""
    return [ExchangeFieldChange(field=c.field, old=c.old, new=c.new, detail=c.detail,
                                significance=c.significance.value,
                                registry_date=c.registry_date, seen_at=c.seen_at)
            for c in changes if c.field != "overall_status" and c.significance != "initial"]


def _without_empty_changes(data: dict) -> dict:
    """`changes` is written only where there are some, so files stay readable by older apps
    unless they carry field changes. A randomised trial's `comparator` and an outcome's
    `print_fault` are never written: they are curated data every library ships (the
    receiving library's curated files set them), and the previous build refuses a file that
    carries them."""
    for trial in data["trials"]:
        trial.pop("comparator", None)
        for outcome in trial.get("outcomes", ()):
            outcome.pop("print_fault", None)
        if not trial.get("changes"):
            trial.pop("changes", None)
    return data


def _version_1_without_meetings(data: dict) -> dict:
    """A list with no past meetings is written as version 1 was, without the key."""
    if data["version"] == WITHOUT_MEETINGS:
        del data["watchlist"]["past_meetings"]
    return data


def render_json(handout: Handout, exported_by: str | None) -> str:
    data = to_exchange(handout, exported_by).model_dump(mode="json")
    data = _version_1_without_meetings(_without_empty_changes(data))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
