"""Delivery channels for the service's outbox: ``name`` plus ``send(alert)`` that raises on failure.

The outbox persists each channel's state and retries across restarts, so channels default to a
single attempt (``RetryPolicy(max_attempts=1)``) and leave counting to the outbox (``count=False``).
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from sahelwatch.contracts import Alert
from sahelwatch.errors import ConfigError
from sahelwatch.settings import Settings
from services.alerting.delivery import alertmanager, webhook
from services.alerting.delivery.retry import DeliveryFailed, RetryPolicy

ONE_ATTEMPT = RetryPolicy(max_attempts=1)


class Channel(Protocol):
    name: str

    async def send(self, alert: Alert) -> None:
        """Deliver once (per the channel's retry policy); raise DeliveryFailed on failure."""
        ...


class AlertmanagerChannel:
    def __init__(self, base_url: str, *, retry: RetryPolicy = ONE_ATTEMPT, count: bool = False) -> None:
        self.name = "alertmanager"
        self.base_url, self.retry, self.count = base_url, retry, count

    async def send(self, alert: Alert) -> None:
        result = await alertmanager.post_alerts(self.base_url, [alert], retry=self.retry, count=self.count)
        if not result.ok:
            raise DeliveryFailed(result)


class WebhookChannel:
    def __init__(self, url: str, secret: str, *, retry: RetryPolicy = ONE_ATTEMPT, count: bool = False) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"webhook URL must be http(s)://host/...: {url!r}")
        self.name = f"webhook:{parts.netloc}{parts.path}"
        self.url, self.secret, self.retry, self.count = url, secret, retry, count

    async def send(self, alert: Alert) -> None:
        result = await webhook.deliver(self.url, alert, self.secret, self.retry, count=self.count)
        if not result.ok:
            raise DeliveryFailed(result)


def channels_from_settings(settings: Settings) -> list[Channel]:
    """Alertmanager (``SAHELWATCH_ALERTMANAGER_URL``) and webhooks (``SAHELWATCH_WEBHOOK_URLS``)."""
    channels: list[Channel] = []
    if settings.alertmanager_url:
        channels.append(AlertmanagerChannel(settings.alertmanager_url))
    if settings.webhook_urls and not settings.webhook_secret:
        raise ConfigError("SAHELWATCH_WEBHOOK_SECRET is required when SAHELWATCH_WEBHOOK_URLS is set")
    channels.extend(WebhookChannel(url, settings.webhook_secret or "") for url in settings.webhook_urls)
    return channels
