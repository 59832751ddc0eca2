"""places collection on the real mongod: bulk idempotent upserts and a 2dsphere query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from sahelwatch.gazetteer import build_gazetteer
from services.geocoding.places_store import COLLECTION, load_places, places_near

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gazetteer"


async def test_load_places_is_idempotent_and_queryable(mongo_db: AsyncDatabase[dict[str, Any]]) -> None:
    gazetteer = build_gazetteer([FIXTURES / "mali_fixture.txt"], FIXTURES / "cercles.geojson", neighbours=False)
    assert await load_places(mongo_db, gazetteer) == len(gazetteer)
    assert await load_places(mongo_db, gazetteer) == len(gazetteer)
    assert await mongo_db[COLLECTION].count_documents({}) == len(gazetteer)

    indexes = await mongo_db[COLLECTION].index_information()
    assert indexes["location_2dsphere"]["key"] == [("location", "2dsphere")]

    doc = await mongo_db[COLLECTION].find_one({"_id": 9000004})
    assert doc is not None
    assert doc["location"] == {"type": "Point", "coordinates": [-8.07, 12.74]}
    assert (doc["name"], doc["admin1"], doc["admin2"]) == ("Kati", "Koulikoro", "Kati")

    near = await places_near(mongo_db, 12.65, -8.0, 20.0)  # Bamako
    assert [d["name"] for d in near] == ["Bamako", "Bamako Region", "Kati"]
    assert near[0]["distance_km"] == 0.0
    assert 12.0 < near[-1]["distance_km"] < 13.0
    assert await places_near(mongo_db, 0.0, 0.0, 50.0) == []
