"""Citations for curated figures: the shipped bibliographic records (db/sources.json)."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

from tracker.domain.citations import SOURCES_FORMAT, CitationRecord, ReferenceBook

if TYPE_CHECKING:
    from pathlib import Path


def _sources_path() -> Path:
    from tracker.bundled import curated_dir

    return curated_dir().parent / "sources.json"


@cache
def reference_book() -> ReferenceBook:
    """The records shipped with the app, validated (read once)."""
    from tracker.curated.sources import load_reference_book

    return load_reference_book(_sources_path())


@cache
def citation_book() -> ReferenceBook:
    """The same records read for citing only, without pydantic (`tracker show`): the shipped
    file is checked by the validating reader (`reference_book`), which this falls back to
    (and whose clear error it raises) when the file is not as expected."""
    try:
        data = json.loads(_sources_path().read_text(encoding="utf-8"))
        if data.get("format") != SOURCES_FORMAT:
            return reference_book()
        return ReferenceBook({file: CitationRecord.from_json(record)
                              for file, record in data["references"].items()})
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return reference_book()
