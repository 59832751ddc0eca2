"""Prometheus metrics (one registry per process) and structured logging.

Every failure path increments a counter here; dashboards in deploy/grafana and alert rules in
deploy/prometheus use exactly these names.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

PROCESSED = Counter(
    "sahelwatch_messages_processed_total",
    "Messages a stage handled successfully.",
    ["stage"],
    registry=REGISTRY,
)
FAILED = Counter(
    "sahelwatch_messages_failed_total",
    "Handling attempts that failed (reason: transient = retried, permanent = bad message).",
    ["stage", "reason"],
    registry=REGISTRY,
)
DEAD_LETTERS = Counter(
    "sahelwatch_dead_letters_total", "Messages sent to a dead-letter stream.", ["stage"], registry=REGISTRY
)
REDELIVERED = Counter(
    "sahelwatch_messages_redelivered_total",
    "Messages seen again whose output already existed (idempotent no-op).",
    ["stage"],
    registry=REGISTRY,
)
HANDLE_SECONDS = Histogram(
    "sahelwatch_handle_seconds",
    "Time to handle one message.",
    ["stage"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
INGEST_TO_STAGE_SECONDS = Histogram(
    "sahelwatch_ingest_to_stage_seconds",
    "Time from ingest of the article to the end of this stage.",
    ["stage"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
RECORDS_OUT = Counter(
    "sahelwatch_records_out_total", "Records a stage published.", ["stage", "kind"], registry=REGISTRY
)

ARTICLES_RECEIVED = Counter(
    "sahelwatch_articles_received_total", "Articles offered to ingest.", ["via"], registry=REGISTRY
)
ARTICLES_REJECTED = Counter(
    "sahelwatch_articles_rejected_total", "Articles refused at ingest.", ["reason"], registry=REGISTRY
)
ARTICLES_DUPLICATE = Counter(
    "sahelwatch_articles_duplicate_total", "Duplicate articles (exact or near).", ["type"], registry=REGISTRY
)

FEED_POLLS = Counter(
    "sahelwatch_feed_polls_total",
    "RSS/Atom feed polls, by outcome (ok, not_modified, error).",
    ["outcome"],
    registry=REGISTRY,
)
FEED_ENTRIES_FAILED = Counter(
    "sahelwatch_feed_entries_failed_total",
    "Feed entries not ingested (page fetch or bad input).",
    ["reason"],
    registry=REGISTRY,
)

GEOCODE_RESULTS = Counter(
    "sahelwatch_geocode_results_total",
    "Place resolutions by outcome (resolved, ambiguous, unresolved, no_place).",
    ["outcome"],
    registry=REGISTRY,
)
GEO_PRECISION = Counter(
    "sahelwatch_geo_precision_total", "Resolved locations by geo_precision.", ["precision"], registry=REGISTRY
)
GEOCODE_LOOKUP_SECONDS = Histogram(
    "sahelwatch_geocode_lookup_seconds",
    "Time to resolve one place mention.",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
    registry=REGISTRY,
)
GAZETTEER_ENTRIES = Gauge("sahelwatch_gazetteer_entries", "Places loaded in the gazetteer.", registry=REGISTRY)

MERGES = Counter(
    "sahelwatch_incident_merges_total",
    "Reports by merge outcome (new, merged, updated).",
    ["outcome"],
    registry=REGISTRY,
)
ALERTS = Counter("sahelwatch_alerts_total", "Alerts raised.", ["rule", "severity"], registry=REGISTRY)
DELIVERIES = Counter(
    "sahelwatch_alert_deliveries_total",
    "Alert deliveries by channel and outcome (ok, retry, failed).",
    ["channel", "outcome"],
    registry=REGISTRY,
)


def stage_latency(stage: str, ingested_at: datetime | None) -> None:
    """Observe ingest -> now for ``stage`` when the article's ingest time is known."""
    if ingested_at is not None:
        seconds = (datetime.now(UTC) - ingested_at).total_seconds()
        INGEST_TO_STAGE_SECONDS.labels(stage=stage).observe(max(seconds, 0.0))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    _reserved = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in self._reserved and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
