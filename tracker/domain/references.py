"""Bibliographic records of the review articles the curated figures come from, and citations.

A figure's source is stored as (review file, locator). Readers never see the file name: they
see "Han et al., Front Pharmacol 2025, Table 3" and, in a handout, a numbered reference entry.
The records (db/sources.json) hold what each review prints about itself; fields a review does
not print stay empty, and `note` says what was inferred or is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.domain.models import Source

UNLISTED_SOURCE = "Unlisted source"


class Reference(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["review", "news"] = "review"
    authors: tuple[str, ...] = Field(min_length=1, description="as printed: 'Hanbali A' or 'Han'")
    et_al: bool = False
    title: str | None = None
    journal: str | None = Field(default=None, description="NLM abbreviation")
    year: int = Field(ge=1900, le=2100)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = Field(default=None, description="page range or article number")
    published: str | None = Field(default=None, description="publication date as printed")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{1,9}$")
    outlet: str | None = Field(default=None, description="for news: who reported the paper")
    note: str | None = None

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


class ReferenceBook:
    """The records by review file: citations for figures, numbered lists for handouts."""

    def __init__(self, references: Mapping[str, Reference]) -> None:
        self._by_file = dict(references)

    def reference(self, file: str) -> Reference | None:
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
