"""Citations for curated figures: the shipped bibliographic records (db/sources.json)."""

from __future__ import annotations

from functools import cache

from tracker.domain.references import ReferenceBook


@cache
def reference_book() -> ReferenceBook:
    """The records shipped with the app (read once)."""
    from tracker.bundled import curated_dir
    from tracker.curated.sources import load_reference_book

    return load_reference_book(curated_dir().parent / "sources.json")
