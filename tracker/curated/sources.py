"""Load the bibliographic records of the review articles (db/sources.json)."""

from __future__ import annotations

import json
from pathlib import Path

from tracker.curated.loader import CuratedDataError
from tracker.domain.citations import SOURCES_FORMAT
from tracker.domain.references import Reference, ReferenceBook


def load_reference_book(path: Path) -> ReferenceBook:
    """The records in `path`; a broken file is a CuratedDataError naming what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != SOURCES_FORMAT:
            raise CuratedDataError(f"{path.name}: expected format {SOURCES_FORMAT!r}")
        return ReferenceBook({file: Reference.model_validate(record)
                              for file, record in data["references"].items()})
    except (OSError, ValueError, KeyError, AttributeError) as error:
        if isinstance(error, CuratedDataError):
            raise
        raise CuratedDataError(f"{path.name}: {error}") from error
