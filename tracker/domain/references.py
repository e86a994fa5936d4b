"""Bibliographic records of the review articles the curated figures come from, and citations.

A figure's source is stored as (review file, locator). Readers never see the file name: they
see "Han et al., Front Pharmacol 2025, Table 3" and, in a handout, a numbered reference entry.
The records (db/sources.json) hold what each review prints about itself; fields a review does
not print stay empty, and `note` says what was inferred or is missing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.domain.citations import (  # noqa: F401 - re-exported for callers
    UNLISTED_SOURCE,
    CitationText,
    ReferenceBook,
)


class Reference(CitationText, BaseModel):
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
