"""Partial dates as the registry prints them: `yyyy`, `yyyy-MM` or `yyyy-MM-dd`."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

_PARTIAL = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


class DateKind(StrEnum):
    ACTUAL = "ACTUAL"
    ESTIMATED = "ESTIMATED"


class PartialDate(BaseModel):
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

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]

    @property
    def is_estimated(self) -> bool:
        return self.kind == DateKind.ESTIMATED

    def earliest(self) -> dt.date:
        """The first day the partial date can mean (used for sorting and the timeline)."""
        parts = [int(p) for p in self.value.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    def display(self) -> str:
        suffix = " (est.)" if self.is_estimated else ""
        return f"{self.value}{suffix}"
