"""MongoDB access (PyMongo's AsyncMongoClient): collections, indexes and idempotent writes.

Every stage persists what it produced before publishing it. Documents use the record's stable id as
``_id`` and carry ``published``: False until the stage has put them on their stream, so a redelivered
message re-publishes only what a crash left unpublished and otherwise changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Doc = dict[str, Any]

ARTICLES = "articles"
EXTRACTED = "extracted"
GEOCODED = "geocoded"
INCIDENTS = "incidents"
ALERTS = "alerts"


def connect(url: str) -> AsyncMongoClient[Doc]:
    return AsyncMongoClient(url, tz_aware=True, serverSelectionTimeoutMS=10_000, uuidRepresentation="standard")


def to_doc(model: BaseModel, id_field: str) -> Doc:
    """Model -> MongoDB document with ``_id`` = the model's stable id (dates as ISO strings)."""
    doc: Doc = model.model_dump(mode="json")
    doc["_id"] = doc[id_field]
    return doc


async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    await db[ARTICLES].create_index([("content_hash", ASCENDING)])
    await db[ARTICLES].create_index([("url", ASCENDING)], sparse=True)
    await db[EXTRACTED].create_index([("article_id", ASCENDING)])
    await db[GEOCODED].create_index([("article_id", ASCENDING)])
    await db[INCIDENTS].create_index([("sources.record_id", ASCENDING)])
    await db[INCIDENTS].create_index([("kind", ASCENDING), ("updated_at", DESCENDING)])
    await db[INCIDENTS].create_index([("kind", ASCENDING), ("event_date", ASCENDING)])  # merge candidates
    await db[INCIDENTS].create_index([("geo", "2dsphere")], sparse=True)
    await db[ALERTS].create_index([("incident_id", ASCENDING)])
    await db[ALERTS].create_index([("delivered", ASCENDING)])


async def insert_new(collection: AsyncCollection[Doc], docs: Sequence[Doc]) -> set[Any]:
    """Insert documents that do not exist yet; existing ones are left untouched (first write wins).

    Returns the ids this call inserted: those are unpublished for sure, with the content given.
    """
    if not docs:
        return set()
    ops = [UpdateOne({"_id": doc["_id"]}, {"$setOnInsert": {**doc, "published": False}}, upsert=True) for doc in docs]
    result = await collection.bulk_write(ops, ordered=False)
    return set((result.upserted_ids or {}).values())


async def unpublished(collection: AsyncCollection[Doc], ids: Iterable[str]) -> list[Doc]:
    """The documents among ``ids`` not yet published, in the order of ``ids``."""
    wanted = list(ids)
    if not wanted:
        return []
    found = {doc["_id"]: doc async for doc in collection.find({"_id": {"$in": wanted}, "published": False})}
    return [found[i] for i in wanted if i in found]


async def to_publish(collection: AsyncCollection[Doc], docs: Sequence[Doc], inserted: set[Any]) -> list[Doc]:
    """Of ``docs`` just written with ``insert_new`` (which returned ``inserted``): those to publish.

    The ones inserted now, as given, and of the others (written before: a redelivery) the stored
    copy if it is still unpublished; in the order of ``docs``, each id once. No read when every
    document was new.
    """
    older = [doc["_id"] for doc in docs if doc["_id"] not in inserted]
    stored = {doc["_id"]: doc for doc in await unpublished(collection, dict.fromkeys(older))}
    out: dict[Any, Doc] = {}
    for doc in docs:
        key = doc["_id"]
        if key in out:
            continue
        if key in inserted:
            out[key] = doc
        elif key in stored:
            out[key] = stored[key]
    return list(out.values())


async def mark_published(collection: AsyncCollection[Doc], ids: Sequence[str]) -> None:
    if ids:
        await collection.update_many({"_id": {"$in": list(ids)}}, {"$set": {"published": True}})


def not_through_pipeline(article_ids: Iterable[str]) -> Doc:
    """Filter on ``articles``: those of ``article_ids`` that alerting has not finished with yet.

    Extraction sets ``n_records``; alerting adds each record it handled to ``alerted_records``.
    """
    return {
        "_id": {"$in": list(article_ids)},
        "$or": [
            {"n_records": {"$exists": False}},
            {"$expr": {"$lt": [{"$size": {"$ifNull": ["$alerted_records", []]}}, "$n_records"]}},
        ],
    }


def strip_storage_fields(doc: Doc, *extra: str) -> Doc:
    """A stored document back to its contract's fields."""
    skip = {"_id", "published", "geo", *extra}
    return {k: v for k, v in doc.items() if k not in skip}
