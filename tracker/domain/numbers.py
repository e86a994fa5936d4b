"""Pull a number and a unit out of a figure printed in prose ("median 11.93 months", "97.9%")."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"(?<![\w.,])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)(?![\w.,][0-9])")
_UNITS = (
    ("%", "%"),
    ("month", "months"),
    ("year", "years"),
    ("week", "weeks"),
    ("day", "days"),
    ("patient", "patients"),
    ("hr ", "HR"),
)


def parse_figure(value: str) -> tuple[float | None, str | None]:
    """Return (number, unit) when the value holds exactly one number, else (None, unit or None)."""
    numbers = _NUMBER.findall(value.replace("\u2009", " "))
    unit = _find_unit(value)
    if len(numbers) != 1:
        return None, unit
    return float(numbers[0].replace(",", "")), unit


def _find_unit(value: str) -> str | None:
    lowered = value.lower() + " "
    for needle, unit in _UNITS:
        if needle in lowered:
            return unit
    return None
