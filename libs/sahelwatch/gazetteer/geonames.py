"""Streaming parser for GeoNames dumps (``ML.txt``, ``allCountries.txt``, ...).

Columns (tab-separated, 19): geonameid, name, asciiname, alternatenames, latitude, longitude,
feature class, feature code, country code, cc2, admin1..admin4 codes, population, elevation, dem,
timezone, modification date. Malformed rows are skipped, counted and logged, never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sahelwatch.errors import GazetteerError
from sahelwatch.gazetteer.names import intern

log = logging.getLogger(__name__)

MIN_COLUMNS = 15  # up to population; elevation, dem, timezone and date are not used


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames feature, kept small: alternate names live only in the name index."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str  # P populated place, A admin, H hydro, T terrain, S spot, L area, V forest, R road
    feature_code: str  # PPL, PPLA, ADM1, STM, MRSH, ...
    country_code: str
    admin1_code: str
    admin2_code: str
    population: int
    names_count: int = 1  # how many names GeoNames knows it by: a hint of how notable it is


@dataclass
class ParseStats:
    rows: int = 0
    skipped: int = 0
    examples: list[str] = field(default_factory=list)

    def skip(self, line_no: int, reason: str) -> None:
        self.skipped += 1
        if len(self.examples) < 5:
            self.examples.append(f"line {line_no}: {reason}")


def parse_row(columns: list[str]) -> tuple[Place, list[str]]:
    """One split row -> (Place, every name it is known by). Raises ValueError when malformed."""
    if len(columns) < MIN_COLUMNS:
        raise ValueError(f"{len(columns)} columns, expected 19")
    latitude, longitude = float(columns[4]), float(columns[5])
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        raise ValueError("coordinates out of range")
    name = columns[1].strip()
    if not name:
        raise ValueError("empty name")
    population = int(columns[14]) if columns[14].strip() else 0
    names = [name]
    if columns[2] and columns[2] != name:
        names.append(columns[2])
    if columns[3]:
        names.extend(alt for alt in columns[3].split(",") if alt)
    place = Place(
        geonameid=int(columns[0]),
        name=name,
        latitude=latitude,
        longitude=longitude,
        feature_class=intern(columns[6].strip()),
        feature_code=intern(columns[7].strip()),
        country_code=intern(columns[8].strip()),
        admin1_code=intern(columns[10].strip()),
        admin2_code=intern(columns[11].strip()),
        population=population,
        names_count=len(names),
    )
    return place, names


def iter_geonames(path: Path, stats: ParseStats | None = None) -> Iterator[tuple[Place, list[str]]]:
    """Stream (Place, names) from a GeoNames dump; GazetteerError when the file is missing."""
    stats = stats if stats is not None else ParseStats()
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise GazetteerError(f"cannot read gazetteer file {path}: {exc.strerror or exc}") from exc
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            stats.rows += 1
            try:
                yield parse_row(line.rstrip("\r\n").split("\t"))
            except ValueError as exc:
                stats.skip(line_no, str(exc))
    if stats.skipped:
        log.warning(
            "gazetteer rows skipped",
            extra={"path": str(path), "skipped": stats.skipped, "examples": stats.examples},
        )
