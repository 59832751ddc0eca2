"""Message contracts: what travels on the Redis streams and what is stored in MongoDB.

Every message carries ``schema_version``, a ``trace_id`` (one per article, kept by every record
derived from it) and ``stamps``: the UTC time each stage finished with it, so end-to-end latency
can be measured anywhere downstream. Downstream systems code against these models: change them
only by adding optional fields, or bump ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Envelope(Contract):
    schema_version: int = SCHEMA_VERSION
    trace_id: str = Field(description="One per article; every record derived from it keeps it.")
    stamps: dict[str, datetime] = Field(
        default_factory=dict,
        description="Stage name -> UTC time the stage finished (ingested, extracted, geocoded, alerted).",
    )


# --------------------------------------------------------------------------- articles


class Article(Envelope):
    """A normalised article, as published on the ``articles`` stream."""

    article_id: str = Field(description="Stable: hash of the canonical URL, else of the normalised text.")
    url: str | None = None
    title: str | None = None
    source: str | None = Field(default=None, description="Outlet name or host.")
    published_at: datetime | None = Field(default=None, description="Publication time, if known.")
    language: str | None = None
    text: str = Field(description="Cleaned body text (page chrome stripped).")
    path: str | None = Field(default=None, description="File the article was read from, if any.")
    content_hash: str = Field(description="Hash of the normalised text: exact-duplicate detection.")
    duplicate_of: str | None = Field(
        default=None, description="article_id of the earlier near-duplicate (syndicated copy), if any."
    )


# --------------------------------------------------------------------------- records

EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]

SUB_EVENT_TYPES: dict[str, EventType] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}


class Kind(StrEnum):
    event = "event"
    advisory = "advisory"


class ActorType(StrEnum):
    """ACLED actor types (inter codes 1-8)."""

    state_forces = "State forces"
    rebel_group = "Rebel group"
    political_militia = "Political militia"
    identity_militia = "Identity militia"
    rioters = "Rioters"
    protesters = "Protesters"
    civilians = "Civilians"
    external_force = "External/Other forces"


class Actor(Contract):
    name: str = Field(description="Normalised name, e.g. 'JNIM', 'Malian Armed Forces (FAMa)'.")
    actor_type: ActorType | None = None
    side: Literal["perpetrator", "target", "unknown"] = "unknown"
    mention: str | None = Field(default=None, description="The words of the text that named it.")


class Evidence(Contract):
    field: str = Field(description="Record field this sentence supports, e.g. 'fatalities'.")
    sentence: str


class PlaceMention(Contract):
    """A place as the text names it, before geocoding."""

    name: str
    relation: Literal["in", "near", "distance", "direction", "region", "country"] = "in"
    distance_km: float | None = None
    direction: str | None = Field(default=None, description="'north', 'south-east', ... of the anchor.")
    admin_hint: str | None = Field(default=None, description="Region or cercle named next to it.")
    country_hint: str | None = None


class Location(Contract):
    name: str | None = None
    admin1: str | None = Field(default=None, description="Region.")
    admin2: str | None = Field(default=None, description="Cercle / province / department.")
    country: str | None = None
    country_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = Field(
        default=None,
        ge=1,
        le=3,
        description="1 town itself, 2 near a town / part of region, 3 region or country",
    )
    gazetteer_id: str | None = None
    feature_code: str | None = None
    candidates: list[dict[str, object]] = Field(
        default_factory=list, description="Other gazetteer entries considered, with their scores."
    )
    score: float | None = None


class Advisory(Contract):
    issuer: str | None = None
    level: str | None = Field(default=None, description="e.g. 'ordered departure', 'leave immediately'.")
    area: str | None = None


class IncidentRecord(Envelope):
    """One incident or advisory extracted from one article (``incidents.extracted``).

    After geocoding the same model travels on ``incidents.geocoded`` with ``location`` filled.
    """

    record_id: str = Field(description="Stable: article_id + position of the record in the article.")
    article_id: str
    article: str | None = Field(default=None, description="Path or URL given for the article.")
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    duplicate_of: str | None = Field(
        default=None, description="The article's near-duplicate original (ingest's ``duplicate_of``), if any."
    )
    kind: Kind = Kind.event
    event_type: EventType | None = None
    sub_event_type: str | None = None
    event_date: date | None = None
    time_precision: int | None = Field(default=None, ge=1, le=3, description="1 day, 2 week, 3 month")
    place: PlaceMention | None = Field(default=None, description="The place as the text names it.")
    location: Location | None = Field(default=None, description="Filled by geocoding; null when unresolved.")
    actors: list[Actor] = Field(default_factory=list)
    fatalities: int | None = Field(default=None, ge=0)
    fatalities_high: int | None = Field(default=None, ge=0)
    injured: int | None = Field(default=None, ge=0)
    abducted: int | None = Field(default=None, ge=0)
    advisory: Advisory | None = None
    summary: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class SourceRef(Contract):
    article_id: str
    record_id: str
    article: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    duplicate_of: str | None = Field(
        default=None, description="article_id of the original this article copies: counted as one report with it."
    )


class Change(Contract):
    version: int
    at: datetime
    fields: dict[str, list[object]] = Field(description="field -> [old, new]")
    record_id: str


class CanonicalIncident(Envelope):
    """A real-world incident merged across every report of it (``incidents``)."""

    incident_id: str
    version: int = 1
    kind: Kind
    event_type: EventType | None = None
    sub_event_type: str | None = None
    event_date: date | None = None
    time_precision: int | None = None
    location: Location | None = None
    actors: list[Actor] = Field(default_factory=list)
    fatalities: int | None = None
    fatalities_high: int | None = None
    injured: int | None = None
    abducted: int | None = None
    advisory: Advisory | None = None
    summary: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    confidence: float = 0.5
    sources: list[SourceRef] = Field(default_factory=list, description="Every report, syndicated copies included.")
    report_count: int = Field(
        default=1, ge=0, description="Independent reports: a syndicated copy counts once with its original."
    )
    changes: list[Change] = Field(default_factory=list)
    first_seen_at: datetime
    updated_at: datetime


class Alert(Envelope):
    """An alert raised by a rule on a canonical incident (``alerts``)."""

    alert_id: str = Field(description="Stable: rule + incident + the threshold level that fired.")
    rule: str
    severity: Literal["info", "warning", "critical"] = "warning"
    incident_id: str
    incident_version: int
    title: str = Field(description="Human line, e.g. 'IED near Gao, 2 killed'.")
    reason: str = Field(description="Why the rule fired.")
    follow_up: bool = Field(default=False, description="True when an update re-alerts an incident.")
    incident: CanonicalIncident
    created_at: datetime = Field(default_factory=utcnow)


class DeadLetter(Contract):
    """A message a stage gave up on, with why (``dlq.<stage>``)."""

    stage: str
    stream: str
    message_id: str | None = None
    attempts: int
    error: str
    payload: str = Field(description="The original message body, verbatim.")
    failed_at: datetime = Field(default_factory=utcnow)
