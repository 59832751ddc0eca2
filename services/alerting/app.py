"""Alerting service: ``incidents.geocoded`` -> merged canonical incidents (``incidents``) and ``alerts``.

Records come in batches; they are merged one at a time under a lock (merging reads then writes the
incident it joins), then alerts, publications and progress are written batch-wide. Redelivery is a
no-op: a record already among an incident's sources does not change it, alerts have stable ids, and
only what was never published is published.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from faststream.asgi import AsgiFastStream
from pymongo import UpdateOne

from sahelwatch import storage, streams, telemetry
from sahelwatch.contracts import Alert, CanonicalIncident, DeadLetter, IncidentRecord, utcnow
from sahelwatch.messaging import parser_for
from sahelwatch.runtime import Runtime
from sahelwatch.settings import Settings, load_settings
from services.alerting.merge import (
    CANDIDATE_UPDATED_WITHIN_DAYS,
    MAX_DISTANCE_KM,
    absorb,
    best_match,
    candidate_window,
    new_incident,
)
from services.alerting.outbox import AlertOutbox
from services.alerting.rules import RuleBook, RuleSet

STAGE = "alerting"
CANDIDATES_UPDATED_WITHIN = timedelta(days=CANDIDATE_UPDATED_WITHIN_DAYS)
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

    async def candidates(record: IncidentRecord) -> tuple[list[CanonicalIncident], dict[str, list[int]]]:
        """Incidents this record may belong to, and each one's publication mark."""
        query: dict[str, Any] = {
            "kind": record.kind.value,
            "updated_at": {"$gte": (utcnow() - CANDIDATES_UPDATED_WITHIN).isoformat()},
        }
        low, high = candidate_window(record)
        if low is not None and high is not None:
            # top-level $or: each branch is an index range on (kind, event_date)
            query["$or"] = [{"event_date": {"$gte": low.isoformat(), "$lte": high.isoformat()}}, {"event_date": None}]
        loc = record.location
        if loc is not None and loc.latitude is not None and loc.longitude is not None:
            radius = MAX_DISTANCE_KM / EARTH_RADIUS_KM
            near = {"$geoWithin": {"$centerSphere": [[loc.longitude, loc.latitude], radius]}}
            query["$and"] = [{"$or": [{"geo": near}, {"geo": {"$exists": False}}]}]
        found: list[CanonicalIncident] = []
        marks: dict[str, list[int]] = {}
        async for doc in incidents.find(query).limit(1000):
            marks[doc["_id"]] = doc.get("published_mark", [0, 0])
            found.append(load_incident(doc))
        return found, marks

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

    async def merge(
        record: IncidentRecord, seen_before: bool
    ) -> tuple[CanonicalIncident, CanonicalIncident | None, list[int]]:
        """The incident this record belongs to (after merging), the one before, and its stored publication mark.

        ``seen_before``: the record may already be merged (a redelivery); its incident is read back.
        The merged incident is stored at once (the next record of the batch may join it).
        """
        if seen_before:
            existing = await incidents.find_one({"sources.record_id": record.record_id})
            if existing is not None:  # redelivery: already merged
                telemetry.REDELIVERED.labels(stage=STAGE).inc()
                return load_incident(existing), None, existing.get("published_mark", [0, 0])
        now = utcnow()
        found, marks = await candidates(record)
        match = best_match(record, found)
        if match is None:
            incident, previous, mark = new_incident(record, now), None, [0, 0]
            telemetry.MERGES.labels(outcome="new").inc()
        else:
            incident, change = absorb(match, record, now)
            previous = match
            mark = marks.get(match.incident_id, [0, 0])
            telemetry.MERGES.labels(outcome="updated" if change else "merged").inc()
        incident.stamps = {**record.stamps, "alerted": now}
        doc = incident_doc(incident)
        doc["published_mark"] = mark
        await incidents.replace_one({"_id": incident.incident_id}, doc, upsert=True)
        return incident, previous, mark

    async def merged_already(record_ids: list[str]) -> set[str]:
        """Of ``record_ids``, those already among an incident's sources (one query per batch)."""
        wanted = set(record_ids)
        cursor = incidents.find({"sources.record_id": {"$in": record_ids}}, {"sources.record_id": 1})
        return {s["record_id"] async for doc in cursor for s in doc.get("sources", []) if s["record_id"] in wanted}

    async def handle(batch: Sequence[IncidentRecord]) -> None:
        """Merge the batch's records one by one (each sees the incidents the previous ones stored),
        then store the alerts, publish incidents and alerts, and record progress, batch-wide.

        Incidents are stored before anything is published; an incident's ``published_mark`` is
        set after it was published, an alert's ``published`` flag likewise: a redelivered batch
        publishes only what is missing.
        """
        async with lock:
            seen = await merged_already([r.record_id for r in batch])
            marks: dict[str, list[int]] = {}  # incident -> mark once this batch is published
            incidents_out: list[tuple[str, bytes]] = []  # in merge order: every version or new source
            raised_alerts: dict[str, Alert] = {}
            progress: dict[str, list[str]] = {}
            for record in batch:
                incident, previous, stored_mark = await merge(record, record.record_id in seen)
                seen.add(record.record_id)
                ruleset = rules.current()
                for alert in ruleset.evaluate(incident, previous, await recent_in_region(incident, ruleset)):
                    raised_alerts.setdefault(alert.alert_id, alert)
                mark = publication_mark(incident)
                if marks.get(incident.incident_id, stored_mark) != mark:
                    incidents_out.append((incident.incident_id, incident.model_dump_json().encode()))
                    marks[incident.incident_id] = mark
                progress.setdefault(record.article_id, []).append(record.record_id)
            alert_docs = [outbox.new_doc(alert) for alert in raised_alerts.values()]
            inserted = await storage.insert_new(alerts, alert_docs)
            if incidents_out:
                await stage.publisher.publish_many([(streams.INCIDENTS, body) for _, body in incidents_out])
                await incidents.bulk_write(
                    [UpdateOne({"_id": i}, {"$set": {"published_mark": m}}) for i, m in marks.items()], ordered=False
                )
                telemetry.RECORDS_OUT.labels(stage=STAGE, kind="incident").inc(len(incidents_out))
            pending = await stage.publisher.publish_stored(
                streams.ALERTS, alerts, alert_docs, inserted, raised_alerts, Alert, *outbox.fields
            )
            for alert in pending:
                telemetry.ALERTS.labels(rule=alert.rule, severity=alert.severity).inc()
            now = utcnow()
            await articles.bulk_write(
                [
                    UpdateOne(
                        {"_id": article_id},
                        {"$addToSet": {"alerted_records": {"$each": record_ids}}, "$max": {"alerted_at": now}},
                    )
                    for article_id, record_ids in progress.items()
                ],
                ordered=False,
            )
        outbox.wake()
        for record in batch:
            telemetry.stage_latency(STAGE, record.stamps.get("ingested"))

    stage.consume_batch(streams.GEOCODED, parser_for(IncidentRecord), handle)
    stage.document_output(
        streams.INCIDENTS, CanonicalIncident, "Canonical incidents; a new message per version or new source."
    )
    stage.document_output(streams.ALERTS, Alert, "Alerts raised by the rules (stable alert_id).")
    runtime.startup.append(outbox.start)
    runtime.shutdown.append(outbox.stop)
    return runtime.asgi_app()
