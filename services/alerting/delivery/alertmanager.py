"""Prometheus Alertmanager v2 API: ``POST /api/v2/alerts``.

Alertmanager identifies an alert by its label set, so labels hold only stable facts (rule,
incident, severity, place); re-posting the same alert refreshes it instead of duplicating it. A
follow-up at a higher severity is a separate alert. ``endsAt`` is set ``ttl`` after posting, so an
alert stays active that long without being re-sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import httpx

from sahelwatch.contracts import Alert, Kind
from services.alerting.delivery.retry import DeliveryResult, RetryPolicy, send_with_retry

CHANNEL = "alertmanager"
DEFAULT_TTL = timedelta(hours=24)


def _rfc3339(value: datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_alertmanager(
    alert: Alert,
    *,
    now: datetime | None = None,
    ttl: timedelta = DEFAULT_TTL,
    generator_url: str | None = None,
) -> dict[str, object]:
    """One Alertmanager v2 ``postableAlert`` for ``alert``."""
    inc = alert.incident
    loc = inc.location
    labels = {
        "alertname": "SahelwatchAdvisory" if inc.kind == Kind.advisory else "SahelwatchIncident",
        "severity": alert.severity,
        "rule": alert.rule,
        "incident_id": alert.incident_id,
        "event_type": inc.event_type or "",
        "sub_event_type": inc.sub_event_type or "",
        "admin1": (loc.admin1 if loc else None) or "",
        "location": (loc.name if loc else None) or "",
    }
    sources = [s.url or s.article or s.outlet or s.article_id for s in inc.sources]
    details = [alert.reason]
    if inc.event_date:
        details.append(f"date {inc.event_date.isoformat()}")
    if inc.fatalities is not None:
        high = f" (up to {inc.fatalities_high})" if (inc.fatalities_high or 0) > inc.fatalities else ""
        details.append(f"fatalities {inc.fatalities}{high}")
    if loc and loc.latitude is not None and loc.longitude is not None:
        details.append(f"at {loc.latitude:.4f},{loc.longitude:.4f} (geo precision {loc.geo_precision})")
    copies = len(inc.sources) - inc.report_count
    also = f" (+{copies} syndicated cop{'y' if copies == 1 else 'ies'})" if copies > 0 else ""
    details.append(f"incident version {alert.incident_version}, {inc.report_count} report(s){also}")
    payload: dict[str, object] = {
        "labels": {k: v for k, v in labels.items() if v},
        "annotations": {
            "summary": alert.title,
            "description": "; ".join(details),
            "sources": "\n".join(sources),
            "alert_id": alert.alert_id,
        },
        "startsAt": _rfc3339(alert.created_at),
        "endsAt": _rfc3339(max(now or datetime.now(UTC), alert.created_at) + ttl),
    }
    link = (
        generator_url.format(incident_id=alert.incident_id)
        if generator_url
        else next((s.url for s in inc.sources if s.url and s.url.startswith(("http://", "https://"))), None)
    )
    if link:
        payload["generatorURL"] = link
    return payload


async def post_alerts(
    base_url: str,
    alerts: Sequence[Alert],
    *,
    retry: RetryPolicy | None = None,
    client: httpx.AsyncClient | None = None,
    request_timeout: float = 5.0,
    ttl: timedelta = DEFAULT_TTL,
    generator_url: str | None = None,
    count: bool = True,
) -> DeliveryResult:
    """Post ``alerts`` in one request, retried per ``retry`` (default: 5 attempts, 0.5 s base)."""
    target = base_url.rstrip("/") + "/api/v2/alerts"
    body = [to_alertmanager(a, ttl=ttl, generator_url=generator_url) for a in alerts]
    policy = retry or RetryPolicy()

    async def attempt(_: int) -> httpx.Response:
        if client is not None:
            return await client.post(target, json=body, timeout=request_timeout)
        async with httpx.AsyncClient(timeout=request_timeout) as own:
            return await own.post(target, json=body)

    return await send_with_retry(CHANNEL, target, attempt, policy, count=count)
