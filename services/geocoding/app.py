"""Geocoding service: ``incidents.extracted`` -> records with a location -> ``incidents.geocoded``.

Records come in batches (``SAHELWATCH_BATCH_MAX``): one query finds those already done, one the
place context of their articles; results are stored with one bulk write, published with one
pipelined round trip, then flagged published with one update.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence

from faststream.asgi import AsgiFastStream

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import IncidentRecord, PlaceMention, utcnow
from sahelwatch.messaging import parser_for
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

    async def article_places(article_ids: Sequence[str]) -> dict[str, list[PlaceMention]]:
        """Every place each article names: context for disambiguation."""
        query = {"article_id": {"$in": list(article_ids)}, "place": {"$ne": None}}
        places: dict[str, list[PlaceMention]] = defaultdict(list)
        async for doc in extracted.find(query, {"place": 1, "article_id": 1}):
            places[doc["article_id"]].append(PlaceMention.model_validate(doc["place"]))
        return places

    async def already_published(record_ids: Sequence[str]) -> set[str]:
        query = {"_id": {"$in": list(record_ids)}, "published": True}
        return {doc["_id"] async for doc in geocoded.find(query, {"_id": 1})}

    async def handle(batch: Sequence[IncidentRecord]) -> None:
        records = list({record.record_id: record for record in batch}.values())
        done, context = await asyncio.gather(
            already_published([r.record_id for r in records]),
            article_places(list(dict.fromkeys(r.article_id for r in records))),
        )
        telemetry.REDELIVERED.labels(stage=STAGE).inc(len(batch) - len(records) + len(done))
        results: dict[str, IncidentRecord] = {}
        for record in records:
            if record.record_id in done:
                continue
            result = pipeline.geocoder.geocode(record, context.get(record.article_id, []))
            result.stamps = {**result.stamps, "geocoded": utcnow()}
            results[result.record_id] = result
        docs = [storage.to_doc(result, "record_id") for result in results.values()]
        inserted = await storage.insert_new(geocoded, docs)
        pending = await stage.publisher.publish_stored(
            streams.GEOCODED, geocoded, docs, inserted, results, IncidentRecord
        )
        for record in pending:
            telemetry.RECORDS_OUT.labels(stage=STAGE, kind=record.kind.value).inc()
        for record in records:
            if record.record_id not in done:
                telemetry.stage_latency(STAGE, record.stamps.get("ingested"))

    stage.consume_batch(streams.EXTRACTED, parser_for(IncidentRecord), handle)
    stage.document_output(streams.GEOCODED, IncidentRecord, "Records with their location resolved (or null).")
    runtime.startup.append(warm_up)
    return runtime.asgi_app()
