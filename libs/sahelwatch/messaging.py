"""Redis streams with FastStream: brokers, reliable consumers, dead letters.

Delivery rules (brief, "Delivery and data safety"):
- a handler's message is acknowledged only after the handler returned, i.e. after its outputs were
  persisted and published;
- a failing message stays pending; a second subscriber of the same group reclaims messages idle for
  ``reclaim_idle_ms`` (XAUTOCLAIM), so the messages of a crashed consumer are handled too;
- after ``max_attempts`` failures (counted in Redis, so across processes) the message goes to
  ``dlq.<stage>`` with the error, and is acknowledged; a message that can never succeed
  (``PermanentError``: bad JSON, schema violation) goes there at once.

Batches: a stage reads up to ``batch_max`` new messages at once (XREADGROUP COUNT) and hands the
valid ones to its handler together, so it can persist and publish them with a few round trips.
If the batch handler fails, each message of the batch is handled again on its own: those that
succeed are acknowledged, only the failing one is retried or dead-lettered (handlers are
idempotent, so a message the failed batch had half done is not done twice). Acknowledgement is one
XACK per batch, after the handler returned.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from faststream import AckPolicy
from faststream.redis import RedisBroker, StreamSub
from faststream.redis.annotations import RedisBatchStreamMessage, RedisStreamMessage
from faststream.redis.parser import BinaryMessageFormatV1, MessageFormat
from faststream.redis.prometheus import RedisPrometheusMiddleware
from pydantic import BaseModel, ValidationError
from pymongo.asynchronous.collection import AsyncCollection
from redis.asyncio import Redis

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import DeadLetter
from sahelwatch.errors import PermanentError
from sahelwatch.settings import Settings

log = logging.getLogger(__name__)

GRACEFUL_TIMEOUT_S = 15.0
DATA_FIELD = b"__data__"
Handler = Callable[[bytes], Awaitable[None]]
T = TypeVar("T")
BatchHandler = Callable[[list[T]], Awaitable[None]]


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


def parser_for(model: type[M]) -> Callable[[bytes], M]:
    def parse_body(body: bytes) -> M:
        return parse(model, body)

    return parse_body


class Publisher:
    """Publishes contract models as JSON bytes on a capped stream."""

    def __init__(self, broker: RedisBroker, maxlen: int, redis: Redis | None = None) -> None:
        self.broker = broker
        self.maxlen = maxlen
        self.redis = redis

    async def publish(self, stream: str, payload: BaseModel | bytes) -> None:
        await self.broker.publish(_body(payload), stream=stream, maxlen=self.maxlen)

    async def publish_many(self, messages: Sequence[tuple[str, BaseModel | bytes]]) -> None:
        """Publish in order with one round trip (a Redis pipeline, no transaction).

        Raises if any XADD failed; the caller then does not acknowledge, and a redelivery publishes
        what its ``published`` flags say is missing.
        """
        if not messages:
            return
        if self.redis is None or len(messages) == 1:
            for stream, payload in messages:
                await self.publish(stream, payload)
            return
        async with self.redis.pipeline(transaction=False) as pipe:
            for stream, payload in messages:
                await self.broker.publish(_body(payload), stream=stream, maxlen=self.maxlen, pipeline=pipe)
            await pipe.execute()

    async def publish_stored(
        self,
        stream: str,
        collection: AsyncCollection[storage.Doc],
        docs: Sequence[storage.Doc],
        inserted: set[Any],
        fresh: dict[str, M],
        model: type[M],
        *extra_fields: str,
    ) -> list[M]:
        """Publish what ``storage.insert_new`` just wrote (``inserted``) and what an earlier crash left
        unpublished, in the order of ``docs``, then mark it published.

        ``fresh`` holds the models just built, by id; a document written before is read back into
        ``model`` (its storage fields and ``extra_fields`` stripped).
        """
        stored = await storage.to_publish(collection, docs, inserted)
        pending = [
            fresh[doc["_id"]]
            if doc["_id"] in inserted
            else model.model_validate(storage.strip_storage_fields(doc, *extra_fields))
            for doc in stored
        ]
        await self.publish_many([(stream, item) for item in pending])
        await storage.mark_published(collection, [doc["_id"] for doc in stored])
        return pending


def _body(payload: BaseModel | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else payload.model_dump_json().encode()


@dataclass(frozen=True, slots=True)
class Entry:
    """One stream entry: its id (the same on every delivery) and its body."""

    id: str
    body: bytes


class Outcome(enum.Enum):
    DONE = "done"  # handled: acknowledge
    DEAD = "dead"  # dead-lettered: acknowledge
    RETRY = "retry"  # failed, attempts left: stays pending, reclaimed later


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    error: str = ""
    attempts: int = 0


DONE = Result(Outcome.DONE)


class ReliableStage:
    """Wires one stage's handler to a stream with batches, retries, reclaim and dead-lettering."""

    def __init__(self, stage: str, broker: RedisBroker, redis: Redis, settings: Settings) -> None:
        self.stage = stage
        self.broker = broker
        self.redis = redis
        self.settings = settings
        self.publisher = Publisher(broker, settings.stream_maxlen, redis)
        self.consumer = settings.consumer_name or f"{stage}-{socket.gethostname()}-{os.getpid()}"
        self._attempts_key = f"sahelwatch:attempts:{stage}"

    def document_output(self, stream: str, model: type[BaseModel], description: str) -> None:
        """Declare a stream this stage writes, with its payload model, for the AsyncAPI document."""
        self.broker.publisher(stream, schema=model, title=f"{self.stage} -> {stream}", description=description)

    def consume(self, stream: str, handler: Handler) -> None:
        """Subscribe ``handler`` (one message body at a time) to ``stream`` (group = stage)."""

        async def run(entries: Sequence[Entry]) -> list[Result]:
            return [await self._attempt(entry, handler(entry.body)) for entry in entries]

        self._subscribe(stream, run)

    def consume_batch(self, stream: str, parse_body: Callable[[bytes], T], handler: BatchHandler[T]) -> None:
        """Subscribe ``handler`` to ``stream``: it receives the parsed messages of a batch together.

        ``parse_body`` raises ``PermanentError`` for a body that can never be valid (dead-lettered
        at once, the rest of the batch goes on). ``handler`` must be idempotent per message.
        """

        async def run(entries: Sequence[Entry]) -> list[Result]:
            results: list[Result | None] = [None] * len(entries)
            valid: list[tuple[int, T]] = []
            for i, entry in enumerate(entries):
                try:
                    valid.append((i, parse_body(entry.body)))
                except PermanentError as exc:
                    results[i] = self._permanent(exc)
            if valid:
                try:
                    await handler([item for _, item in valid])
                except Exception as exc:
                    if len(valid) == 1:
                        i = valid[0][0]
                        results[i] = await self._failed(entries[i], exc)
                    else:
                        log.warning(
                            "batch of %d failed, handling its messages one by one",
                            len(valid),
                            extra={"stage": self.stage, "error": repr(exc)},
                        )
                        for i, item in valid:
                            results[i] = await self._attempt(entries[i], handler([item]))
                else:
                    for i, _ in valid:
                        results[i] = DONE
            return [r if r is not None else DONE for r in results]

        self._subscribe(stream, run)

    def _subscribe(self, stream: str, run: Callable[[Sequence[Entry]], Awaitable[list[Result]]]) -> None:
        self.document_output(
            streams.dead_letter(self.stage), DeadLetter, "Messages this stage gave up on, with the error."
        )

        async def on_batch(msg: RedisBatchStreamMessage) -> None:
            raw = msg.raw_message
            entries = [
                Entry(_text(entry_id), _entry_body(fields))
                for entry_id, fields in zip(raw["message_ids"], raw["data"], strict=True)
            ]
            await self._process(stream, entries, run)

        async def on_reclaimed(msg: RedisStreamMessage) -> None:
            body = msg.body if isinstance(msg.body, bytes) else bytes(msg.body)
            await self._process(stream, [Entry(stream_entry_id(msg), body)], run)

        fresh = StreamSub(
            stream,
            group=self.stage,
            consumer=self.consumer,
            polling_interval=self.settings.polling_interval_ms,
            batch=True,
            max_records=self.settings.batch_max,
        )
        reclaim = StreamSub(
            stream,
            group=self.stage,
            consumer=self.consumer,
            min_idle_time=self.settings.reclaim_idle_ms,
            polling_interval=max(self.settings.reclaim_idle_ms // 4, 100),
        )
        # MANUAL: _process acknowledges what was handled or dead-lettered, with one XACK; what
        # failed (or everything, if _process itself fails) stays pending for the reclaimer.
        self.broker.subscriber(
            stream=fresh, ack_policy=AckPolicy.MANUAL, title=stage_title(self.stage), parser=_raw_batch
        )(on_batch)
        self.broker.subscriber(
            stream=reclaim,
            ack_policy=AckPolicy.MANUAL,
            title=f"{stage_title(self.stage)}.reclaim",
            include_in_schema=False,
        )(on_reclaimed)

    async def _process(
        self, stream: str, entries: Sequence[Entry], run: Callable[[Sequence[Entry]], Awaitable[list[Result]]]
    ) -> None:
        if not entries:
            return
        started = time.perf_counter()
        try:
            results = await run(entries)
            await self._settle(stream, entries, results)
        finally:
            per_message = (time.perf_counter() - started) / len(entries)
            for _ in entries:
                telemetry.HANDLE_SECONDS.labels(stage=self.stage).observe(per_message)

    async def _settle(self, stream: str, entries: Sequence[Entry], results: Sequence[Result]) -> None:
        """Dead letters first (so none is lost), then one XACK for everything handled or dead-lettered."""
        letters = [(e, r) for e, r in zip(entries, results, strict=True) if r.outcome is Outcome.DEAD]
        if letters:
            await self.publisher.publish_many(
                [(streams.dead_letter(self.stage), self._letter(stream, e, r)) for e, r in letters]
            )
            telemetry.DEAD_LETTERS.labels(stage=self.stage).inc(len(letters))
        settled = [e.id for e, r in zip(entries, results, strict=True) if r.outcome is not Outcome.RETRY]
        if settled:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xack(stream, self.stage, *settled)
                pipe.hdel(self._attempts_key, *settled)
                await pipe.execute()
        done = sum(1 for r in results if r.outcome is Outcome.DONE)
        if done:
            telemetry.PROCESSED.labels(stage=self.stage).inc(done)

    async def _attempt(self, entry: Entry, call: Awaitable[None]) -> Result:
        try:
            await call
        except Exception as exc:
            return await self._failed(entry, exc)
        return DONE

    def _permanent(self, exc: PermanentError) -> Result:
        telemetry.FAILED.labels(stage=self.stage, reason="permanent").inc()
        log.warning("permanent failure, dead-lettering", extra={"stage": self.stage, "error": str(exc)})
        return Result(Outcome.DEAD, str(exc), 1)

    async def _failed(self, entry: Entry, exc: Exception) -> Result:
        if isinstance(exc, PermanentError):
            return self._permanent(exc)
        telemetry.FAILED.labels(stage=self.stage, reason="transient").inc()
        attempts = int(await self.redis.hincrby(self._attempts_key, entry.id, 1))
        if attempts >= self.settings.max_attempts:
            log.error("giving up after %d attempts", attempts, extra={"stage": self.stage, "error": repr(exc)})
            return Result(Outcome.DEAD, repr(exc), attempts)
        log.warning("attempt %d failed, will retry", attempts, extra={"stage": self.stage, "error": repr(exc)})
        return Result(Outcome.RETRY)

    def _letter(self, stream: str, entry: Entry, result: Result) -> DeadLetter:
        return DeadLetter(
            stage=self.stage,
            stream=stream,
            message_id=entry.id,
            attempts=result.attempts,
            error=result.error[:4000],
            payload=entry.body.decode("utf-8", errors="replace"),
        )

    async def dead_letter(self, stream: str, message_id: str, body: bytes, error: str, attempts: int) -> None:
        letter = self._letter(stream, Entry(message_id, body), Result(Outcome.DEAD, error, attempts))
        await self.publisher.publish(streams.dead_letter(self.stage), letter)
        telemetry.DEAD_LETTERS.labels(stage=self.stage).inc()


async def _raw_batch(msg: Any, original: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream's batch parser JSON-decodes every body only to re-encode the list; skip that.

    The handler reads the entries from ``raw_message`` itself (``_entry_body``).
    """
    parsed = await original({**msg, "data": []})
    parsed.raw_message = msg
    return parsed


def _entry_body(fields: dict[bytes, bytes]) -> bytes:
    data = fields.get(DATA_FIELD)
    if data is None:  # an entry written without __data__: its fields, as JSON (FastStream's reading)
        return json.dumps({_text(k): _text(v) for k, v in fields.items()}).encode()
    body, _headers = PlainJsonFormat.parse(data)
    return body


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def stream_entry_id(msg: RedisStreamMessage) -> str:
    """The Redis stream entry id: the same on every delivery of the message (unlike message_id)."""
    ids = msg.raw_message.get("message_ids") or []
    first = ids[0] if ids else msg.message_id
    return first.decode() if isinstance(first, bytes) else str(first)


def stage_title(stage: str) -> str:
    return f"sahelwatch.{stage}"
