"""Composition root shared by the consuming services: broker, Redis, MongoDB, /health and /metrics.

A service module builds a ``Runtime``, registers its handlers with ``ReliableStage.consume`` and
returns ``runtime.asgi_app()``; ``serve`` runs it under uvicorn (graceful shutdown on SIGTERM).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from faststream.asgi import AsgiFastStream, AsgiResponse, get
from faststream.redis import RedisBroker
from faststream.specification import AsyncAPI
from prometheus_client import CONTENT_TYPE_LATEST, PlatformCollector, ProcessCollector, generate_latest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from sahelwatch import __version__, storage, telemetry
from sahelwatch.messaging import ReliableStage, make_broker
from sahelwatch.settings import Settings

log = logging.getLogger(__name__)

_process_metrics_registered = False


def register_process_metrics() -> None:
    global _process_metrics_registered
    if not _process_metrics_registered:
        ProcessCollector(registry=telemetry.REGISTRY)
        PlatformCollector(registry=telemetry.REGISTRY)
        _process_metrics_registered = True


@dataclass
class Runtime:
    stage: str
    settings: Settings
    broker: RedisBroker
    redis: Redis
    mongo: AsyncMongoClient[storage.Doc]
    startup: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @classmethod
    def build(cls, stage: str, settings: Settings) -> Runtime:
        if settings.redis_url is None or settings.mongo_url is None:
            raise ValueError("REDIS_URL and MONGO_URL must be set to run a service")
        register_process_metrics()
        return cls(
            stage=stage,
            settings=settings,
            broker=make_broker(settings),
            redis=Redis.from_url(settings.redis_url),
            mongo=storage.connect(settings.mongo_url),
        )

    @property
    def db(self) -> AsyncDatabase[storage.Doc]:
        return self.mongo[self.settings.mongo_db]

    def reliable(self) -> ReliableStage:
        return ReliableStage(self.stage, self.broker, self.redis, self.settings)

    async def health(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            checks["redis"] = bool(await asyncio.wait_for(self.redis.ping(), 2))
        except Exception as exc:
            checks["redis"] = f"error: {exc!r}"
        try:
            await asyncio.wait_for(self.mongo.admin.command("ping"), 2)
            checks["mongodb"] = True
        except Exception as exc:
            checks["mongodb"] = f"error: {exc!r}"
        checks["status"] = "ok" if all(v is True for v in checks.values()) else "degraded"
        checks["stage"] = self.stage
        return checks

    async def _on_startup(self) -> None:
        await storage.ensure_indexes(self.db)
        for hook in self.startup:
            await hook()

    async def _on_shutdown(self) -> None:
        for hook in self.shutdown:
            await hook()
        await self.redis.aclose()
        await self.mongo.close()

    def asgi_app(self, extra_routes: Sequence[tuple[str, Any]] = ()) -> AsgiFastStream:
        runtime = self

        @get(include_in_schema=False)
        async def health(scope: Any) -> AsgiResponse:
            body = await runtime.health()
            status = 200 if body["status"] == "ok" else 503
            return AsgiResponse(json.dumps(body).encode(), status, {"content-type": "application/json"})

        @get(include_in_schema=False)
        async def metrics(scope: Any) -> AsgiResponse:
            return AsgiResponse(generate_latest(telemetry.REGISTRY), 200, {"content-type": CONTENT_TYPE_LATEST})

        return AsgiFastStream(
            self.broker,
            asgi_routes=[("/health", health), ("/metrics", metrics), *extra_routes],
            asyncapi_path="/docs/asyncapi",
            on_startup=[self._on_startup],
            after_shutdown=[self._on_shutdown],
            specification=AsyncAPI(title=f"sahelwatch {self.stage}", version=__version__),
        )


def serve(app: Any, host: str, port: int) -> None:
    """Run an ASGI app; SIGTERM/SIGINT stop it gracefully (in-flight messages finish first)."""
    config = uvicorn.Config(app, host=host, port=port, lifespan="on", log_config=None, access_log=False)
    uvicorn.Server(config).run()
