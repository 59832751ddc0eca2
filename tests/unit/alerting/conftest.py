"""Factories for alerting tests: records and incidents with realistic defaults (an IED near Gao)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sahelwatch.contracts import Actor, Advisory, Evidence, IncidentRecord, Kind, Location

GAO = {
    "name": "Gao",
    "admin1": "Gao",
    "country": "Mali",
    "country_code": "ML",
    "latitude": 16.27,
    "longitude": -0.04,
}
NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)

RecordFactory = Callable[..., IncidentRecord]


def make_record(
    record_id: str = "art-a:0",
    *,
    article_id: str | None = None,
    published: datetime | None = datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
    location: dict[str, Any] | None = None,
    precision: int = 1,
    geo_precision: int = 1,
    **fields: Any,
) -> IncidentRecord:
    loc = {**GAO, "geo_precision": geo_precision, **(location or {})}
    located = fields.pop("located", True)
    base: dict[str, Any] = {
        "trace_id": "t-" + record_id,
        "record_id": record_id,
        "article_id": article_id or record_id.split(":")[0],
        "source": "outlet-" + record_id.split(":")[0],
        "url": f"https://example.org/{record_id}",
        "published_at": published,
        "kind": Kind.event,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "event_date": date(2026, 11, 17),
        "time_precision": precision,
        "location": Location(**loc) if located else None,
        "actors": [
            Actor(name="JNIM", side="perpetrator"),
            Actor(name="Malian Armed Forces (FAMa)", side="target"),
        ],
        "fatalities": 2,
        "summary": "An improvised explosive device hit a FAMa convoy near Gao, killing two soldiers.",
        "evidence": [Evidence(field="fatalities", sentence="Two soldiers were killed when their vehicle hit an IED.")],
    }
    base.update(fields)
    return IncidentRecord(**base)


def make_advisory(record_id: str = "adv-a:0", **fields: Any) -> IncidentRecord:
    base: dict[str, Any] = {
        "kind": Kind.advisory,
        "event_type": None,
        "sub_event_type": None,
        "actors": [],
        "fatalities": None,
        "advisory": Advisory(issuer="US Embassy", level="leave immediately", area="Mali"),
        "location": {
            "name": "Mali",
            "admin1": None,
            "country": "Mali",
            "country_code": "ML",
            "latitude": 17.6,
            "longitude": -4.0,
        },
        "geo_precision": 3,
        "summary": "The US Embassy urged its citizens to leave Mali immediately.",
        "evidence": [],
    }
    base.update(fields)
    return make_record(record_id, **base)


@pytest.fixture
def record() -> RecordFactory:
    return make_record


@pytest.fixture
def advisory() -> RecordFactory:
    return make_advisory
