"""The gazetteer's places in MongoDB (``places``): GeoJSON points with a 2dsphere index.

Lets downstream tools (and operators in mongosh) ask "what is near this incident". Loading is a
bulk of idempotent upserts keyed by the GeoNames id: running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from pymongo import GEOSPHERE, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from sahelwatch.gazetteer import Gazetteer, Place

COLLECTION = "places"
BATCH = 5_000

Doc = dict[str, Any]


def place_doc(gazetteer: Gazetteer, place: Place) -> Doc:
    return {
        "_id": place.geonameid,
        "name": place.name,
        "feature_class": place.feature_class,
        "feature_code": place.feature_code,
        "country_code": place.country_code,
        "admin1": gazetteer.admin1_name(place),
        "admin2": gazetteer.admin2_name(place),
        "population": place.population,
        "location": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
    }


def _batches(ops: Iterable[UpdateOne], size: int) -> Iterator[list[UpdateOne]]:
    batch: list[UpdateOne] = []
    for op in ops:
        batch.append(op)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def load_places(db: AsyncDatabase[Doc], gazetteer: Gazetteer) -> int:
    """Upsert every place of ``gazetteer`` into ``places``; returns how many places were written."""
    collection = db[COLLECTION]
    await collection.create_index([("location", GEOSPHERE)], name="location_2dsphere")
    ops = (UpdateOne({"_id": p.geonameid}, {"$set": place_doc(gazetteer, p)}, upsert=True) for p in gazetteer)
    written = 0
    for batch in _batches(ops, BATCH):
        await collection.bulk_write(batch, ordered=False)
        written += len(batch)
    return written


async def places_near(db: AsyncDatabase[Doc], lat: float, lon: float, km: float) -> list[Doc]:
    """Places within ``km`` of (lat, lon), nearest first, each with ``distance_km``."""
    pipeline: list[Doc] = [
        {
            "$geoNear": {
                "near": {"type": "Point", "coordinates": [lon, lat]},
                "distanceField": "distance_m",
                "maxDistance": km * 1000.0,
                "spherical": True,
            }
        },
        {"$limit": 1000},
    ]
    out: list[Doc] = []
    cursor = await db[COLLECTION].aggregate(pipeline)
    async for doc in cursor:
        doc["distance_km"] = round(doc.pop("distance_m") / 1000.0, 3)
        out.append(doc)
    return out
