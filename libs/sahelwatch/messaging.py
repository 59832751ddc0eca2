"""Redis streams with FastStream: brokers, reliable consumers, dead letters.

Delivery rules (brief, "Delivery and data safety"):
- a handler's message is acknowledged only after the handler returned, i.e. after its outputs were
  persisted and published;
- a failing message stays pending; a second subscriber of the same group reclaims messages idle for
  ``reclaim_idle_ms`` (XAUTOCLAIM), so the messages of a crashed consumer are handled too;
- after ``max_attempts`` failures (counted in Redis, so across processes) the message goes to
  ``dlq.<stage>`` with the error, and is acknowledged; a message that can never succeed
  (``PermanentError``: bad JSON, schema violation) goes there at once.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisStreamMessage
from faststream.redis.parser import BinaryMessageFormatV1, MessageFormat
from faststream.redis.prometheus import RedisPrometheusMiddleware
from pydantic import BaseModel, ValidationError
from redis.asyncio import Redis

from sahelwatch import streams, telemetry
from sahelwatch.contracts import DeadLetter
from sahelwatch.errors import PermanentError
from sahelwatch.settings import Settings

log = logging.getLogger(__name__)

GRACEFUL_TIMEOUT_S = 15.0
Handler = Callable[[bytes], Awaitable[None]]


class PlainJsonFormat(MessageFormat):
    """Stream entries whose ``__data__`` field is the plain JSON document, nothing else.

    Downstream systems read our streams with any Redis client (XREADGROUP, then json.loads of
    ``__data__``), without FastStream's binary framing. Framed messages from other FastStream
    producers are still understood.
    """

    __slots__ = ()

    @classmethod
    async def encode(cls, **kwargs: Any) -> bytes:
        built = await cls.build(**kwargs)
        return built.data

    @classmethod
    def parse(cls, data: bytes) -> tuple[bytes, dict[str, Any]]:
        if data.startswith(BinaryMessageFormatV1.IDENTITY_HEADER):
            return BinaryMessageFormatV1.parse(data)
        return data, {}  # no content-type: the body reaches the handler as raw bytes


def make_broker(settings: Settings) -> RedisBroker:
    if settings.redis_url is None:
        raise ValueError("redis_url is not set")
    return RedisBroker(
        settings.redis_url,
        message_format=PlainJsonFormat,
        graceful_timeout=GRACEFUL_TIMEOUT_S,
        middlewares=[RedisPrometheusMiddleware(registry=telemetry.REGISTRY)],
        logger=logging.getLogger("faststream"),
    )


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: bytes) -> M:
    """Validate a message body; a body that can never be valid raises PermanentError."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise PermanentError(f"{model.__name__} invalid: {exc.error_count()} error(s): {exc.errors()[:3]}") from exc


class Publisher:
    """Publishes contract models as JSON bytes on a capped stream."""

    def __init__(self, broker: RedisBroker, maxlen: int) -> None:
        self.broker = broker
        self.maxlen = maxlen

    async def publish(self, stream: str, payload: BaseModel | bytes) -> None:
        body = payload if isinstance(payload, bytes) else payload.model_dump_json().encode()
        await self.broker.publish(body, stream=stream, maxlen=self.maxlen)


class ReliableStage:
    """Wires one stage's handler to a stream with retries, reclaim and dead-lettering."""

    def __init__(self, stage: str, broker: RedisBroker, redis: Redis, settings: Settings) -> None:
        self.stage = stage
        self.broker = broker
        self.redis = redis
        self.settings = settings
        self.publisher = Publisher(broker, settings.stream_maxlen)
        self.consumer = settings.consumer_name or f"{stage}-{socket.gethostname()}-{os.getpid()}"
        self._attempts_key = f"sahelwatch:attempts:{stage}"

    def document_output(self, stream: str, model: type[BaseModel], description: str) -> None:
        """Declare a stream this stage writes, with its payload model, for the AsyncAPI document."""
        self.broker.publisher(stream, schema=model, title=f"{self.stage} -> {stream}", description=description)

    def consume(self, stream: str, handler: Handler) -> None:
        """Subscribe ``handler`` to ``stream`` (group = stage) for new and reclaimed messages."""
        group = self.stage
        self.document_output(
            streams.dead_letter(self.stage), DeadLetter, "Messages this stage gave up on, with the error."
        )

        async def on_message(msg: RedisStreamMessage) -> None:
            await self._handle(stream, msg, handler)

        fresh = StreamSub(
            stream,
            group=group,
            consumer=self.consumer,
            polling_interval=self.settings.polling_interval_ms,
            max_records=64,
        )
        reclaim = StreamSub(
            stream,
            group=group,
            consumer=self.consumer,
            min_idle_time=self.settings.reclaim_idle_ms,
            polling_interval=max(self.settings.reclaim_idle_ms // 4, 100),
        )
        self.broker.subscriber(stream=fresh, ack_policy=AckPolicy.NACK_ON_ERROR, title=f"{stage_title(self.stage)}")(
            on_message
        )
        self.broker.subscriber(
            stream=reclaim,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            title=f"{stage_title(self.stage)}.reclaim",
            include_in_schema=False,
        )(on_message)

    async def _handle(self, stream: str, msg: RedisStreamMessage, handler: Handler) -> None:
        body = msg.body if isinstance(msg.body, bytes) else bytes(msg.body)
        message_id = stream_entry_id(msg)
        started = time.perf_counter()
        try:
            await handler(body)
        except PermanentError as exc:
            telemetry.FAILED.labels(stage=self.stage, reason="permanent").inc()
            log.warning("permanent failure, dead-lettering", extra={"stage": self.stage, "error": str(exc)})
            await self.dead_letter(stream, message_id, body, str(exc), attempts=1)
        except Exception as exc:
            telemetry.FAILED.labels(stage=self.stage, reason="transient").inc()
            attempts = int(await self.redis.hincrby(self._attempts_key, message_id, 1))
            if attempts >= self.settings.max_attempts:
                log.error("giving up after %d attempts", attempts, extra={"stage": self.stage, "error": repr(exc)})
                await self.dead_letter(stream, message_id, body, repr(exc), attempts=attempts)
                await self.redis.hdel(self._attempts_key, message_id)
                return
            log.warning("attempt %d failed, will retry", attempts, extra={"stage": self.stage, "error": repr(exc)})
            raise
        else:
            telemetry.PROCESSED.labels(stage=self.stage).inc()
            await self.redis.hdel(self._attempts_key, message_id)
        finally:
            telemetry.HANDLE_SECONDS.labels(stage=self.stage).observe(time.perf_counter() - started)

    async def dead_letter(self, stream: str, message_id: str, body: bytes, error: str, attempts: int) -> None:
        letter = DeadLetter(
            stage=self.stage,
            stream=stream,
            message_id=message_id,
            attempts=attempts,
            error=error[:4000],
            payload=body.decode("utf-8", errors="replace"),
        )
        await self.publisher.publish(streams.dead_letter(self.stage), letter)
        telemetry.DEAD_LETTERS.labels(stage=self.stage).inc()


def stream_entry_id(msg: RedisStreamMessage) -> str:
    """The Redis stream entry id: the same on every delivery of the message (unlike message_id)."""
    ids = msg.raw_message.get("message_ids") or []
    first = ids[0] if ids else msg.message_id
    return first.decode() if isinstance(first, bytes) else str(first)


def stage_title(stage: str) -> str:
    return f"sahelwatch.{stage}"
