"""Citable sources for curated figures: the review each figure was read from.

`citation_for(source_file)` turns the seed file a curated outcome came from into a
bibliographic record a reader can look up (authors, journal, year, DOI as the curated file
prints them). The seed file name is an internal key and is never shown to a user; a figure
whose review has no record is cited as "unpublished curation note" rather than by file name.

`ReferenceList` numbers the reviews a handout cites in order of first use, so every figure
can say "[2] Gao et al. 2025, Table 1" and the handout ends with the numbered list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.bundled import curated_dir

_SURNAME = re.compile(r"\b([A-Z][A-Za-z'\-]+)(?=,? (?:[A-Z]{1,3}\b|et al))")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DOI = re.compile(r"\bdoi:\s*(10\.\S+?)[.;,]?(?:\s|$)", re.IGNORECASE)
UNKNOWN_SOURCE = "curated note (review record missing)"


@dataclass(frozen=True)
class Citation:
    """One review as a reader would cite it."""

    key: str  # internal: the seed file name; never displayed
    citation: str  # as the curated file prints it (authors, journal, year, DOI)
    title: str | None = None

    @property
    def first_author(self) -> str | None:
        match = _SURNAME.search(self.citation)
        return match.group(1) if match else None

    @property
    def year(self) -> str | None:
        match = _YEAR.search(self.citation)
        return match.group(0) if match else None

    @property
    def doi(self) -> str | None:
        match = _DOI.search(self.citation + " ")
        return match.group(1) if match else None

    def short(self) -> str:
        """'Gao et al. 2025': what a figure's source line shows beside the table or passage."""
        author = f"{self.first_author} et al." if self.first_author else "Review"
        return f"{author} {self.year}" if self.year else author

    def full(self) -> str:
        """The reference-list entry: citation as printed, with the title when known."""
        title = f" {self.title.rstrip('.')}." if self.title else ""
        return f"{self.citation.rstrip('.')}.{title}"


@lru_cache(maxsize=1)
def _records() -> dict[str, Citation]:
    found: dict[str, Citation] = {}
    for path in sorted(curated_dir().glob("*.json")):
        try:
            source = json.loads(path.read_bytes()).get("source") or {}
        except (OSError, ValueError):
            continue
        key, citation = source.get("file"), source.get("citation")
        if key and citation and (key not in found or not found[key].title):
            found[key] = Citation(key=key, citation=citation, title=source.get("title"))
    return found


def citation_for(source_file: str) -> Citation | None:
    """The bibliographic record of the review a seed file holds, or None when there is none."""
    return _records().get(source_file)


@dataclass
class ReferenceList:
    """The reviews a handout cites, numbered in order of first use."""

    entries: list[Citation] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def number(self, source_file: str) -> int | None:
        citation = citation_for(source_file)
        if citation is None:
            return None
        if citation.key not in self._numbers:
            self.entries.append(citation)
            self._numbers[citation.key] = len(self.entries)
        return self._numbers[citation.key]

    def cite(self, source_file: str, locator: str | None) -> str:
        """'[2] Gao et al. 2025, Table 1', never the file name (no locator: '[2] Gao et al. 2025')."""
        number = self.number(source_file)
        where = f", {locator}" if locator else ""
        if number is None:
            return f"{UNKNOWN_SOURCE}{where}"
        return f"[{number}] {self.entries[number - 1].short()}{where}"
