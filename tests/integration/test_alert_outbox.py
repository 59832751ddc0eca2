"""The alert outbox against the real MongoDB: backoff between attempts, dead letter after the budget.

Time is passed explicitly to ``deliver_due`` (the outbox compares it with each delivery's
``next_at``), so the test steps through the backoff schedule without sleeping. The channels are
scripted receivers; the HTTP channels themselves are tested against real servers in
``test_alert_delivery.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

from sahelwatch import storage
from sahelwatch.contracts import Alert, IncidentRecord, Location
from sahelwatch.settings import Settings
from sahelwatch.telemetry import REGISTRY
from services.alerting.merge import new_incident
from services.alerting.outbox import MAX_ATTEMPTS, AlertOutbox, backoff
from services.alerting.rules import load_rules

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


class ScriptedChannel:
    """A receiver that refuses the first ``failures`` deliveries, then accepts."""

    def __init__(self, name: str, failures: int) -> None:
        self.name, self.failures = name, failures
        self.calls: list[str] = []
        self.accepted: list[str] = []

    async def send(self, alert: Alert) -> None:
        self.calls.append(alert.alert_id)
        if len(self.calls) <= self.failures:
            raise ConnectionError(f"{self.name}: 503 Service Unavailable (call {len(self.calls)})")
        self.accepted.append(alert.alert_id)


def an_alert() -> Alert:
    record = IncidentRecord(
        trace_id="t-outbox",
        record_id="outbox-a:0",
        article_id="outbox-a",
        url="https://news.example/outbox-a",
        published_at=T0,
        event_type="Violence against civilians",
        sub_event_type="Attack",
        event_date=T0.date(),
        time_precision=1,
        location=Location(name="Gao", admin1="Gao", country_code="ML", latitude=16.27, longitude=-0.04),
        fatalities=9,
    )
    (alert,) = load_rules().evaluate(new_incident(record, T0))
    return alert


def counted(channel: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("sahelwatch_alert_deliveries_total", {"channel": channel, "outcome": outcome})
    return value or 0.0


async def stored_state(db: AsyncDatabase[storage.Doc], alert: Alert) -> storage.Doc:
    doc = await db["alerts"].find_one({"_id": alert.alert_id})
    assert doc is not None
    return doc


async def test_backoff_spaces_the_attempts_and_a_recovered_receiver_gets_one_delivery(
    mongo_db: AsyncDatabase[storage.Doc],
) -> None:
    flaky, healthy = ScriptedChannel("flaky", failures=2), ScriptedChannel("healthy", failures=0)
    outbox = AlertOutbox(mongo_db["alerts"], Settings(), channels=[flaky, healthy], base_delay=10.0)
    alert = an_alert()
    await mongo_db["alerts"].insert_one(outbox.new_doc(alert))
    retries_before = counted("flaky", "retry")

    assert await outbox.deliver_due(T0) == 1  # healthy accepts, flaky refuses
    doc = await stored_state(mongo_db, alert)
    assert doc["delivered"] is False
    assert doc["deliveries"]["healthy"]["status"] == "ok"
    flaky_state = doc["deliveries"]["flaky"]
    assert (flaky_state["status"], flaky_state["attempts"]) == ("pending", 1)
    assert "503" in flaky_state["error"]
    assert flaky_state["next_at"] == (T0 + timedelta(seconds=10)).isoformat()

    assert await outbox.deliver_due(T0 + timedelta(seconds=9)) == 0  # not due yet: nobody is called
    assert len(flaky.calls) == 1 and len(healthy.calls) == 1

    await outbox.deliver_due(T0 + timedelta(seconds=10))  # second refusal: the wait doubles
    flaky_state = (await stored_state(mongo_db, alert))["deliveries"]["flaky"]
    assert flaky_state["attempts"] == 2
    assert flaky_state["next_at"] == (T0 + timedelta(seconds=10 + 20)).isoformat()
    assert counted("flaky", "retry") == retries_before + 2

    assert await outbox.deliver_due(T0 + timedelta(seconds=30)) == 1
    doc = await stored_state(mongo_db, alert)
    assert doc["delivered"] is True and doc["deliveries"]["flaky"]["status"] == "ok"
    assert doc["deliveries"]["flaky"]["error"] is None

    assert await outbox.deliver_due(T0 + timedelta(days=1)) == 0  # delivered alerts are left alone
    assert flaky.accepted == [alert.alert_id] and healthy.accepted == [alert.alert_id]
    assert len(healthy.calls) == 1


async def test_a_spent_budget_dead_letters_the_delivery_once(mongo_db: AsyncDatabase[storage.Doc]) -> None:
    down = ScriptedChannel("down", failures=10 * MAX_ATTEMPTS)
    letters: list[tuple[str, str, str, int]] = []

    async def dead_letter(alert: Alert, channel: str, error: str, attempts: int) -> None:
        letters.append((alert.alert_id, channel, error, attempts))

    outbox = AlertOutbox(mongo_db["alerts"], Settings(), channels=[down], dead_letter=dead_letter, base_delay=1.0)
    alert = an_alert()
    await mongo_db["alerts"].insert_one(outbox.new_doc(alert))
    failed_before = counted("down", "failed")

    now = T0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        await outbox.deliver_due(now)
        assert len(down.calls) == attempt
        now += backoff(attempt, 1.0)

    doc = await stored_state(mongo_db, alert)
    assert doc["deliveries"]["down"]["status"] == "failed"
    assert doc["deliveries"]["down"]["attempts"] == MAX_ATTEMPTS
    assert doc["delivered"] is True  # nothing pending any more: the outbox stops trying
    assert letters == [(alert.alert_id, "down", doc["deliveries"]["down"]["error"], MAX_ATTEMPTS)]
    assert counted("down", "failed") == failed_before + 1

    await outbox.deliver_due(now + timedelta(days=30))
    assert len(down.calls) == MAX_ATTEMPTS and len(letters) == 1


async def test_an_outbox_restarted_after_a_crash_resumes_from_the_stored_state(
    mongo_db: AsyncDatabase[storage.Doc],
) -> None:
    first = ScriptedChannel("hook", failures=1)
    alert = an_alert()
    outbox = AlertOutbox(mongo_db["alerts"], Settings(), channels=[first], base_delay=5.0)
    await mongo_db["alerts"].insert_one(outbox.new_doc(alert))
    await outbox.deliver_due(T0)

    # a new process (new outbox, new channel object) picks the schedule up from MongoDB
    second = ScriptedChannel("hook", failures=0)
    restarted = AlertOutbox(mongo_db["alerts"], Settings(), channels=[second], base_delay=5.0)
    assert await restarted.deliver_due(T0 + timedelta(seconds=4)) == 0
    assert await restarted.deliver_due(T0 + timedelta(seconds=5)) == 1
    doc = await stored_state(mongo_db, alert)
    hook = doc["deliveries"]["hook"]
    assert (hook["status"], hook["attempts"], hook["error"]) == ("ok", 2, None)
    assert second.accepted == [alert.alert_id]
