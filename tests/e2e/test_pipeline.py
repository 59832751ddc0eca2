"""End to end: the four services as processes over the real Redis and MongoDB.

Posts the seeds and two reports of one incident of our own, waits on the pipeline's bookkeeping
(never a fixed sleep), then asserts on MongoDB and on the ``incidents`` and ``alerts`` streams.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from e2e_helpers import metric, wait_until
from feed_server import FeedServer, item, serve_feed
from pymongo import MongoClient

from sahelwatch import storage, streams
from sahelwatch.localstack import LocalServers
from sahelwatch.settings import Settings
from services import stack
from services.ingest.client import content_type

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
OWN = [ROOT / "tests" / "fixtures" / "articles" / name for name in ("gao_ied_a.txt", "gao_ied_b.txt")]
E2E_REDIS_DB = 7
GAZETTEER = ROOT / "tests" / "fixtures" / "gazetteer"


@dataclass
class Stack:
    state: stack.StackState
    db: Any
    redis: redis.Redis
    ingest: httpx.Client
    accepted: dict[str, str]  # file name -> article_id
    feed: FeedServer  # an RSS feed the ingest service polls (empty at start)

    def metric(self, stage: str, name: str, labels: str = "") -> float:
        return metric(str(self.state.services[stage]["url"]), name, labels)


def articles_done(db: Any, article_ids: list[str]) -> bool:
    return db[storage.ARTICLES].count_documents(storage.not_through_pipeline(article_ids)) == 0


@pytest.fixture(scope="module")
def e2e(servers: LocalServers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with serve_feed() as feed:
        yield from _stack(servers, tmp_path_factory, feed)


def _stack(servers: LocalServers, tmp_path_factory: pytest.TempPathFactory, feed: FeedServer) -> Iterator[Stack]:
    base_redis = servers.redis_url.rsplit("/", 1)[0]
    redis_url = f"{base_redis}/{E2E_REDIS_DB}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    mongo_db = f"e2e_{uuid.uuid4().hex[:8]}"
    settings = Settings(
        redis_url=redis_url,
        mongo_url=servers.mongo_url,
        mongo_db=mongo_db,
        state_dir=tmp_path_factory.mktemp("stack"),
    )
    env = {
        "SAHELWATCH_MONGO_DB": mongo_db,
        "SAHELWATCH_RECLAIM_IDLE_MS": "1000",
        "SAHELWATCH_MAX_ATTEMPTS": "2",
        "SAHELWATCH_FEEDS": json.dumps([f"{feed.base}/feed.xml"]),
        "SAHELWATCH_FEED_INTERVAL_S": "3600",  # polled once at start (empty feed), then on demand
        # the project's own gazetteer fixture: the same places with or without ../shared beside the clone
        "SAHELWATCH_GAZETTEER_PATH": str(GAZETTEER / "mali_fixture.txt"),
        "SAHELWATCH_ADMIN_POLYGONS_PATH": str(GAZETTEER / "cercles.geojson"),
    }
    state = stack.up(settings, extra_env=env)
    mongo: MongoClient[storage.Doc] = MongoClient(servers.mongo_url, tz_aware=True)
    ingest = httpx.Client(base_url=state.ingest_url, timeout=30)
    try:
        accepted: dict[str, str] = {}
        for path in [*SEEDS, *OWN]:
            response = ingest.post("/articles", content=path.read_bytes(), headers={"content-type": content_type(path)})
            assert response.status_code == 202, response.text
            accepted[path.name] = response.json()["article_id"]
        db = mongo[mongo_db]
        wait_until(lambda: articles_done(db, list(accepted.values())), 90, "every article through alerting")
        yield Stack(state, db, client, ingest, accepted, feed)
    finally:
        ingest.close()
        stack.down(settings)
        mongo.drop_database(mongo_db)
        mongo.close()
        client.flushdb()
        client.close()


def stream_entries(client: redis.Redis, stream: str) -> list[dict[str, Any]]:
    """Documents on a stream: ``__data__`` is the plain JSON document (docs/contracts.md)."""
    return [json.loads(fields[b"__data__"]) for _id, fields in client.xrange(stream)]


def test_every_article_is_stored_once(e2e: Stack) -> None:
    assert e2e.db[storage.ARTICLES].count_documents({}) == len(SEEDS) + len(OWN)
    assert all(d["published"] for d in e2e.db[storage.ARTICLES].find({}, {"published": 1}))


def test_kati_is_geocoded_in_koulikoro(e2e: Stack) -> None:
    kati = list(e2e.db[storage.GEOCODED].find({"location.name": "Kati"}))
    assert kati, "no geocoded record at Kati"
    loc = kati[0]["location"]
    assert loc["admin1"] == "Koulikoro"
    assert abs(loc["latitude"] - 12.74) < 0.1 and abs(loc["longitude"] - (-8.07)) < 0.1


def test_advisories_reach_alerting(e2e: Stack) -> None:
    advisories = list(e2e.db[storage.INCIDENTS].find({"kind": "advisory"}))
    assert len(advisories) >= 2
    rules = {a["rule"] for a in e2e.db[storage.ALERTS].find({})}
    assert "security-advisory" in rules


def test_two_reports_make_one_incident_with_two_sources(e2e: Stack) -> None:
    ids = {e2e.accepted["gao_ied_a.txt"], e2e.accepted["gao_ied_b.txt"]}
    merged = list(e2e.db[storage.INCIDENTS].find({"sources.article_id": {"$in": list(ids)}}))
    assert len(merged) == 1, [m["_id"] for m in merged]
    incident = merged[0]
    assert {s["article_id"] for s in incident["sources"]} == ids
    assert incident["sub_event_type"] == "Remote explosive/landmine/IED"
    assert incident["fatalities"] == 4
    assert incident["event_date"] == "2026-03-10"
    assert incident["location"]["name"] == "Gao"
    published = [m for m in stream_entries(e2e.redis, streams.INCIDENTS) if m["incident_id"] == incident["_id"]]
    assert published and max(len(m["sources"]) for m in published) == 2


def test_alerts_are_stored_and_published(e2e: Stack) -> None:
    stored = {a["_id"] for a in e2e.db[storage.ALERTS].find({})}
    on_stream = {m["alert_id"] for m in stream_entries(e2e.redis, streams.ALERTS)}
    assert stored and stored == on_stream


def test_redelivered_message_changes_nothing(e2e: Stack) -> None:
    before_incidents = list(e2e.db[storage.INCIDENTS].find({}, {"version": 1, "sources": 1}).sort("_id"))
    before_alerts = e2e.db[storage.ALERTS].count_documents({})
    lengths = {s: e2e.redis.xlen(s) for s in (streams.EXTRACTED, streams.INCIDENTS, streams.ALERTS)}
    redelivered = {
        stage: e2e.metric(stage, "sahelwatch_messages_redelivered_total") for stage in ("extraction", "alerting")
    }
    # The very same messages again, byte for byte (no stage may publish anything new downstream).
    for stream in (streams.ARTICLES, streams.GEOCODED):
        _id, fields = e2e.redis.xrange(stream, count=1)[0]
        e2e.redis.xadd(stream, fields)
    wait_until(
        lambda: all(e2e.metric(s, "sahelwatch_messages_redelivered_total") > redelivered[s] for s in redelivered),
        30,
        "both redelivered messages handled",
    )
    assert list(e2e.db[storage.INCIDENTS].find({}, {"version": 1, "sources": 1}).sort("_id")) == before_incidents
    assert e2e.db[storage.ALERTS].count_documents({}) == before_alerts
    for stream, length in lengths.items():
        assert e2e.redis.xlen(stream) == length, stream


def test_poison_message_is_dead_lettered_and_pipeline_goes_on(e2e: Stack) -> None:
    e2e.redis.xadd(streams.ARTICLES, {"__data__": b"this is not an article"})
    letters = wait_until(lambda: e2e.redis.xrange(streams.dead_letter("extraction")), 30, "a dead letter")
    letter = json.loads(letters[-1][1][b"__data__"])
    assert letter["stage"] == "extraction" and "invalid" in letter["error"]
    assert e2e.metric("extraction", "sahelwatch_dead_letters_total") >= 1
    text = (
        "URL: https://example.org/e2e/after-poison\nDate: 2026-04-02\n\n"
        "Gunmen killed three civilians in an attack on a village near Mopti on Monday, local officials said."
    )
    response = e2e.ingest.post("/articles", content=text, headers={"content-type": "text/plain"})
    assert response.status_code == 202
    article_id = response.json()["article_id"]
    wait_until(lambda: articles_done(e2e.db, [article_id]), 30, "the next article through alerting")


@pytest.mark.parametrize(
    ("body", "ctype", "status", "words"),
    [
        (b'{"url": "https://example.org/x", "text": ', "application/json", 400, "JSON"),
        (
            b'{"url": "https://example.org/x", "text": "Gunmen attacked.", "colour": "red"}',
            "application/json",
            422,
            "colour",
        ),
        (b'{"url": "ftp://example.org/x", "text": "Gunmen attacked."}', "application/json", 422, "url"),
        (b'{"url": "https://example.org/x"}', "application/json", 422, "text"),
        (b"%PDF-1.4", "application/pdf", 415, "application/pdf"),
        (b"", "text/plain", 400, "empty"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(e2e: Stack, body: bytes, ctype: str, status: int, words: str) -> None:
    before = e2e.db[storage.ARTICLES].count_documents({})
    stream_before = e2e.redis.xlen(streams.ARTICLES)
    response = e2e.ingest.post("/articles", content=body, headers={"content-type": ctype})
    assert response.status_code == status, response.text
    assert words.lower() in response.json()["error"].lower()
    assert e2e.db[storage.ARTICLES].count_documents({}) == before
    assert e2e.redis.xlen(streams.ARTICLES) == stream_before


def test_oversized_article_is_refused(e2e: Stack) -> None:
    body = b"Gunmen attacked a village. " * 100_000
    response = e2e.ingest.post("/articles", content=body, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert "limit" in response.json()["error"]


def test_exact_duplicate_is_answered_not_republished(e2e: Stack) -> None:
    path = SEEDS[0]
    length = e2e.redis.xlen(streams.ARTICLES)
    response = e2e.ingest.post("/articles", content=path.read_bytes(), headers={"content-type": "text/plain"})
    assert response.status_code == 200
    assert response.json() == {
        "article_id": e2e.accepted[path.name],
        "status": "duplicate",
        "duplicate_of": e2e.accepted[path.name],
    }
    assert e2e.redis.xlen(streams.ARTICLES) == length


def test_services_report_health_and_metrics(e2e: Stack) -> None:
    for stage, info in e2e.state.services.items():
        health = httpx.get(f"{info['url']}/health", timeout=5)
        assert health.status_code == 200 and health.json()["status"] == "ok", stage
        if stage != "ingest":
            assert e2e.metric(stage, "sahelwatch_messages_processed_total") > 0, stage
        assert e2e.metric(stage, "process_resident_memory_bytes") > 0, stage


def test_syndicated_copy_is_kept_as_a_source_but_counted_once(e2e: Stack) -> None:
    original = e2e.accepted["gao_ied_a.txt"]
    header, body = OWN[0].read_text(encoding="utf-8").split("\n\n", 1)
    copy = (
        header.replace("https://sahel-daily.example.org/", "https://wire-mirror.example.net/syndication/").replace(
            "Sahel Daily (example)", "Wire Mirror (example)"
        )
        + "\n\n"
        + body.replace("in a statement on Thursday", "in a statement released on Thursday")
    )
    response = e2e.ingest.post("/articles", content=copy.encode(), headers={"content-type": "text/plain"})
    assert response.status_code == 202, response.text
    assert response.json()["duplicate_of"] == original
    copy_id = response.json()["article_id"]
    wait_until(lambda: articles_done(e2e.db, [copy_id]), 30, "the copy through alerting")

    incident = e2e.db[storage.INCIDENTS].find_one({"sources.article_id": copy_id})
    assert incident is not None
    urls = {s["url"] for s in incident["sources"]}
    assert any(u.startswith("https://wire-mirror.example.net/") for u in urls) and len(urls) == 3
    assert [s["duplicate_of"] for s in incident["sources"] if s["article_id"] == copy_id] == [original]
    assert incident["report_count"] == 2  # gao_ied_a and its copy are one report, gao_ied_b the other
    assert incident["fatalities"] == 4
    published = [m for m in stream_entries(e2e.redis, streams.INCIDENTS) if m["incident_id"] == incident["_id"]]
    assert published[-1]["report_count"] == 2 and len(published[-1]["sources"]) == 3


def test_rss_entry_is_polled_and_becomes_an_incident(e2e: Stack) -> None:
    feed = f"{e2e.feed.base}/feed.xml"
    # the feed carries a teaser only: ingest fetches the page and keeps its main text
    e2e.feed.items = [item("/boni.html", "Camp attack repelled", "Soldiers repelled an attack near Boni.", 16)]
    e2e.feed.etag = '"with-boni"'  # the feed changed since the poll at start
    response = e2e.ingest.post("/feeds/poll")
    assert response.status_code == 200, response.text
    [result] = response.json()
    assert (result["feed"], result["status"], result["accepted"]) == (feed, "ok", 1)
    url = f"{e2e.feed.base}/boni.html"
    article = e2e.db[storage.ARTICLES].find_one({"url": url})
    assert article is not None and article["source"] == "Sahel Wire (test)"
    wait_until(lambda: articles_done(e2e.db, [article["_id"]]), 30, "the feed's article through alerting")
    incident = e2e.db[storage.INCIDENTS].find_one({"sources.url": url})
    assert incident is not None
    assert (incident["location"]["name"], incident["fatalities"], incident["injured"]) == ("Boni", 3, 2)
    assert incident["event_date"] == "2026-11-15"  # "on Sunday night", page published Monday 16 November

    assert e2e.ingest.post("/feeds/poll").json()[0]["status"] == "not_modified"
    [status] = e2e.ingest.get("/feeds").json()
    assert (status["_id"], status["last_status"], status["accepted"]) == (feed, "not_modified", 1)
    assert e2e.metric("ingest", "sahelwatch_articles_received_total", 'via="rss"') == 1
