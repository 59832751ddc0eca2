"""Bounded retries with exponential backoff, shared by every delivery channel.

A failure is retried when it may pass (network error, timeout, HTTP 408/425/429/5xx); any other
HTTP 4xx is permanent and stops at once. After the budget the caller gets a failed
``DeliveryResult`` (or ``DeliveryFailed`` from a channel) and must keep or dead-letter the alert:
a receiver that is down delays an alert, it never loses it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from sahelwatch import telemetry
from sahelwatch.errors import SahelwatchError

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt ``max_attempts`` times; wait base_delay * factor**(n-1), capped, +/- jitter."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    factor: float = 2.0
    jitter: float = 0.1
    sleep: Sleep = field(default=asyncio.sleep, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay < 0 or self.max_delay < 0 or self.factor < 1:
            raise ValueError(f"invalid retry policy: {self!r}")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")

    def delay(self, failures: int) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (1-based), before jitter."""
        return min(self.base_delay * self.factor ** max(failures - 1, 0), self.max_delay)

    @property
    def budget(self) -> float:
        """Longest total wait before giving up (jitter aside)."""
        return sum(self.delay(n) for n in range(1, self.max_attempts))

    def _jittered(self, failures: int) -> float:
        base = self.delay(failures)
        return base * (1 + random.uniform(-self.jitter, self.jitter)) if self.jitter else base


@dataclass(frozen=True)
class DeliveryResult:
    channel: str
    target: str
    ok: bool
    attempts: int
    status_code: int | None = None
    error: str | None = None
    retryable: bool = False
    delivery_id: str | None = None


class DeliveryFailed(SahelwatchError):
    """A delivery that failed after its retry budget (or at once, when permanent)."""

    def __init__(self, result: DeliveryResult) -> None:
        super().__init__(
            f"{result.channel} delivery to {result.target} failed after {result.attempts} attempt(s): {result.error}"
        )
        self.result = result


async def send_with_retry(
    channel: str,
    target: str,
    attempt: Callable[[int], Awaitable[httpx.Response]],
    policy: RetryPolicy,
    *,
    delivery_id: str | None = None,
    count: bool = True,
) -> DeliveryResult:
    """Call ``attempt(n)`` (n = 1, 2, ...) until a 2xx, a permanent error or the budget is spent.

    ``count`` increments DELIVERIES{channel,outcome} (ok / retry / failed); turn it off when an
    outer loop (the service's outbox) already counts.
    """
    status: int | None = None
    error = "no attempt made"
    retryable = False
    label = channel.split(":", 1)[0]
    for n in range(1, policy.max_attempts + 1):
        try:
            response = await attempt(n)
        except httpx.HTTPError as exc:
            status, error, retryable = None, f"{type(exc).__name__}: {exc}", True
        else:
            status = response.status_code
            if response.is_success:
                if count:
                    telemetry.DELIVERIES.labels(channel=label, outcome="ok").inc()
                return DeliveryResult(channel, target, True, n, status, None, False, delivery_id)
            error = f"HTTP {status}: {response.text[:300]}"
            retryable = status in RETRYABLE_STATUS
        if not retryable or n == policy.max_attempts:
            break
        if count:
            telemetry.DELIVERIES.labels(channel=label, outcome="retry").inc()
        wait = policy._jittered(n)
        log.warning(
            "alert delivery failed, retrying",
            extra={"channel": channel, "target": target, "attempt": n, "error": error, "wait_s": wait},
        )
        await policy.sleep(wait)
    if count:
        telemetry.DELIVERIES.labels(channel=label, outcome="failed").inc()
    log.error("alert delivery failed", extra={"channel": channel, "target": target, "error": error})
    return DeliveryResult(channel, target, False, n, status, error, retryable, delivery_id)
