"""The sites of each trial's latest registry version, and "recruiting within N km"."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from tracker.domain.record import Site
from tracker.store.database import Database

KM_PER_DEGREE_LAT = 110.574


def near_clause(lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
    """SQL selecting trial ids with a recruiting site within `km` of (lat, lon)."""
    box, params = _bounding_box(lat, lon, km)
    return _RECRUITING_SITES.format(columns="trial_id", box=box), [*params, lat, lon, km]


#: Recruiting sites within a distance: a bounding box the index narrows, then the exact
#: great-circle distance. A site counts only while its trial is recruiting too: a terminated
#: or completed trial's record often still lists its sites as recruiting, and no patient can be
#: referred there; nor to a trial the registry no longer lists (last seen recruiting). The
#: trial is checked by key, for the few sites the box leaves: the SQL form of
#: `TrialDisplay.takes_patients`.
_RECRUITING_SITES = (
    "SELECT {columns} FROM trial_sites WHERE status = 'RECRUITING' AND lat IS NOT NULL "
    "AND {box} AND geo_km(lat, lon, ?, ?) <= ? "
    "AND EXISTS (SELECT 1 FROM trials t WHERE t.id = trial_sites.trial_id "
    "AND t.status = 'RECRUITING' AND t.registry_state != 'not_found')")


def _bounding_box(lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
    dlat = km / KM_PER_DEGREE_LAT
    params: list[Any] = [lat - dlat, lat + dlat]
    box = "lat BETWEEN ? AND ?"
    cos_lat = math.cos(math.radians(lat))
    if cos_lat > 0.05 and km / (111.320 * cos_lat) < 180:
        dlon = km / (111.320 * cos_lat)
        if -180 <= lon - dlon and lon + dlon <= 180:
            box += " AND lon BETWEEN ? AND ?"
            params += [lon - dlon, lon + dlon]
    return box, params


class SiteRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def replace(self, trial_id: str, sites: Iterable[Site]) -> None:
        self.replace_many({trial_id: sites})

    def replace_many(self, sites_by_trial: dict[str, Iterable[Site]]) -> None:
        """Each trial's sites replaced by the given ones, in two statements for them all."""
        if not sites_by_trial:
            return
        rows = [(trial_id, position, s.facility, s.city, s.state, s.country, s.status, s.lat,
                 s.lon) for trial_id, sites in sites_by_trial.items()
                for position, s in enumerate(sites)]
        with self._db.transaction() as conn:
            conn.executemany("DELETE FROM trial_sites WHERE trial_id = ?",
                             [(trial_id,) for trial_id in sites_by_trial])
            conn.executemany("INSERT INTO trial_sites (trial_id, position, facility, city, "
                             "state, country, status, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                             "?)", rows)

    def nearest_recruiting(self, lat: float, lon: float, km: float
                           ) -> dict[str, tuple[float, Site]]:
        """Per trial, its nearest recruiting site within `km`, with the distance."""
        box, params = _bounding_box(lat, lon, km)
        select = _RECRUITING_SITES.format(columns="*, geo_km(lat, lon, ?, ?) AS km", box=box)
        rows = self._db.query(f"{select} ORDER BY km", (lat, lon, *params, lat, lon, km))
        nearest: dict[str, tuple[float, Site]] = {}
        for row in rows:
            if row["trial_id"] not in nearest:
                nearest[row["trial_id"]] = (row["km"], _site(row))
        return nearest


def _site(row: dict[str, Any]) -> Site:
    return Site(facility=row["facility"], city=row["city"], country=row["country"],
                state=row["state"], status=row["status"], lat=row["lat"], lon=row["lon"])
