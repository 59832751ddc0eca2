"""Delivery rules on the real Redis (and MongoDB): retry, reclaim from a dead consumer, dead-letter, batches."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from faststream.redis import RedisBroker
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from sahelwatch import storage, streams, telemetry
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


# --------------------------------------------------------------------------- batches
#
# The batch handler below does what the stages do: store its outputs (insert_new), publish those
# not yet published (to_publish), flag them published. Messages are queued before the consumer
# starts, so the first read returns them as one batch.


@dataclass
class BatchHarness:
    stage: ReliableStage
    broker: RedisBroker
    redis: Redis
    stream: str
    out: str
    calls: list[list[str]]

    async def outputs(self) -> list[str]:
        return [json.loads(fields[b"__data__"])["n"] for _id, fields in await self.redis.xrange(self.out)]


@pytest.fixture
async def batch_harness(
    servers: LocalServers, mongo_db: AsyncDatabase[storage.Doc]
) -> AsyncIterator[Callable[..., Awaitable[BatchHarness]]]:
    started: list[BatchHarness] = []

    async def make(queued: list[str], fail: Callable[[list[str]], None]) -> BatchHarness:
        """``fail(batch)`` is called after the batch's outputs are stored: it may raise."""
        settings = Settings(
            redis_url=servers.redis_url,
            mongo_url=servers.mongo_url,
            reclaim_idle_ms=200,
            max_attempts=3,
            polling_interval_ms=20,
            batch_max=32,
        )
        broker = make_broker(settings)
        redis = Redis.from_url(servers.redis_url)
        name = uuid.uuid4().hex[:8]
        stage = ReliableStage(f"test-{name}", broker, redis, settings)
        h = BatchHarness(stage, broker, redis, f"test.{name}", f"test.{name}.out", [])
        outputs = mongo_db[f"out_{name}"]

        async def handle(batch: list[dict[str, str]]) -> None:
            names = [item["n"] for item in batch]
            h.calls.append(names)
            docs = [{"_id": n, "n": n} for n in names]
            inserted = await storage.insert_new(outputs, docs)
            fail(names)
            pending = await storage.to_publish(outputs, docs, inserted)
            await stage.publisher.publish_many([(h.out, json.dumps({"n": d["n"]}).encode()) for d in pending])
            await storage.mark_published(outputs, [d["_id"] for d in pending])

        await redis.xgroup_create(h.stream, stage.stage, id="0", mkstream=True)
        for n in queued:
            await redis.xadd(h.stream, {"__data__": json.dumps({"n": n}).encode()})
        stage.consume_batch(h.stream, parse_item, handle)
        await broker.start()
        started.append(h)
        return h

    yield make
    for h in started:
        await h.broker.stop()
        await h.redis.delete(
            h.stream, h.out, streams.dead_letter(h.stage.stage), f"sahelwatch:attempts:{h.stage.stage}"
        )
        await h.redis.aclose()


def parse_item(body: bytes) -> dict[str, str]:
    try:
        item = json.loads(body)
    except ValueError as exc:
        raise PermanentError(f"not JSON: {exc}") from exc
    if not isinstance(item, dict) or not isinstance(item.get("n"), str):
        raise PermanentError("no 'n'")
    return item


async def test_batch_with_a_poison_message_dead_letters_it_and_handles_the_others_once(batch_harness) -> None:  # type: ignore[no-untyped-def]
    def poison(names: list[str]) -> None:
        if "bad" in names:
            raise PermanentError("bad can never be handled")

    h = await batch_harness(["a", "b", "bad", "c"], poison)
    dlq = streams.dead_letter(h.stage.stage)
    await eventually(lambda: _eq(h.redis.xlen(dlq), 1))
    await eventually(lambda: _eq(pending(h), 0))  # type: ignore[arg-type]
    assert h.calls[0] == ["a", "b", "bad", "c"]  # one batch, then each message alone
    assert sorted(await h.outputs()) == ["a", "b", "c"]
    [(_, fields)] = await h.redis.xrange(dlq)
    letter = json.loads(fields[b"__data__"])
    assert json.loads(letter["payload"]) == {"n": "bad"} and "never" in letter["error"] and letter["attempts"] == 1


async def test_batch_with_an_unparsable_message_handles_the_others_in_one_call(batch_harness) -> None:  # type: ignore[no-untyped-def]
    h = await batch_harness(["a", "b"], lambda names: None)
    await h.redis.xadd(h.stream, {"__data__": b"not json"})  # may join the batch or come alone
    dlq = streams.dead_letter(h.stage.stage)
    await eventually(lambda: _eq(h.redis.xlen(dlq), 1))
    await eventually(lambda: _eq(pending(h), 0))  # type: ignore[arg-type]
    assert sorted(await h.outputs()) == ["a", "b"]
    assert ["a", "b"] in h.calls and all("not json" not in c for c in h.calls)


async def test_transient_failure_in_a_batch_is_retried_and_the_others_are_not_redone(batch_harness) -> None:  # type: ignore[no-untyped-def]
    failures = {"flaky": 2}  # fails alone twice (attempts 1 and 2 of 3), then succeeds

    def flaky(names: list[str]) -> None:
        if "flaky" in names and (len(names) > 1 or failures["flaky"] > 0):
            if len(names) == 1:
                failures["flaky"] -= 1
            raise RuntimeError("database hiccup")

    h = await batch_harness(["a", "flaky", "b"], flaky)
    await eventually(lambda: _true(["flaky"] in h.calls and failures["flaky"] == 0 and h.calls[-1] == ["flaky"]))
    await eventually(lambda: _eq(pending(h), 0))  # type: ignore[arg-type]
    assert sorted(await h.outputs()) == ["a", "b", "flaky"]  # each published exactly once
    assert h.calls.count(["a"]) == 1 and h.calls.count(["b"]) == 1  # the fallback pass, never again
    assert h.calls.count(["flaky"]) == 3
    assert await h.redis.xlen(streams.dead_letter(h.stage.stage)) == 0
    assert await h.redis.hlen(f"sahelwatch:attempts:{h.stage.stage}") == 0


async def test_redelivered_batch_that_was_published_publishes_nothing_new(batch_harness) -> None:  # type: ignore[no-untyped-def]
    h = await batch_harness(["a", "b", "c"], lambda names: None)
    await eventually(lambda: _eq(h.redis.xlen(h.out), 3))
    await eventually(lambda: _eq(pending(h), 0))  # type: ignore[arg-type]
    calls_before = len(h.calls)
    for n in ["a", "b", "c"]:  # the same messages again, as a redelivery would bring them
        await h.redis.xadd(h.stream, {"__data__": json.dumps({"n": n}).encode()})
    await eventually(lambda: _true(sum(len(c) for c in h.calls[calls_before:]) == 3))
    await eventually(lambda: _eq(pending(h), 0))  # type: ignore[arg-type]
    assert sorted(await h.outputs()) == ["a", "b", "c"]
