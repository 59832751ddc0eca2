"""RSS polling against a real HTTP server, the real MongoDB and the real Redis.

The feed server is a local ``http.server`` that honours ETags, serves article pages, and can be
told to fail; polls are triggered by calling ``poll_all`` (the schedule itself is not waited on).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import pytest
from feed_server import FeedServer, item, serve_feed
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from sahelwatch import storage, streams
from sahelwatch.localstack import LocalServers
from sahelwatch.messaging import Publisher, make_broker
from sahelwatch.settings import Settings
from sahelwatch.telemetry import REGISTRY
from services.ingest.poller import FEEDS, FeedPoller
from services.ingest.service import IngestService

pytestmark = pytest.mark.integration

FEED_REDIS_DB = 6
LONG_ENTRY = (
    "Gunmen on motorbikes attacked the weekly market of Dioura on Tuesday, killing four traders and "
    "wounding seven others, the mayor said. The attackers set fire to several stalls and took cattle "
    "before fleeing towards the forest. Residents said it was the second attack on the market this "
    "year. The army sent reinforcements from Diabaly on Wednesday morning and searched the nearby "
    "villages. No group has claimed the attack, which comes after weeks of threats against traders "
    "who refused to pay a levy imposed by armed men in the area. Traders said they would not reopen "
    "their stalls until the army sets up a permanent post in the town."
)
TEASER = "Soldiers repelled an attack on their camp near Boni, the army said."


class Ingest(IngestService):
    redis: Redis

    async def published_urls(self) -> list[str]:
        return [json.loads(fields[b"__data__"])["url"] for _id, fields in await self.redis.xrange(streams.ARTICLES)]


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with serve_feed() as server:
        yield server


@pytest.fixture
async def ingest(servers: LocalServers, mongo_db: AsyncDatabase[storage.Doc]) -> AsyncIterator[Ingest]:
    redis_url = servers.redis_url.rsplit("/", 1)[0] + f"/{FEED_REDIS_DB}"
    broker = make_broker(Settings(redis_url=redis_url, mongo_url=servers.mongo_url))
    await broker.connect()
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    service = Ingest(mongo_db, Publisher(broker, 10_000))
    service.redis = redis
    try:
        yield service
    finally:
        await redis.flushdb()
        await redis.aclose()
        await broker.stop()


def counter(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_feed_entries_are_ingested_once_with_full_pages_and_conditional_requests(
    feed_server: FeedServer, ingest: Ingest
) -> None:
    feed_server.items = [
        item("/b.html", "Camp attack repelled", TEASER, 17),
        item("/a.html", "Market attacked", LONG_ENTRY, 16),
        item("/c.html", "Broken page", "Short teaser.", 15),
    ]
    feed_server.broken_pages = {"/c.html"}
    feed = f"{feed_server.base}/feed.xml"
    poller = FeedPoller(ingest, [feed])
    articles = ingest.articles
    fetch_failures = counter("sahelwatch_feed_entries_failed_total", reason="fetch")
    try:
        (first,) = await poller.poll_all()
        assert (first.status, first.entries, len(first.accepted), first.failed) == ("ok", 3, 2, 1)

        a = await articles.find_one({"url": f"{feed_server.base}/a.html"})
        b = await articles.find_one({"url": f"{feed_server.base}/b.html"})
        assert a is not None and b is not None
        assert "weekly market of Dioura" in a["text"] and a["source"] == "Sahel Wire (test)"
        assert "Three attackers were killed" in b["text"]  # the page, not the feed's teaser
        assert "newsletter" not in b["text"]
        assert str(b["published_at"]).startswith("2026-11-17")
        # the long entry was ingested from the feed alone: its page was never fetched
        assert ("/a.html", None) not in feed_server.requests
        assert await ingest.published_urls() == [f"{feed_server.base}/a.html", f"{feed_server.base}/b.html"]
        assert counter("sahelwatch_feed_entries_failed_total", reason="fetch") == fetch_failures + 1

        state = await ingest.articles.database[FEEDS].find_one({"_id": feed})
        assert state is not None
        assert (state["etag"], state["last_status"], state["accepted"], state["failed"]) == ('"v1"', "ok", 2, 1)

        (second,) = await poller.poll_all()  # unchanged feed: a conditional GET answered 304
        assert second.status == "not_modified"
        assert feed_server.requests[-1] == ("/feed.xml", '"v1"')

        feed_server.etag = '"v2"'
        feed_server.broken_pages = set()
        feed_server.items.insert(0, item("/d.html", "Another report", TEASER, 18))
        fetched_before = len(feed_server.requests)
        (third,) = await poller.poll_all()
        assert (third.status, len(third.accepted), third.skipped, third.failed) == ("ok", 2, 2, 0)
        # the stored entries were skipped without fetching their pages again
        assert [p for p, _ in feed_server.requests[fetched_before:]] == ["/feed.xml", "/c.html", "/d.html"]
        assert await articles.count_documents({}) == 4
    finally:
        await poller.stop()


async def test_a_feed_that_is_down_is_counted_and_retried_next_round(feed_server: FeedServer, ingest: Ingest) -> None:
    feed_server.items = [item("/a.html", "Market attacked", LONG_ENTRY, 16)]
    feed_server.fail_feed = True
    feed = f"{feed_server.base}/feed.xml"
    poller = FeedPoller(ingest, [feed, "http://127.0.0.1:9/nothing-listens-here.xml"])
    errors = counter("sahelwatch_feed_polls_total", outcome="error")
    try:
        down, unreachable = await poller.poll_all()
        assert down.status == "error" and "HTTP 503" in (down.error or "")
        assert unreachable.status == "error" and "ConnectError" in (unreachable.error or "")
        assert counter("sahelwatch_feed_polls_total", outcome="error") == errors + 2
        assert await ingest.articles.count_documents({}) == 0

        feed_server.fail_feed = False
        recovered, _ = await poller.poll_all()
        assert recovered.status == "ok" and len(recovered.accepted) == 1
        status = {doc["_id"]: doc for doc in await poller.status()}
        assert status[feed]["last_error"] is None and status[feed]["polls"] == 2
        assert "ConnectError" in status["http://127.0.0.1:9/nothing-listens-here.xml"]["last_error"]
    finally:
        await poller.stop()
