"""Extraction service: ``articles`` -> incident and advisory records -> ``incidents.extracted``."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Article, IncidentRecord, utcnow
from sahelwatch.messaging import parse
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

    async def handle(body: bytes) -> None:
        article = parse(Article, body)
        records = pipeline.extract(article)
        now = utcnow()
        for record in records:
            record.stamps = {**record.stamps, "extracted": now}
        await storage.insert_new(extracted, [storage.to_doc(r, "record_id") for r in records])
        await articles.update_one(
            {"_id": article.article_id}, {"$set": {"n_records": len(records), "extracted_at": now}}
        )
        pending = await storage.unpublished(extracted, [r.record_id for r in records])
        for doc in pending:
            record = IncidentRecord.model_validate(storage.strip_storage_fields(doc))
            await stage.publisher.publish(streams.EXTRACTED, record)
            telemetry.RECORDS_OUT.labels(stage=STAGE, kind=record.kind.value).inc()
        await storage.mark_published(extracted, [doc["_id"] for doc in pending])
        if len(pending) < len(records):
            telemetry.REDELIVERED.labels(stage=STAGE).inc()
        ingested = article.stamps.get("ingested")
        telemetry.stage_latency(STAGE, ingested)

    stage.consume(streams.ARTICLES, handle)
    stage.document_output(streams.EXTRACTED, IncidentRecord, "Incidents and advisories found in an article.")
    runtime.startup.append(warm_up)
    return runtime.asgi_app()
