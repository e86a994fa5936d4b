"""Numbered citations for a handout, from the reviews' bibliographic records (db/sources.json).

`ReferenceList` numbers the reviews a handout cites in order of first use, so every figure can
say "[2] Han et al., Front Pharmacol 2025, Table 3" and the handout ends with the numbered list.
The records and their wording come from `tracker.services.references.reference_book()`, the same
book the detail view and `tracker show` cite from; the seed file name is an internal key and is
never shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain.references import Reference
from tracker.services.references import reference_book

UNKNOWN_SOURCE = "curated note (review record missing)"


@dataclass(frozen=True)
class CitedReview:
    """One numbered entry of a handout's reference list."""

    key: str  # internal: the seed file name; never displayed
    reference: Reference

    def short(self) -> str:
        return self.reference.short()

    def full(self) -> str:
        return self.reference.entry()


@dataclass
class ReferenceList:
    """The reviews a handout cites, numbered in order of first use."""

    entries: list[CitedReview] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def number(self, source_file: str) -> int | None:
        reference = reference_book().reference(source_file)
        if reference is None:
            return None
        if source_file not in self._numbers:
            self.entries.append(CitedReview(source_file, reference))
            self._numbers[source_file] = len(self.entries)
        return self._numbers[source_file]

    def cite(self, source_file: str, locator: str | None) -> str:
        """'[2] Han et al., Front Pharmacol 2025, Table 3' (no locator: without it)."""
        number = self.number(source_file)
        where = f", {locator}" if locator else ""
        if number is None:
            return f"{UNKNOWN_SOURCE}{where}"
        return f"[{number}] {self.entries[number - 1].short()}{where}"
