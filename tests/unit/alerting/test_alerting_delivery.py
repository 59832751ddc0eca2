"""Delivery building blocks without a network: signatures, backoff, Alertmanager payloads, channels."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sahelwatch.contracts import Alert, IncidentRecord
from sahelwatch.errors import ConfigError
from sahelwatch.settings import Settings
from services.alerting.delivery import (
    DeliveryFailed,
    RetryPolicy,
    WebhookChannel,
    channels_from_settings,
    deliver,
    sign,
    signed_message,
    to_alertmanager,
    verify,
)
from services.alerting.merge import absorb, new_incident
from services.alerting.rules import load_rules

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)
RecordFactory = Callable[..., IncidentRecord]


@pytest.fixture
def alert(record: RecordFactory) -> Alert:
    (raised,) = load_rules().evaluate(new_incident(record("art-a:0", fatalities=7), NOW))
    return raised


def test_sign_and_verify_with_a_timestamp() -> None:
    body = b'{"alert_id":"alt-1"}'
    signature = sign(signed_message(body, 1_800_000_000), "s3cret")
    assert signature.startswith("sha256=") and len(signature) == len("sha256=") + 64
    assert verify(body, "s3cret", signature, "1800000000", now=1_800_000_010)
    assert not verify(body + b" ", "s3cret", signature, "1800000000", now=1_800_000_010)
    assert not verify(body, "other", signature, "1800000000", now=1_800_000_010)
    assert not verify(body, "s3cret", None, "1800000000", now=1_800_000_010)
    assert not verify(body, "s3cret", signature, None, now=1_800_000_010)
    # the timestamp is signed: changing it to replay the request later breaks the signature
    assert not verify(body, "s3cret", signature, "1800000600", now=1_800_000_600)
    # and a replay of the untouched request after the tolerance is refused
    assert not verify(body, "s3cret", signature, "1800000000", now=1_800_000_000 + 301)
    assert verify(body, "s3cret", signature, "1800000000", now=1_800_000_000 + 300)


def test_known_hmac_vector() -> None:
    # RFC 4231 test case 2
    assert sign(b"what do ya want for nothing?", "Jefe") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


def test_backoff_is_exponential_capped_and_bounded() -> None:
    policy = RetryPolicy(max_attempts=6, base_delay=0.5, max_delay=3.0, jitter=0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert policy.budget == pytest.approx(9.5)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_alertmanager_payload_has_incident_labels_and_annotations(alert: Alert) -> None:
    alert.created_at = NOW
    payload = to_alertmanager(alert, now=NOW + timedelta(hours=1), ttl=timedelta(hours=2))
    labels = payload["labels"]
    assert labels == {
        "alertname": "SahelwatchIncident",
        "severity": "warning",
        "rule": "deadly-incident",
        "incident_id": alert.incident_id,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "admin1": "Gao",
        "location": "Gao",
    }
    annotations = payload["annotations"]
    assert isinstance(annotations, dict)
    assert annotations["summary"] == "IED in Gao, 7 killed"
    assert annotations["sources"] == "https://example.org/art-a:0"
    assert "fatalities 7" in annotations["description"]
    assert "1 report(s)" in annotations["description"] and "syndicated" not in annotations["description"]
    assert payload["generatorURL"] == "https://example.org/art-a:0"
    assert (payload["startsAt"], payload["endsAt"]) == ("2026-11-20T23:00:00Z", "2026-11-21T02:00:00Z")
    json.dumps(payload)  # serialisable as is


def test_alertmanager_payload_counts_syndicated_copies_apart(alert: Alert, record: RecordFactory) -> None:
    alert.incident, _ = absorb(alert.incident, record("art-a-copy:0", duplicate_of="art-a"), NOW)
    annotations = to_alertmanager(alert, now=NOW)["annotations"]
    assert isinstance(annotations, dict)
    assert "1 report(s) (+1 syndicated copy)" in annotations["description"]
    assert annotations["sources"] == "https://example.org/art-a:0\nhttps://example.org/art-a-copy:0"


async def test_webhook_sends_signed_body_and_stops_on_permanent_errors(alert: Alert) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, text="bad payload")

    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        result = await deliver(
            "http://hooks.test/in", alert, "k", RetryPolicy(max_attempts=4, sleep=fake_sleep), client=client
        )
    assert not result.ok and result.attempts == 1 and result.status_code == 400 and not result.retryable
    assert sleeps == [] and len(seen) == 1
    request = seen[0]
    headers = request.headers
    assert verify(request.content, "k", headers["X-Sahelwatch-Signature"], headers["X-Sahelwatch-Timestamp"])
    assert request.headers["X-Sahelwatch-Delivery"] == result.delivery_id
    assert json.loads(request.content)["alert_id"] == alert.alert_id


async def test_webhook_retries_server_errors_with_backoff_until_the_budget(alert: Alert) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(503)

    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    policy = RetryPolicy(max_attempts=4, base_delay=1.0, jitter=0, sleep=fake_sleep)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        result = await deliver("http://hooks.test/in", alert, "k", policy, client=client)
    assert (result.ok, result.attempts, result.status_code, result.retryable) == (False, 4, 503, True)
    assert calls == 4 and sleeps == [1.0, 2.0, 4.0]


def test_channels_from_settings() -> None:
    settings = Settings(alertmanager_url="http://am:9093", webhook_urls=["https://x.test/hook"], webhook_secret="s")
    channels = channels_from_settings(settings)
    assert [c.name for c in channels] == ["alertmanager", "webhook:x.test/hook"]
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        channels_from_settings(Settings(webhook_urls=["https://x.test/hook"]))
    with pytest.raises(ConfigError, match="http"):
        WebhookChannel("ftp://x", "s")


async def test_channel_send_raises_delivery_failed(alert: Alert) -> None:
    channel = WebhookChannel("http://127.0.0.1:9/unreachable", "s")  # discard port: refused
    with pytest.raises(DeliveryFailed) as err:
        await channel.send(alert)
    assert err.value.result.attempts == 1 and err.value.result.retryable
