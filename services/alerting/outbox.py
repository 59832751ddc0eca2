"""Alert delivery outbox: alerts are stored first, then delivered to each channel until it accepts.

A receiver that is down delays an alert, never loses it: each channel's state lives in the alert's
document (attempts, next try, last error); a background task retries with exponential backoff and,
once the budget is spent, dead-letters the delivery (``dlq.alerting-delivery``) and counts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from sahelwatch import storage, telemetry
from sahelwatch.contracts import Alert, utcnow
from sahelwatch.settings import Settings
from services.alerting.delivery.channels import Channel, channels_from_settings

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY_S = 1.0
MAX_DELAY_S = 300.0


def backoff(attempts: int, base: float = BASE_DELAY_S) -> timedelta:
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_DELAY_S))


DeadLetterFn = Callable[[Alert, str, str, int], Awaitable[None]]
"""(alert, channel, error, attempts): called once a delivery has spent its budget."""


class AlertOutbox:
    fields = ("deliveries", "delivered")

    def __init__(
        self,
        alerts: AsyncCollection[storage.Doc],
        settings: Settings,
        channels: Sequence[Channel] | None = None,
        dead_letter: DeadLetterFn | None = None,
        base_delay: float = BASE_DELAY_S,
    ) -> None:
        self.alerts = alerts
        self.channels = list(channels) if channels is not None else default_channels(settings)
        self.dead_letter = dead_letter
        self.base_delay = base_delay
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def new_doc(self, alert: Alert) -> storage.Doc:
        doc = storage.to_doc(alert, "alert_id")
        doc["deliveries"] = {c.name: {"status": "pending", "attempts": 0, "next_at": None} for c in self.channels}
        doc["delivered"] = not self.channels
        return doc

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        if self.channels:
            self._task = asyncio.create_task(self._run(), name="alert-outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:  # keep the loop alive; the next round retries
                log.exception("alert outbox round failed")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    async def deliver_due(self, now: datetime | None = None) -> int:
        """One round: try every due delivery once. Returns how many deliveries succeeded."""
        now = now or utcnow()
        done = 0
        async for doc in self.alerts.find({"delivered": False}).limit(500):
            alert = Alert.model_validate(storage.strip_storage_fields(doc, *self.fields))
            states: dict[str, dict[str, Any]] = doc.get("deliveries", {})
            for channel in self.channels:
                state = states.setdefault(channel.name, {"status": "pending", "attempts": 0, "next_at": None})
                if state["status"] != "pending" or (state["next_at"] and state["next_at"] > now.isoformat()):
                    continue
                done += await self._attempt(channel, alert, state, now)
            delivered = all(s["status"] != "pending" for s in states.values())
            await self.alerts.update_one({"_id": doc["_id"]}, {"$set": {"deliveries": states, "delivered": delivered}})
        return done

    async def _attempt(self, channel: Channel, alert: Alert, state: dict[str, Any], now: datetime) -> int:
        state["attempts"] += 1
        try:
            await channel.send(alert)
        except Exception as exc:
            state["error"] = repr(exc)[:1000]
            if state["attempts"] >= MAX_ATTEMPTS:
                state["status"] = "failed"
                telemetry.DELIVERIES.labels(channel=channel.name, outcome="failed").inc()
                log.error("alert delivery gave up", extra={"channel": channel.name, "alert": alert.alert_id})
                if self.dead_letter is not None:
                    await self.dead_letter(alert, channel.name, state["error"], state["attempts"])
            else:
                state["next_at"] = (now + backoff(state["attempts"], self.base_delay)).isoformat()
                telemetry.DELIVERIES.labels(channel=channel.name, outcome="retry").inc()
            return 0
        state["status"] = "ok"
        state["error"] = None
        telemetry.DELIVERIES.labels(channel=channel.name, outcome="ok").inc()
        return 1


def default_channels(settings: Settings) -> list[Channel]:
    """Channels configured in settings (Alertmanager, signed webhooks); none means stream only."""
    return channels_from_settings(settings)
