"""Places and distances: a home location from a city name or "lat,lon", great-circle km.

There is no network geocoder: city names are looked up in a small bundled gazetteer of major
cities where trials in blood cancers recruit (`GAZETTEER`, documented in docs/sites.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

EARTH_RADIUS_KM = 6371.0088
_LAT_LON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


class UnknownPlaceError(ValueError):
    """A place that is neither "lat,lon" nor a city of the gazetteer."""


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def resolve_place(text: str) -> Place:
    """"52.52,13.40" or a gazetteer city ("Berlin", "berlin, germany", "São Paulo"), by any
    of its other names too ("München", "Wien", "München, Deutschland")."""
    match = _LAT_LON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Place(f"{lat:.4f},{lon:.4f}", lat, lon)
        raise UnknownPlaceError(f"not a latitude,longitude: {text!r} (latitude -90..90, "
                                "longitude -180..180)")
    from tracker.domain.gazetteer import GAZETTEER

    wanted = _known_as(_key(text.split(",")[0]), "city")
    country = _known_as(_key(text.split(",", 1)[1]), "country") if "," in text else None
    for city, nation, lat, lon in GAZETTEER:
        if _key(city) == wanted and (country is None or _key(nation) == country):
            return Place(f"{city}, {nation}", lat, lon)
    raise UnknownPlaceError(
        f"unknown place: {text!r}. Give latitude,longitude (e.g. 52.52,13.40) or one of the "
        f"{len(GAZETTEER)} major cities listed in docs/sites.md")


@cache
def _other_names(kind: str) -> dict[str, str]:
    """Folded other name -> folded gazetteer name, for cities or countries."""
    from tracker.domain.gazetteer import OTHER_CITY_NAMES, OTHER_COUNTRY_NAMES

    table = OTHER_CITY_NAMES if kind == "city" else OTHER_COUNTRY_NAMES
    return {_key(other): _key(name) for other, name in table.items()}


def _known_as(key: str, kind: str) -> str:
    return _other_names(kind).get(key, key)


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))
