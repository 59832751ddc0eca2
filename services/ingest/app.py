"""Ingest service: HTTP ``POST /articles`` (JSON, text/plain article files, HTML) -> ``articles`` stream.

FastAPI for the HTTP edge, FastStream's RedisRouter for the broker (lifespan, AsyncAPI docs at
/asyncapi). Bad input is refused with 4xx naming the problem, before anything is stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from faststream.redis.fastapi import RedisRouter
from faststream.redis.prometheus import RedisPrometheusMiddleware
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Article
from sahelwatch.errors import BadInput
from sahelwatch.messaging import GRACEFUL_TIMEOUT_S, PlainJsonFormat, Publisher
from sahelwatch.runtime import register_process_metrics
from sahelwatch.settings import Settings, load_settings
from services.ingest.formats import parse_body
from services.ingest.poller import FeedPoller
from services.ingest.service import IngestService

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    if settings.redis_url is None or settings.mongo_url is None:
        raise ValueError("REDIS_URL and MONGO_URL must be set to run a service")
    register_process_metrics()
    router = RedisRouter(
        settings.redis_url,
        message_format=PlainJsonFormat,
        graceful_timeout=GRACEFUL_TIMEOUT_S,
        middlewares=[RedisPrometheusMiddleware(registry=telemetry.REGISTRY)],
        schema_url="/asyncapi",
        include_in_schema=False,
    )
    articles_out = router.publisher(
        streams.ARTICLES, schema=Article, title="articles", description="Normalised articles, one per report."
    )
    mongo = storage.connect(settings.mongo_url)
    db = mongo[settings.mongo_db]
    redis = Redis.from_url(settings.redis_url)
    service = IngestService(db, Publisher(router.broker, settings.stream_maxlen))
    del articles_out  # declared for the AsyncAPI document; Publisher sends with maxlen
    poller = FeedPoller(
        service, settings.feeds, interval_s=settings.feed_interval_s, max_bytes=settings.max_article_bytes
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with router.lifespan_context(app):
            await storage.ensure_indexes(db)
            await service.load_near_duplicate_index()
            await poller.start()
            yield
            await poller.stop()
        await redis.aclose()
        await mongo.close()

    app = FastAPI(title="sahelwatch ingest", lifespan=lifespan)
    app.include_router(router)
    app.state.faststream_router = router  # for the AsyncAPI document (services/asyncapi.py)

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput) -> JSONResponse:
        telemetry.ARTICLES_REJECTED.labels(reason=str(exc.status)).inc()
        return JSONResponse({"error": str(exc)}, status_code=exc.status)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        telemetry.FAILED.labels(stage="ingest", reason="transient").inc()
        log.exception("ingest failed", extra={"path": request.url.path})
        return JSONResponse({"error": f"temporary failure, nothing was accepted: {exc!r}"}, status_code=503)

    @app.post("/articles", status_code=202)
    async def post_article(request: Request) -> JSONResponse:
        """An article as JSON ({url,title,source,published_at,text|html}), text/plain or text/html."""
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_article_bytes:
            raise BadInput(f"body is {length} bytes; the limit is {settings.max_article_bytes}", status=413)
        body = await request.body()
        if not body.strip():
            raise BadInput("empty body: send an article (JSON, text/plain or text/html)", status=400)
        raw = parse_body(body, request.headers.get("content-type"), max_bytes=settings.max_article_bytes)
        result = await service.accept(raw, via="http")
        return JSONResponse(result.as_json(), status_code=202 if result.status == "accepted" else 200)

    @app.get("/articles/{article_id}")
    async def get_article(article_id: str) -> JSONResponse:
        doc = await db[storage.ARTICLES].find_one({"_id": article_id}, {"minhash": 0})
        if doc is None:
            return JSONResponse({"error": f"no article {article_id!r}"}, status_code=404)
        return JSONResponse(json.loads(json.dumps(doc, default=str)))

    @app.get("/feeds")
    async def feeds() -> JSONResponse:
        """The configured feeds with their last poll (status, error, counts)."""
        return JSONResponse(json.loads(json.dumps(await poller.status(), default=str)))

    @app.post("/feeds/poll")
    async def poll_feeds() -> JSONResponse:
        """Poll every configured feed now (does not wait for the schedule)."""
        if not poller.feeds:
            raise BadInput("no feeds configured (SAHELWATCH_FEEDS)", status=404)
        return JSONResponse([r.as_json() for r in await poller.poll_all()])

    @app.get("/health")
    async def health() -> JSONResponse:
        checks: dict[str, Any] = {"stage": "ingest"}
        try:
            checks["redis"] = bool(await redis.ping())
            await mongo.admin.command("ping")
            checks["mongodb"] = True
            checks["status"] = "ok"
        except Exception as exc:
            checks["status"] = "degraded"
            checks["error"] = repr(exc)
        return JSONResponse(checks, status_code=200 if checks["status"] == "ok" else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(telemetry.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return app
