"""Geocoding service: ``incidents.extracted`` -> records with a location -> ``incidents.geocoded``."""

from __future__ import annotations

from faststream.asgi import AsgiFastStream

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import IncidentRecord, PlaceMention, utcnow
from sahelwatch.messaging import parse
from sahelwatch.runtime import Runtime
from sahelwatch.settings import Settings, load_settings
from services.pipeline import Pipeline

STAGE = "geocoding"


def create_app(settings: Settings | None = None) -> AsgiFastStream:
    settings = settings or load_settings()
    runtime = Runtime.build(STAGE, settings)
    pipeline = Pipeline(settings)
    stage = runtime.reliable()
    extracted = runtime.db[storage.EXTRACTED]
    geocoded = runtime.db[storage.GEOCODED]

    async def warm_up() -> None:
        telemetry.GAZETTEER_ENTRIES.set(len(pipeline.gazetteer))
        pipeline.geocoder  # noqa: B018 - build indexes before the first message

    async def article_places(article_id: str) -> list[PlaceMention]:
        """Every place the article names: context for disambiguation."""
        cursor = extracted.find({"article_id": article_id, "place": {"$ne": None}}, {"place": 1})
        return [PlaceMention.model_validate(doc["place"]) async for doc in cursor]

    async def handle(body: bytes) -> None:
        record = parse(IncidentRecord, body)
        if await geocoded.find_one({"_id": record.record_id, "published": True}, {"_id": 1}):
            telemetry.REDELIVERED.labels(stage=STAGE).inc()
            return
        context = await article_places(record.article_id)
        result = pipeline.geocoder.geocode(record, context)
        result.stamps = {**result.stamps, "geocoded": utcnow()}
        await storage.insert_new(geocoded, [storage.to_doc(result, "record_id")])
        for doc in await storage.unpublished(geocoded, [result.record_id]):
            stored = IncidentRecord.model_validate(storage.strip_storage_fields(doc))
            await stage.publisher.publish(streams.GEOCODED, stored)
            await storage.mark_published(geocoded, [stored.record_id])
            telemetry.RECORDS_OUT.labels(stage=STAGE, kind=stored.kind.value).inc()
        telemetry.stage_latency(STAGE, record.stamps.get("ingested"))

    stage.consume(streams.EXTRACTED, handle)
    stage.document_output(streams.GEOCODED, IncidentRecord, "Records with their location resolved (or null).")
    runtime.startup.append(warm_up)
    return runtime.asgi_app()
