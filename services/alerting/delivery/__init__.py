"""Alert delivery: Prometheus Alertmanager and signed webhooks, with bounded retries."""

from services.alerting.delivery.alertmanager import post_alerts, to_alertmanager
from services.alerting.delivery.channels import (
    AlertmanagerChannel,
    Channel,
    WebhookChannel,
    channels_from_settings,
)
from services.alerting.delivery.retry import DeliveryFailed, DeliveryResult, RetryPolicy, send_with_retry
from services.alerting.delivery.webhook import deliver, sign, signed_message, verify

__all__ = [
    "AlertmanagerChannel",
    "Channel",
    "DeliveryFailed",
    "DeliveryResult",
    "RetryPolicy",
    "WebhookChannel",
    "channels_from_settings",
    "deliver",
    "post_alerts",
    "send_with_retry",
    "sign",
    "signed_message",
    "to_alertmanager",
    "verify",
]
