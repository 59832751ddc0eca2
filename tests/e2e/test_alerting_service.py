"""The alerting service alone, fed geocoded records on its stream, delivering to a real Alertmanager.

A later report that raises the toll past a rule's next threshold gives exactly one follow-up alert;
the same report delivered again changes nothing, in MongoDB, on the streams or in Alertmanager.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis
from e2e_helpers import metric, wait_until
from pymongo import MongoClient

from sahelwatch import storage, streams
from sahelwatch.contracts import IncidentRecord, Location
from sahelwatch.localstack import LocalServers
from sahelwatch.settings import Settings
from services import stack

pytestmark = pytest.mark.e2e

REDIS_DB = 8
PUBLISHED = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)


@dataclass
class Alerting:
    state: stack.StackState
    db: Any
    redis: redis.Redis
    alertmanager: str

    def feed(self, record: IncidentRecord) -> None:
        self.redis.xadd(streams.GEOCODED, {"__data__": record.model_dump_json()})

    def redelivered(self) -> float:
        url = str(self.state.services["alerting"]["url"])
        return metric(url, "sahelwatch_messages_redelivered_total", 'stage="alerting"')

    def am_alerts(self, incident_id: str) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{self.alertmanager}/api/v2/alerts", params={"filter": f'incident_id="{incident_id}"'}, timeout=5
        )
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        return found


def report(article: str, fatalities: int, published: datetime) -> IncidentRecord:
    return IncidentRecord(
        trace_id=uuid.uuid4().hex,
        stamps={"ingested": published},
        record_id=f"{article}:0",
        article_id=article,
        url=f"https://news.example.org/{article}",
        source=f"Outlet {article}",
        published_at=published,
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        event_date=datetime(2026, 3, 10).date(),
        time_precision=1,
        location=Location(
            name="Gao",
            admin1="Gao",
            country="Mali",
            country_code="ML",
            latitude=16.27,
            longitude=-0.04,
            geo_precision=2,
        ),
        fatalities=fatalities,
        summary=f"IED near Gao, {fatalities} killed",
        confidence=0.8,
    )


@pytest.fixture(scope="module")
def alerting(servers: LocalServers, alertmanager: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Alerting]:
    redis_url = f"{servers.redis_url.rsplit('/', 1)[0]}/{REDIS_DB}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    mongo_db = f"alerting_{uuid.uuid4().hex[:8]}"
    settings = Settings(redis_url=redis_url, mongo_url=servers.mongo_url, state_dir=tmp_path_factory.mktemp("al"))
    env = {"SAHELWATCH_MONGO_DB": mongo_db, "SAHELWATCH_ALERTMANAGER_URL": alertmanager}
    state = stack.up(settings, stages=("alerting",), extra_env=env)
    mongo: MongoClient[storage.Doc] = MongoClient(servers.mongo_url, tz_aware=True)
    try:
        yield Alerting(state, mongo[mongo_db], client, alertmanager)
    finally:
        stack.down(settings)
        mongo.drop_database(mongo_db)
        mongo.close()
        client.flushdb()
        client.close()


def test_toll_update_gives_one_follow_up_alert_and_redelivery_none(alerting: Alerting) -> None:
    first = report("art-first", 7, PUBLISHED)
    alerting.feed(first)
    incident = wait_until(lambda: alerting.db[storage.INCIDENTS].find_one({"sources.record_id": first.record_id}))
    incident_id = incident["_id"]
    wait_until(lambda: len(alerting.am_alerts(incident_id)) == 1, what="the first alert in Alertmanager")
    (am_first,) = alerting.am_alerts(incident_id)
    assert am_first["labels"]["rule"] == "deadly-incident" and am_first["labels"]["severity"] == "warning"

    # A second outlet, a day later, with the revised toll: same incident, version 2, one follow-up.
    revised = report("art-revised", 23, PUBLISHED + timedelta(days=1))
    alerting.feed(revised)
    wait_until(lambda: len(alerting.am_alerts(incident_id)) == 2, what="the follow-up in Alertmanager")
    stored = alerting.db[storage.INCIDENTS].find_one({"_id": incident_id})
    assert stored["version"] == 2 and stored["fatalities"] == 23 and len(stored["sources"]) == 2
    alerts = list(alerting.db[storage.ALERTS].find({"incident_id": incident_id}))
    assert sorted(a["follow_up"] for a in alerts) == [False, True]
    assert {a["severity"] for a in alerts} == {"warning", "critical"}
    wait_until(lambda: all(a["delivered"] for a in alerting.db[storage.ALERTS].find({})), what="deliveries")

    # The revised report delivered again: nothing new anywhere.
    before = alerting.redelivered()
    lengths = {s: alerting.redis.xlen(s) for s in (streams.INCIDENTS, streams.ALERTS)}
    alerting.feed(revised)
    wait_until(lambda: alerting.redelivered() > before, what="the redelivery to be handled")
    assert alerting.db[storage.ALERTS].count_documents({"incident_id": incident_id}) == 2
    assert {s: alerting.redis.xlen(s) for s in lengths} == lengths
    assert len(alerting.am_alerts(incident_id)) == 2
    assert alerting.db[storage.INCIDENTS].find_one({"_id": incident_id})["version"] == 2
