"""Ingest's I/O edge: store a normalised article once, publish it once.

Exact duplicates (same canonical URL or same normalised text) are answered with the first copy's id
and not published again. Near-duplicates (syndicated, reworded copies) are stored and published with
``duplicate_of`` set, so every URL is kept as a source while merging counts them as one report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from pymongo.asynchronous.database import AsyncDatabase

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Article
from sahelwatch.messaging import Publisher
from services.ingest.formats import RawArticle
from services.ingest.near_duplicates import NearDuplicateIndex
from services.ingest.normalise import normalise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    status: Literal["accepted", "duplicate"]
    duplicate_of: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {"article_id": self.article_id, "status": self.status, "duplicate_of": self.duplicate_of}


class IngestService:
    def __init__(self, db: AsyncDatabase[storage.Doc], publisher: Publisher) -> None:
        self.articles = db[storage.ARTICLES]
        self.publisher = publisher
        self.near = NearDuplicateIndex()

    async def load_near_duplicate_index(self) -> int:
        """Rebuild the in-memory MinHash index from the stored signatures."""
        count = 0
        stored = self.articles.find({"minhash": {"$exists": True}}, {"minhash": 1, "duplicate_of": 1})
        async for doc in stored:
            self.near.add_signature(doc["_id"], doc["minhash"], doc.get("duplicate_of"))
            count += 1
        return count

    async def accept(self, raw: RawArticle, via: str) -> IngestResult:
        telemetry.ARTICLES_RECEIVED.labels(via=via).inc()
        article = normalise(raw)
        existing = await self.articles.find_one(
            {"$or": [{"_id": article.article_id}, {"content_hash": article.content_hash}]},
            {"_id": 1, "published": 1},
        )
        if existing is not None and existing.get("published"):
            telemetry.ARTICLES_DUPLICATE.labels(type="exact").inc()
            return IngestResult(existing["_id"], "duplicate", existing["_id"])
        if existing is not None:  # stored by an earlier attempt that crashed before publishing
            stored = await self.articles.find_one({"_id": existing["_id"]})
            assert stored is not None
            await self._publish(Article.model_validate(storage.strip_storage_fields(stored, *_EXTRA)))
            return IngestResult(existing["_id"], "accepted")

        signature = self.near.signature(article.text)
        near_of = self.near.query(signature)
        if near_of is not None:
            telemetry.ARTICLES_DUPLICATE.labels(type="near").inc()
            article.duplicate_of = near_of
        doc = storage.to_doc(article, "article_id")
        doc["minhash"] = signature
        await storage.insert_new(self.articles, [doc])
        self.near.add_signature(article.article_id, signature, near_of)
        await self._publish(article)
        return IngestResult(article.article_id, "accepted", near_of)

    async def _publish(self, article: Article) -> None:
        await self.publisher.publish(streams.ARTICLES, article)
        await storage.mark_published(self.articles, [article.article_id])
        telemetry.RECORDS_OUT.labels(stage="ingest", kind="article").inc()


# Fields the article document has besides the Article contract.
_EXTRA = ("minhash", "n_records", "alerted_records", "extracted_at", "alerted_at")
