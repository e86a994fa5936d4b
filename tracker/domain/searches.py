"""Saved registry searches: what a search asks for, validated before any request is sent.

A search has a name and any of free text (`query.term`), condition (`query.cond`),
intervention (`query.intr`), phases, statuses, a study type and a location radius
(`filter.geo`). Text fields use the registry's search syntax (AND, OR, NOT, parentheses,
"quoted phrases"); what the registry would refuse with a 400 (unbalanced quotes or
parentheses, control characters, a radius off the globe) is refused here first.

A search without statuses follows open studies only (`OPEN_STATUSES`: not completed,
terminated, withdrawn or of unknown status): otherwise its first check would fill the inbox
with a field's history, and every later update of an old trial would bring one back. Asking
for statuses (COMPLETED too, say) replaces that scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tracker.domain.enums import OPEN_STATUSES, Phase, RegistryStatus
from tracker.domain.limits import check_name

MAX_TEXT = 300
SEARCH_NAME_MAX_CHARS = 80
OPEN_SCOPE_TEXT = "open studies only (not completed, terminated, withdrawn or of unknown status)"
MAX_RADIUS_KM = 5000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class StudyType(StrEnum):
    INTERVENTIONAL = "INTERVENTIONAL"
    OBSERVATIONAL = "OBSERVATIONAL"
    EXPANDED_ACCESS = "EXPANDED_ACCESS"


class GeoRadius(BaseModel):
    """Studies with a site within `km` of a point (`filter.geo=distance(lat,lon,Nkm)`)."""

    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    km: float = Field(gt=0, le=MAX_RADIUS_KM)

    def text(self) -> str:
        return f"{self.lat:g},{self.lon:g} within {self.km:g} km"


class SearchCriteria(BaseModel):
    """What a saved search asks the registry; at least one criterion is required."""

    model_config = ConfigDict(frozen=True)

    term: str | None = None
    condition: str | None = None
    intervention: str | None = None
    phases: tuple[Phase, ...] = ()
    statuses: tuple[RegistryStatus, ...] = ()
    study_type: StudyType | None = None
    near: GeoRadius | None = None

    @field_validator("term", "condition", "intervention")
    @classmethod
    def _check_text(cls, value: str | None, info) -> str | None:
        if value is None or not value.strip():
            return None
        value = " ".join(value.split())
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("phases", "statuses")
    @classmethod
    def _unique(cls, values: tuple) -> tuple:
        unlisted = [value.value for value in values if not value.is_listed]
        if unlisted:  # the registry's filters take only the codes it documents
            raise ValueError(f"not a code the registry filters by: {', '.join(unlisted)}")
        return tuple(dict.fromkeys(values))

    @model_validator(mode="after")
    def _something_asked(self) -> SearchCriteria:
        if not self.is_set():
            raise ValueError("a saved search needs at least one of: term, condition, "
                             "intervention, phase, status, study type or a place and radius")
        return self

    @property
    def followed_statuses(self) -> tuple[RegistryStatus, ...]:
        """The statuses asked for, or the open ones when none were."""
        return self.statuses or OPEN_STATUSES

    def is_set(self) -> bool:
        return any((self.term, self.condition, self.intervention, self.phases, self.statuses,
                    self.study_type, self.near))

    def describe(self) -> str:
        """One line for lists: `cond: CLL · intr: venetoclax · Phase 2/3 · recruiting`."""
        parts = [f"{label}: {value}" for label, value in (
            ("text", self.term), ("condition", self.condition),
            ("intervention", self.intervention)) if value]
        if self.phases:
            parts.append("phase " + "/".join(p.value.removeprefix("PHASE") for p in self.phases))
        if set(self.statuses) >= set(RegistryStatus):
            parts.append("all statuses")
        elif self.statuses:
            parts.append(", ".join(s.label.lower() for s in self.statuses))
        else:
            parts.append("open studies")
        if self.study_type:
            parts.append(self.study_type.value.lower().replace("_", " "))
        if self.near:
            parts.append(f"near {self.near.text()}")
        return " · ".join(parts)


def text_problem(value: str, area_syntax: bool = False) -> str | None:
    """Why the registry would refuse this search text, or None: a phrase that follows the
    field's name ("the --term text" / "the Text field", `criteria_problem`). `area_syntax`:
    the registry's AREA[…] and RANGE[…] are allowed (a one-off `registry-search`)."""
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters: shorten it"
    if _CONTROL.search(value):
        return "contains control characters: type it again"
    if value.count('"') % 2:
        return 'has an unclosed quote ("): close the quoted phrase or remove the quote'
    depth = 0
    for char in value.replace('"', "\0"):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "has a ')' without its '(': add the '(' or remove the ')'"
    if depth:
        return "has a '(' without its ')': add the ')' or remove the '('"
    if not area_syntax and ("[" in value or "]" in value):
        return ("contains [ or ]: remove them (the app builds the registry's area and range "
                "syntax itself)")
    return None


def criteria_problem(error: ValidationError, field_names: Mapping[str, str]) -> str:
    """The first problem of a saved search in one sentence that names the field as the user
    knows it: `field_names` maps "term" to "--term text" on the command line and to "Text
    field" in the window ("the --term text has an unclosed quote…")."""
    from tracker.domain.plain_errors import plain_message

    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    phrase = plain_message(first)
    return f"the {field_names[field]} {phrase}" if field in field_names else phrase


class SavedSearch(BaseModel):
    """A named search the app re-runs for studies posted or updated since its last check."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    name: str = Field(min_length=1, max_length=SEARCH_NAME_MAX_CHARS)
    criteria: SearchCriteria
    paused: bool = False
    default_key: str | None = None  # set on the searches a fresh library ships with
    last_checked_on: dt.date | None = None  # UTC date the last completed check started
    last_check_total: int | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _typeable_name(cls, value: object, info: ValidationInfo) -> object:
        """The rule tags and watch lists follow (no control or invisible characters, NFKC),
        so a name can be typed again to pause or delete the search; spaces folded. A name
        read from the library (context `stored`) is taken as it was saved: one saved under
        older rules still loads, and is found by `comparable_name`."""
        if info.context and info.context.get("stored"):
            return value
        value = check_name(value, "a saved search name", SEARCH_NAME_MAX_CHARS)
        return " ".join(value.split()) if isinstance(value, str) else value
