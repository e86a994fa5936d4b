"""Citations of the review articles behind curated figures: the text, without pydantic.

`CitationText` formats a bibliographic record ("Han et al., Front Pharmacol 2025"); it is
mixed into the validated `tracker.domain.references.Reference` and into `CitationRecord`, a
plain record read for display only (`tracker show` cites figures without importing pydantic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tracker.domain.models import Source

UNLISTED_SOURCE = "Unlisted source"
SOURCES_FORMAT = "trial-tracker-sources/1"  # db/sources.json


class CitationText:
    """How a record is cited and listed (the fields are the record's: see `Reference`)."""

    if TYPE_CHECKING:  # the fields of the class this is mixed into (not pydantic fields)
        kind: str
        authors: tuple[str, ...]
        et_al: bool
        title: str | None
        journal: str | None
        year: int
        volume: str | None
        issue: str | None
        pages: str | None
        published: str | None
        doi: str | None
        pmid: str | None
        outlet: str | None

    @property
    def first_author(self) -> str:
        return self.authors[0].split()[0].rstrip(",")

    def short(self) -> str:
        """'Han et al., Front Pharmacol 2025' (news: 'Scienmag report on Bai et al., …')."""
        who = self.first_author + (" et al." if self.et_al or len(self.authors) > 2 else
                                   f" and {self.authors[1].split()[0]}" if len(self.authors) == 2
                                   else "")
        journal = f"{self.journal} " if self.journal else ""
        cited = f"{who}, {journal}{self.year}"
        return f"{self.outlet or 'News'} report on {cited}" if self.kind == "news" else cited

    def entry(self) -> str:
        """A full reference-list entry in AMA/NLM style, with DOI or PMID where printed."""
        # "Hanbali A, Kotb A, et al" but "Han et al" where only the surname is printed
        glue = ", et al" if " " in self.authors[-1] else " et al"
        authors = ", ".join(self.authors) + (glue if self.et_al else "")
        parts = [f"{self.outlet or 'News'} report on:" if self.kind == "news" else "",
                 f"{authors}.", f"{self.title}." if self.title else "", self._journal_part()]
        parts += [f"doi:{self.doi}" if self.doi else "", f"PMID: {self.pmid}" if self.pmid else ""]
        return " ".join(p for p in parts if p)

    def _journal_part(self) -> str:
        where = f"{self.journal}. " if self.journal else ""
        text = f"{where}{self.published or self.year}"
        if self.volume:
            text += f";{self.volume}" + (f"({self.issue})" if self.issue else "")
        if self.pages:
            text += f":{self.pages}"
        return text + "."


@dataclass(frozen=True, kw_only=True)
class CitationRecord(CitationText):
    """A record of db/sources.json as stored, for display (`Reference` validates it)."""

    kind: str = "review"
    authors: tuple[str, ...]
    et_al: bool = False
    title: str | None = None
    journal: str | None = None
    year: int
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    published: str | None = None
    doi: str | None = None
    pmid: str | None = None
    outlet: str | None = None
    note: str | None = None

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> CitationRecord:
        return cls(**{**record, "authors": tuple(record["authors"])})


class _Cited(Protocol):
    def short(self) -> str: ...

    def entry(self) -> str: ...


class ReferenceBook:
    """The records by review file: citations for figures, numbered lists for handouts."""

    def __init__(self, references: Mapping[str, _Cited]) -> None:
        self._by_file = dict(references)

    def reference(self, file: str) -> _Cited | None:
        return self._by_file.get(file)

    def short(self, file: str) -> str:
        reference = self._by_file.get(file)
        return reference.short() if reference else UNLISTED_SOURCE

    def cite(self, source: Source) -> str:
        """'Han et al., Front Pharmacol 2025, Table 3': never the file name."""
        return f"{self.short(source.file)}, {source.locator}"

    def numbered(self, files: Iterable[str]) -> list[tuple[int, str, str]]:
        """(number, file, entry) for each distinct file, in first-cited order; unknown files
        are left out (their figures cite UNLISTED_SOURCE)."""
        seen: list[str] = []
        for file in files:
            if file in self._by_file and file not in seen:
                seen.append(file)
        return [(n, file, self._by_file[file].entry()) for n, file in enumerate(seen, start=1)]

    def __len__(self) -> int:
        return len(self._by_file)
