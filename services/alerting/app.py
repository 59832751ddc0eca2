"""Alerting service: ``incidents.geocoded`` -> merged canonical incidents (``incidents``) and ``alerts``.

One record at a time under a lock (merging reads then writes the incident it joins). Redelivery is
a no-op: a record already among an incident's sources does not change it, alerts have stable ids,
and only what was never published is published.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from faststream.asgi import AsgiFastStream

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Alert, CanonicalIncident, DeadLetter, IncidentRecord, utcnow
from sahelwatch.messaging import parse
from sahelwatch.runtime import Runtime
from sahelwatch.settings import Settings, load_settings
from services.alerting.merge import MAX_DISTANCE_KM, absorb, best_match, candidate_window, new_incident
from services.alerting.outbox import AlertOutbox
from services.alerting.rules import RuleBook, RuleSet

STAGE = "alerting"
CANDIDATES_UPDATED_WITHIN = timedelta(days=30)
RECENT_WITHIN = timedelta(days=7)
EARTH_RADIUS_KM = 6378.1


def incident_doc(incident: CanonicalIncident) -> storage.Doc:
    doc = storage.to_doc(incident, "incident_id")
    loc = incident.location
    if loc is not None and loc.latitude is not None and loc.longitude is not None:
        doc["geo"] = {"type": "Point", "coordinates": [loc.longitude, loc.latitude]}
    return doc


def publication_mark(incident: CanonicalIncident) -> list[int]:
    """What was last published of an incident: its version and its number of sources."""
    return [incident.version, len(incident.sources)]


def load_incident(doc: storage.Doc) -> CanonicalIncident:
    return CanonicalIncident.model_validate(storage.strip_storage_fields(doc, "published_mark"))


def create_app(settings: Settings | None = None) -> AsgiFastStream:
    settings = settings or load_settings()
    runtime = Runtime.build(STAGE, settings)
    stage = runtime.reliable()
    rules = RuleBook(settings.rules_path)
    incidents = runtime.db[storage.INCIDENTS]
    alerts = runtime.db[storage.ALERTS]
    articles = runtime.db[storage.ARTICLES]

    async def delivery_dead_letter(alert: Alert, channel: str, error: str, attempts: int) -> None:
        letter = DeadLetter(
            stage=f"{STAGE}-delivery",
            stream=channel,
            message_id=alert.alert_id,
            attempts=attempts,
            error=error,
            payload=alert.model_dump_json(),
        )
        await stage.publisher.publish(streams.dead_letter(f"{STAGE}-delivery"), letter)
        telemetry.DEAD_LETTERS.labels(stage=f"{STAGE}-delivery").inc()

    outbox = AlertOutbox(alerts, settings, dead_letter=delivery_dead_letter)
    lock = asyncio.Lock()

    async def candidates(record: IncidentRecord) -> list[CanonicalIncident]:
        query: dict[str, Any] = {
            "kind": record.kind.value,
            "updated_at": {"$gte": (utcnow() - CANDIDATES_UPDATED_WITHIN).isoformat()},
        }
        narrowing: list[dict[str, Any]] = []
        low, high = candidate_window(record)
        if low is not None and high is not None:
            narrowing.append(
                {
                    "$or": [
                        {"event_date": {"$gte": low.isoformat(), "$lte": high.isoformat()}},
                        {"event_date": None},
                    ]
                }
            )
        loc = record.location
        if loc is not None and loc.latitude is not None and loc.longitude is not None:
            radius = MAX_DISTANCE_KM / EARTH_RADIUS_KM
            near = {"$geoWithin": {"$centerSphere": [[loc.longitude, loc.latitude], radius]}}
            narrowing.append({"$or": [{"geo": near}, {"geo": {"$exists": False}}]})
        if narrowing:
            query["$and"] = narrowing
        return [load_incident(doc) async for doc in incidents.find(query).limit(1000)]

    async def recent_in_region(incident: CanonicalIncident, ruleset: RuleSet) -> list[CanonicalIncident]:
        """Other incidents of the region, for windowed rules (only fetched when a rule has a window)."""
        admin1 = incident.location.admin1 if incident.location else None
        if admin1 is None or not any(rule.spec.window for rule in ruleset.rules):
            return []
        query = {
            "location.admin1": admin1,
            "_id": {"$ne": incident.incident_id},
            "updated_at": {"$gte": (utcnow() - RECENT_WITHIN).isoformat()},
        }
        return [load_incident(doc) async for doc in incidents.find(query).limit(1000)]

    async def merge(record: IncidentRecord) -> tuple[CanonicalIncident, CanonicalIncident | None, list[int]]:
        """The incident this record belongs to (after merging), the one before, and its publication mark."""
        existing = await incidents.find_one({"sources.record_id": record.record_id})
        if existing is not None:  # redelivery: already merged
            telemetry.REDELIVERED.labels(stage=STAGE).inc()
            return load_incident(existing), None, existing.get("published_mark", [0, 0])
        now = utcnow()
        match = best_match(record, await candidates(record))
        if match is None:
            incident, previous, mark = new_incident(record, now), None, [0, 0]
            telemetry.MERGES.labels(outcome="new").inc()
        else:
            incident, change = absorb(match, record, now)
            previous = match
            stored = await incidents.find_one({"_id": match.incident_id}, {"published_mark": 1})
            mark = (stored or {}).get("published_mark", [0, 0])
            telemetry.MERGES.labels(outcome="updated" if change else "merged").inc()
        incident.stamps = {**record.stamps, "alerted": now}
        doc = incident_doc(incident)
        doc["published_mark"] = mark
        await incidents.replace_one({"_id": incident.incident_id}, doc, upsert=True)
        return incident, previous, mark

    async def handle(body: bytes) -> None:
        record = parse(IncidentRecord, body)
        async with lock:
            incident, previous, mark = await merge(record)
            ruleset = rules.current()
            raised = ruleset.evaluate(incident, previous, await recent_in_region(incident, ruleset))
            await storage.insert_new(alerts, [outbox.new_doc(alert) for alert in raised])
            if mark != publication_mark(incident):
                await stage.publisher.publish(streams.INCIDENTS, incident)
                await incidents.update_one(
                    {"_id": incident.incident_id}, {"$set": {"published_mark": publication_mark(incident)}}
                )
                telemetry.RECORDS_OUT.labels(stage=STAGE, kind="incident").inc()
            for doc in await storage.unpublished(alerts, [a.alert_id for a in raised]):
                alert = Alert.model_validate(storage.strip_storage_fields(doc, *outbox.fields))
                await stage.publisher.publish(streams.ALERTS, alert)
                await storage.mark_published(alerts, [alert.alert_id])
                telemetry.ALERTS.labels(rule=alert.rule, severity=alert.severity).inc()
            await articles.update_one(
                {"_id": record.article_id},
                {"$addToSet": {"alerted_records": record.record_id}, "$max": {"alerted_at": utcnow()}},
            )
        outbox.wake()
        telemetry.stage_latency(STAGE, record.stamps.get("ingested"))

    stage.consume(streams.GEOCODED, handle)
    stage.document_output(
        streams.INCIDENTS, CanonicalIncident, "Canonical incidents; a new message per version or new source."
    )
    stage.document_output(streams.ALERTS, Alert, "Alerts raised by the rules (stable alert_id).")
    runtime.startup.append(outbox.start)
    runtime.shutdown.append(outbox.stop)
    return runtime.asgi_app()
