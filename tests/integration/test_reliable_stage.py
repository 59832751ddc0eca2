"""Delivery rules on the real Redis: retry, reclaim from a dead consumer, dead-letter."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from faststream.redis import RedisBroker
from redis.asyncio import Redis

from sahelwatch import streams, telemetry
from sahelwatch.errors import PermanentError
from sahelwatch.localstack import LocalServers
from sahelwatch.messaging import ReliableStage, make_broker
from sahelwatch.settings import Settings

pytestmark = pytest.mark.integration


@dataclass
class Harness:
    stage: ReliableStage
    broker: RedisBroker
    redis: Redis
    stream: str


@pytest.fixture
async def harness(
    servers: LocalServers,
) -> AsyncIterator[Callable[[Callable[[bytes], Awaitable[None]]], Awaitable[Harness]]]:
    started: list[Harness] = []

    async def make(handler: Callable[[bytes], Awaitable[None]]) -> Harness:
        settings = Settings(
            redis_url=servers.redis_url,
            mongo_url=servers.mongo_url,
            reclaim_idle_ms=200,
            max_attempts=3,
            polling_interval_ms=20,
        )
        broker = make_broker(settings)
        redis = Redis.from_url(servers.redis_url)
        name = uuid.uuid4().hex[:8]
        stage = ReliableStage(f"test-{name}", broker, redis, settings)
        h = Harness(stage, broker, redis, f"test.{name}")
        stage.consume(h.stream, handler)
        await broker.start()
        started.append(h)
        return h

    yield make
    for h in started:
        await h.broker.stop()
        await h.redis.delete(h.stream, streams.dead_letter(h.stage.stage))
        await h.redis.aclose()


async def eventually(condition: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not await condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(poll(), timeout)


async def pending(h: Harness) -> int:
    info = await h.redis.xpending(h.stream, h.stage.stage)
    return int(info["pending"])


async def test_transient_failure_is_retried_until_it_succeeds(harness) -> None:  # type: ignore[no-untyped-def]
    calls: list[bytes] = []

    async def flaky(body: bytes) -> None:
        calls.append(body)
        if len(calls) < 3:
            raise RuntimeError("database hiccup")

    h = await harness(flaky)
    await h.stage.publisher.publish(h.stream, b'{"n": 1}')
    await eventually(lambda: _true(len(calls) == 3))
    await eventually(lambda: _eq(pending(h), 0))
    assert calls == [b'{"n": 1}'] * 3
    assert await h.redis.xlen(streams.dead_letter(h.stage.stage)) == 0
    assert await h.redis.hget(f"sahelwatch:attempts:{h.stage.stage}", "any") is None


async def test_message_failing_every_time_is_dead_lettered_after_max_attempts(harness) -> None:  # type: ignore[no-untyped-def]
    calls: list[bytes] = []

    async def broken(body: bytes) -> None:
        calls.append(body)
        raise RuntimeError("always fails")

    h = await harness(broken)
    before = telemetry.DEAD_LETTERS.labels(stage=h.stage.stage)._value.get()
    await h.stage.publisher.publish(h.stream, b'{"n": 2}')
    dlq = streams.dead_letter(h.stage.stage)
    await eventually(lambda: _eq(h.redis.xlen(dlq), 1))
    [(_, fields)] = await h.redis.xrange(dlq)
    letter = json.loads(fields[b"__data__"])
    assert letter["attempts"] == 3 and "always fails" in letter["error"]
    assert letter["payload"] == '{"n": 2}' and letter["stream"] == h.stream
    assert len(calls) == 3
    await eventually(lambda: _eq(pending(h), 0))
    assert telemetry.DEAD_LETTERS.labels(stage=h.stage.stage)._value.get() == before + 1


async def test_permanent_error_goes_to_dead_letters_at_once(harness) -> None:  # type: ignore[no-untyped-def]
    calls: list[bytes] = []

    async def strict(body: bytes) -> None:
        calls.append(body)
        raise PermanentError("schema violation")

    h = await harness(strict)
    await h.stage.publisher.publish(h.stream, b"garbage")
    await eventually(lambda: _eq(h.redis.xlen(streams.dead_letter(h.stage.stage)), 1))
    assert calls == [b"garbage"]
    await eventually(lambda: _eq(pending(h), 0))


async def test_message_of_a_crashed_consumer_is_reclaimed(harness) -> None:  # type: ignore[no-untyped-def]
    seen: list[bytes] = []

    async def ok(body: bytes) -> None:
        seen.append(body)

    h = await harness(ok)
    # Another consumer of the same group reads a message and dies before acknowledging it.
    await h.redis.xadd(h.stream, {"__data__": b'{"n": 3}'})
    await h.redis.xreadgroup(h.stage.stage, "crashed-consumer", {h.stream: ">"}, count=1)
    # (our fresh subscriber may race it for the message; either way it must be handled exactly once)
    await eventually(lambda: _true(len(seen) >= 1))
    await eventually(lambda: _eq(pending(h), 0))
    assert seen == [b'{"n": 3}']


async def _true(value: bool) -> bool:
    return value


async def _eq(value: Awaitable[int], expected: int) -> bool:
    return await value == expected
