"""Admin polygons (ADM2 cercles with their ADM1 region): point -> (region, cercle), region centroids.

Reads a GeoJSON FeatureCollection whose features carry ``adm1`` / ``adm2`` (and optionally
``country_pcode``) properties, as OCHA COD-AB / geoBoundaries exports do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from sahelwatch.errors import GazetteerError
from sahelwatch.gazetteer.names import normalize, strip_admin_words

# A point on a border river or just off a simplified outline still belongs to the nearest cercle.
_NEAREST_MAX_DEG = 0.1


@dataclass(frozen=True, slots=True)
class AdminArea:
    admin1: str
    admin2: str
    country_code: str | None


class AdminPolygons:
    """Point-in-polygon over admin units with an STRtree; centroids of regions and cercles."""

    def __init__(self, areas: list[AdminArea], geometries: list[Any]) -> None:
        if not areas:
            raise GazetteerError("admin polygons: no usable feature")
        self.areas = areas
        self._geometries = geometries
        self._tree = STRtree(geometries)
        self._region_members: dict[str, list[int]] = {}
        self._cercle_members: dict[str, list[int]] = {}
        self.region_names: dict[str, str] = {}  # normalised -> display name
        self.cercle_names: dict[str, AdminArea] = {}  # normalised -> area
        self._region_country: dict[str, str | None] = {}
        for i, area in enumerate(areas):
            key1, key2 = strip_admin_words(area.admin1), strip_admin_words(area.admin2)
            self._region_members.setdefault(key1, []).append(i)
            self._cercle_members.setdefault(key2, []).append(i)
            self.region_names.setdefault(key1, area.admin1)
            self._region_country.setdefault(key1, area.country_code)
            self.cercle_names.setdefault(key2, area)
        self._region_centroid = lru_cache(maxsize=None)(self._centroid_of_region)
        self._cercle_centroid = lru_cache(maxsize=None)(self._centroid_of_cercle)

    @property
    def geometries(self) -> list[Any]:
        """The shapely geometry of each of ``areas``, in the same order."""
        return self._geometries

    @classmethod
    def from_geojson(cls, path: Path) -> AdminPolygons:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GazetteerError(f"cannot read admin polygons {path}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise GazetteerError(f"admin polygons {path} are not valid JSON: {exc}") from exc
        areas: list[AdminArea] = []
        geometries: list[Any] = []
        for feature in data.get("features", []):
            props = feature.get("properties") or {}
            admin1, admin2 = (
                props.get("adm1") or props.get("ADM1_FR"),
                props.get("adm2") or props.get("ADM2_FR"),
            )
            if not admin1 or not admin2 or not feature.get("geometry"):
                continue
            try:
                geometry = shape(feature["geometry"])
            except (ValueError, TypeError, AttributeError, KeyError):
                continue
            if geometry.is_empty:
                continue
            if not geometry.is_valid:
                geometry = geometry.buffer(0)
            areas.append(AdminArea(admin1=str(admin1), admin2=str(admin2), country_code=props.get("country_pcode")))
            geometries.append(geometry)
        return cls(areas, geometries)

    def locate(self, latitude: float, longitude: float) -> AdminArea | None:
        """The admin unit containing the point (or the nearest within ~10 km), else None."""
        point = Point(longitude, latitude)
        hits = self._tree.query(point, predicate="intersects")
        if len(hits):
            return self.areas[int(min(hits))]
        nearest = self._tree.query_nearest(point, max_distance=_NEAREST_MAX_DEG)
        return self.areas[int(nearest[0])] if len(nearest) else None

    def region_centroid(self, name: str) -> tuple[float, float] | None:
        """(lat, lon) of the centroid of the union of the region's cercles, None if unknown."""
        return self._region_centroid(strip_admin_words(name))

    def cercle_centroid(self, name: str) -> tuple[float, float] | None:
        return self._cercle_centroid(strip_admin_words(name))

    def region_country(self, name: str) -> str | None:
        return self._region_country.get(strip_admin_words(name))

    def region_display(self, name: str) -> str | None:
        return self.region_names.get(strip_admin_words(name))

    def _centroid_of_region(self, key: str) -> tuple[float, float] | None:
        return self._centroid(self._region_members.get(key))

    def _centroid_of_cercle(self, key: str) -> tuple[float, float] | None:
        return self._centroid(self._cercle_members.get(key))

    def _centroid(self, members: list[int] | None) -> tuple[float, float] | None:
        if not members:
            return None
        union = shapely.union_all([self._geometries[i] for i in members])
        centroid = union.centroid
        return (round(float(centroid.y), 5), round(float(centroid.x), 5))


def same_name(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and strip_admin_words(a or "") == strip_admin_words(b or "")


__all__ = ["AdminArea", "AdminPolygons", "normalize", "same_name"]
