"""Extraction service: ``articles`` -> incident and advisory records -> ``incidents.extracted``.

Articles come in batches (``SAHELWATCH_BATCH_MAX``): records of the whole batch are stored with one
bulk write, published with one pipelined round trip, then flagged published with one update.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from faststream.asgi import AsgiFastStream
from pymongo import UpdateOne

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Article, IncidentRecord, utcnow
from sahelwatch.messaging import parser_for
from sahelwatch.runtime import Runtime
from sahelwatch.settings import Settings, load_settings
from services.pipeline import Pipeline

STAGE = "extraction"


def create_app(settings: Settings | None = None) -> AsgiFastStream:
    settings = settings or load_settings()
    runtime = Runtime.build(STAGE, settings)
    pipeline = Pipeline(settings)
    stage = runtime.reliable()
    extracted = runtime.db[storage.EXTRACTED]
    articles = runtime.db[storage.ARTICLES]

    async def warm_up() -> None:
        telemetry.GAZETTEER_ENTRIES.set(len(pipeline.gazetteer))
        pipeline.actors  # noqa: B018 - load the actor dictionary before the first message

    async def handle(batch: Sequence[Article]) -> None:
        found: list[tuple[Article, list[IncidentRecord]]] = []
        progress: list[UpdateOne] = []
        for article in batch:
            records = pipeline.extract(article)
            now = utcnow()
            for record in records:
                record.stamps = {**record.stamps, "extracted": now}
            found.append((article, records))
            progress.append(
                UpdateOne({"_id": article.article_id}, {"$set": {"n_records": len(records), "extracted_at": now}})
            )
        docs = [storage.to_doc(r, "record_id") for _, records in found for r in records]
        inserted, _ = await asyncio.gather(
            storage.insert_new(extracted, docs), articles.bulk_write(progress, ordered=False)
        )
        fresh = {r.record_id: r for _, records in found for r in records}
        pending = await stage.publisher.publish_stored(
            streams.EXTRACTED, extracted, docs, inserted, fresh, IncidentRecord
        )
        published = {record.record_id for record in pending}
        for record in pending:
            telemetry.RECORDS_OUT.labels(stage=STAGE, kind=record.kind.value).inc()
        for article, records in found:
            if sum(1 for r in records if r.record_id in published) < len(records):
                telemetry.REDELIVERED.labels(stage=STAGE).inc()
            telemetry.stage_latency(STAGE, article.stamps.get("ingested"))

    stage.consume_batch(streams.ARTICLES, parser_for(Article), handle)
    stage.document_output(streams.EXTRACTED, IncidentRecord, "Incidents and advisories found in an article.")
    runtime.startup.append(warm_up)
    return runtime.asgi_app()
