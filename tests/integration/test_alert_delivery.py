"""Alert delivery against real receivers: the Alertmanager binary and a local HTTP server.

No fixed sleeps: every wait polls a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest

from sahelwatch.contracts import Alert, IncidentRecord, Location
from sahelwatch.telemetry import REGISTRY
from services.alerting.delivery import (
    DeliveryFailed,
    RetryPolicy,
    WebhookChannel,
    deliver,
    post_alerts,
    to_alertmanager,
    verify,
)
from services.alerting.merge import new_incident
from services.alerting.rules import load_rules

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
FAST = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.05, jitter=0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def deliveries(channel: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value("sahelwatch_alert_deliveries_total", {"channel": channel, "outcome": outcome})
    return value or 0.0


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        while True:
            if await check():
                return
            await asyncio.sleep(0.05)  # polling an external server: no event to wait on


def make_alert(n: int = 0, fatalities: int = 7) -> Alert:
    record = IncidentRecord(
        trace_id=f"t{n}",
        record_id=f"it-{n}:0",
        article_id=f"it-{n}",
        url=f"https://news.example/it-{n}",
        source="Example News",
        published_at=NOW,
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        event_date=NOW.date(),
        time_precision=1,
        location=Location(
            name="Gao", admin1="Gao", country_code="ML", latitude=16.27, longitude=-0.04, geo_precision=2
        ),
        fatalities=fatalities,
        summary="An IED hit a convoy near Gao.",
    )
    (alert,) = load_rules().evaluate(new_incident(record, NOW))
    return alert


# --------------------------------------------------------------------------- Alertmanager


async def am_alerts(base: str, incident_id: str) -> list[dict[str, object]]:
    async with httpx.AsyncClient() as client:
        response = await client.get(base + "/api/v2/alerts", params={"filter": f'incident_id="{incident_id}"'})
        response.raise_for_status()
        found: list[dict[str, object]] = response.json()
        return found


async def test_alert_posted_to_alertmanager_appears_with_the_incident_labels(alertmanager: str) -> None:
    alert = make_alert(1)
    before = deliveries("alertmanager", "ok")
    result = await post_alerts(alertmanager, [alert], retry=FAST)
    assert result.ok and result.attempts == 1 and result.status_code == 200
    assert deliveries("alertmanager", "ok") == before + 1

    async def listed() -> bool:
        return len(await am_alerts(alertmanager, alert.incident_id)) == 1

    await eventually(listed)
    (found,) = await am_alerts(alertmanager, alert.incident_id)
    labels = found["labels"]
    assert isinstance(labels, dict)
    assert labels == to_alertmanager(alert)["labels"]
    assert labels["incident_id"] == alert.incident_id and labels["rule"] == "deadly-incident"
    annotations = found["annotations"]
    assert isinstance(annotations, dict)
    assert annotations["summary"] == "IED near Gao, 7 killed"
    assert annotations["sources"] == "https://news.example/it-1"
    assert found["generatorURL"] == "https://news.example/it-1"
    status = found["status"]
    assert isinstance(status, dict) and status["state"] == "active"


async def test_reposting_the_same_alert_does_not_duplicate_it(alertmanager: str) -> None:
    alert = make_alert(2)
    assert (await post_alerts(alertmanager, [alert], retry=FAST)).ok
    assert (await post_alerts(alertmanager, [alert], retry=FAST)).ok

    async def listed() -> bool:
        return len(await am_alerts(alertmanager, alert.incident_id)) >= 1

    await eventually(listed)
    assert len(await am_alerts(alertmanager, alert.incident_id)) == 1


async def test_alertmanager_down_fails_after_the_budget_and_counts_it() -> None:
    down = f"http://127.0.0.1:{free_port()}"
    failed, retried = deliveries("alertmanager", "failed"), deliveries("alertmanager", "retry")
    result = await post_alerts(down, [make_alert(3)], retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    assert not result.ok and result.attempts == 3 and result.retryable and result.status_code is None
    assert deliveries("alertmanager", "failed") == failed + 1
    assert deliveries("alertmanager", "retry") == retried + 2


# --------------------------------------------------------------------------- webhooks


@dataclass
class Receiver:
    """A real HTTP server on a local port: answers 500 ``fail_first`` times, then 200."""

    fail_first: int = 0
    requests: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    server: asyncio.Server | None = None

    async def start(self, port: int = 0) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", port)
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = 500 if len(self.requests) < self.fail_first else 200
        self.requests.append((headers, body, status))
        reason = "OK" if status == 200 else "Internal Server Error"
        writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    @property
    def successes(self) -> list[tuple[dict[str, str], bytes, int]]:
        return [r for r in self.requests if r[2] == 200]


async def test_webhook_receiver_failing_twice_gets_exactly_one_signed_delivery() -> None:
    receiver = Receiver(fail_first=2)
    port = await receiver.start()
    alert = make_alert(4)
    retried = deliveries("webhook", "retry")
    try:
        result = await deliver(f"http://127.0.0.1:{port}/hook", alert, "s3cret", FAST)
    finally:
        await receiver.stop()
    assert result.ok and result.attempts == 3 and result.status_code == 200
    assert [r[2] for r in receiver.requests] == [500, 500, 200]
    ((headers, body, _),) = receiver.successes
    stamp = headers["x-sahelwatch-timestamp"]
    assert verify(body, "s3cret", headers["x-sahelwatch-signature"], stamp)
    assert not verify(body, "wrong", headers["x-sahelwatch-signature"], stamp)
    assert Alert.model_validate_json(body).alert_id == alert.alert_id
    assert json.loads(body)["incident"]["incident_id"] == alert.incident_id
    assert {r[0]["x-sahelwatch-delivery"] for r in receiver.requests} == {result.delivery_id}
    assert [r[0]["x-sahelwatch-attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert deliveries("webhook", "retry") == retried + 2


async def test_a_receiver_that_is_down_delays_an_alert_but_does_not_lose_it() -> None:
    port = free_port()
    receiver = Receiver()
    url = f"http://127.0.0.1:{port}/hook"
    alert = make_alert(5)

    # 1. Down for the whole budget: the caller is told, and keeps the alert.
    with pytest.raises(DeliveryFailed) as err:
        await WebhookChannel(url, "k", retry=RetryPolicy(max_attempts=2, base_delay=0.01)).send(alert)
    assert err.value.result.retryable and receiver.requests == []

    # 2. Comes back during the retry window (started from the backoff hook): delivered once.
    async def start_receiver_then_wait(seconds: float) -> None:
        if receiver.server is None:
            await receiver.start(port)
        await asyncio.sleep(min(seconds, 0.01))

    policy = RetryPolicy(max_attempts=4, base_delay=0.01, jitter=0, sleep=start_receiver_then_wait)
    try:
        result = await deliver(url, alert, "k", policy)
    finally:
        await receiver.stop()
    assert result.ok and result.attempts == 2
    ((headers, body, _),) = receiver.successes
    assert len(receiver.requests) == 1 and verify(
        body, "k", headers["x-sahelwatch-signature"], headers["x-sahelwatch-timestamp"]
    )
