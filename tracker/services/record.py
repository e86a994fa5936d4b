"""The latest stored registry record of a trial, read for the detail view and `show --json`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from tracker.domain.geo import Place, km_between
from tracker.store import Library

if TYPE_CHECKING:
    from tracker.domain.record import RecordDetails, Site


def load_record(library: Library, trial_id: str) -> RecordDetails | None:
    """Results, eligibility, sites, design and references of the newest version, if any."""
    study = library.versions.latest(trial_id)
    if study is None:
        return None
    from tracker.ctgov.record_view import record_details  # only for a trial with a version

    return record_details(study)


def nearest_recruiting(record: RecordDetails, home: Place, limit: int = 5
                       ) -> list[tuple[float, Site]]:
    """The recruiting sites with coordinates closest to `home`, nearest first."""
    located = [(km_between(home.lat, home.lon, s.lat, s.lon), s) for s in record.sites
               if s.recruiting and s.lat is not None and s.lon is not None]
    return sorted(located, key=lambda pair: pair[0])[:limit]


def record_json(record: RecordDetails | None) -> dict[str, Any] | None:
    """The documented `registry_record` object (docs/cli-json.md)."""
    if record is None:
        return None
    data = dataclasses.asdict(record)
    for reference, raw in zip(record.references, data["references"], strict=True):
        raw["url"] = reference.url
    return data
