"""Generic webhooks signed with HMAC-SHA256.

The body is the alert's JSON, byte for byte. Headers: ``X-Sahelwatch-Timestamp`` (Unix seconds
when the attempt was sent), ``X-Sahelwatch-Signature: sha256=<hex of HMAC-SHA256(secret,
timestamp + "." + body)>``, ``X-Sahelwatch-Delivery`` (stable for one alert and URL across retries,
so receivers can de-duplicate) and ``X-Sahelwatch-Attempt``. Signing the timestamp lets a receiver
refuse a captured request replayed later (``verify`` allows ``TOLERANCE_S`` of clock skew).
"""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx

from sahelwatch.contracts import Alert
from services.alerting.delivery.retry import DeliveryResult, RetryPolicy, send_with_retry

CHANNEL = "webhook"
SIGNATURE_HEADER = "X-Sahelwatch-Signature"
DELIVERY_HEADER = "X-Sahelwatch-Delivery"
ATTEMPT_HEADER = "X-Sahelwatch-Attempt"
TIMESTAMP_HEADER = "X-Sahelwatch-Timestamp"
TOLERANCE_S = 300


def sign(message: bytes, secret: str) -> str:
    """``sha256=<hex of HMAC-SHA256(secret, message)>``."""
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_message(body: bytes, timestamp: int | str) -> bytes:
    """What a webhook signature covers: ``<timestamp>.<body>``."""
    return f"{timestamp}.".encode() + body


def verify(
    body: bytes,
    secret: str,
    signature: str | None,
    timestamp: str | None,
    *,
    tolerance_s: float = TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """True when ``signature`` signs ``timestamp.body`` and the timestamp is within ``tolerance_s`` of now.

    Receivers pass the raw body and the two headers; the comparison is constant-time.
    """
    if signature is None or timestamp is None or not timestamp.strip().isdigit():
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance_s:
        return False
    return hmac.compare_digest(sign(signed_message(body, timestamp.strip()), secret), signature.strip())


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
    headers = {"Content-Type": "application/json", DELIVERY_HEADER: ident}

    async def attempt(n: int) -> httpx.Response:
        stamp = str(int(time.time()))  # per attempt: a retry is signed afresh
        sent = {
            **headers,
            ATTEMPT_HEADER: str(n),
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: sign(signed_message(body, stamp), secret),
        }
        if client is not None:
            return await client.post(url, content=body, headers=sent, timeout=request_timeout)
        async with httpx.AsyncClient(timeout=request_timeout) as own:
            return await own.post(url, content=body, headers=sent)

    return await send_with_retry(CHANNEL, url, attempt, retry or RetryPolicy(), delivery_id=ident, count=count)
