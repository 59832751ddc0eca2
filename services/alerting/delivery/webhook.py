"""Generic webhooks signed with HMAC-SHA256.

The body is the alert's JSON, byte for byte what was signed. Headers:
``X-Sahelwatch-Signature: sha256=<hex of HMAC-SHA256(secret, body)>``, ``X-Sahelwatch-Delivery``
(stable for one alert and URL across retries, so receivers can de-duplicate), ``X-Sahelwatch-Attempt``.
"""

from __future__ import annotations

import hashlib
import hmac

import httpx

from sahelwatch.contracts import Alert
from services.alerting.delivery.retry import DeliveryResult, RetryPolicy, send_with_retry

CHANNEL = "webhook"
SIGNATURE_HEADER = "X-Sahelwatch-Signature"
DELIVERY_HEADER = "X-Sahelwatch-Delivery"
ATTEMPT_HEADER = "X-Sahelwatch-Attempt"


def sign(body: bytes, secret: str) -> str:
    """The signature header value for ``body``: ``sha256=<hex>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` (constant-time comparison)."""
    return header is not None and hmac.compare_digest(sign(body, secret), header.strip())


def delivery_id(alert: Alert, url: str) -> str:
    return "dlv-" + hashlib.sha1(f"{alert.alert_id}|{url}".encode()).hexdigest()[:20]


async def deliver(
    url: str,
    alert: Alert,
    secret: str,
    retry: RetryPolicy | None = None,
    *,
    client: httpx.AsyncClient | None = None,
    request_timeout: float = 5.0,
    count: bool = True,
) -> DeliveryResult:
    """POST the signed alert to ``url``, retried per ``retry``; never raises on HTTP failure."""
    body = alert.model_dump_json().encode()
    ident = delivery_id(alert, url)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(body, secret),
        DELIVERY_HEADER: ident,
    }

    async def attempt(n: int) -> httpx.Response:
        sent = {**headers, ATTEMPT_HEADER: str(n)}
        if client is not None:
            return await client.post(url, content=body, headers=sent, timeout=request_timeout)
        async with httpx.AsyncClient(timeout=request_timeout) as own:
            return await own.post(url, content=body, headers=sent)

    return await send_with_retry(CHANNEL, url, attempt, retry or RetryPolicy(), delivery_id=ident, count=count)
