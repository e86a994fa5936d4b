"""Partial dates as the registry prints them: `yyyy`, `yyyy-MM` or `yyyy-MM-dd`."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, field_validator

from tracker.domain.enums import DateKind
from tracker.domain.views import DateDisplay

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


__all__ = ["DateKind", "PartialDate", "implausible_year"]

#: Years a registry date can be: a trial started before 1900 or planned after 2100 is a
#: registry glitch ("0001-01-01", "9999-12-31"), and taken as data it becomes a "major
#: change" of 24,305 months. Checked where dates come in (registry records, imported files),
#: not on stored rows, so a library an earlier build filled still opens.
PLAUSIBLE_YEARS = range(1900, 2101)


def implausible_year(value: str) -> str | None:
    """Why the partial date `value` cannot be a registry date, or None."""
    match = _PARTIAL.match(value)
    if match and int(match.group(1)) not in PLAUSIBLE_YEARS:
        return (f"the year {match.group(1)} is not plausible (expected "
                f"{PLAUSIBLE_YEARS.start}–{PLAUSIBLE_YEARS.stop - 1})")
    return None


class PartialDate(DateDisplay, BaseModel):
    """A date known to the year, month or day, and whether it already happened or is planned."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    value: str
    kind: DateKind | None = None

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str) -> str:
        match = _PARTIAL.match(value)
        if not match:
            raise ValueError(f"not a partial date (yyyy, yyyy-MM or yyyy-MM-dd): {value!r}")
        year, month, day = (int(part) if part else None for part in match.groups())
        dt.date(year, month or 1, day or 1)  # raises for month 13 or day 31 of June
        return value
