"""Building canonical incidents from reports: create, absorb, merge in-process (pure: no I/O).

Matching (which incident a report belongs to) is in ``match``; re-exported here.

Fatalities of a canonical incident ("current" figure):

1. the first figure reported is taken;
2. reports published within ``CONCURRENT`` (12 h) of the newest report so far are concurrent
   counts: the lowest figure wins (ACLED's conservative rule);
3. a report published more than 12 h after every earlier report, with a higher figure, is a
   revision (tolls rise as bodies are counted): it replaces the figure;
4. stale reports (older than the newest by > 12 h) and later, lower figures (usually partial
   counts) never lower it.

``fatalities_high`` is the highest figure any report gave. ``injured``/``abducted`` follow the
same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sahelwatch.contracts import CanonicalIncident, Change, IncidentRecord, Location, SourceRef
from services.alerting.match import (
    CANDIDATE_UPDATED_WITHIN_DAYS,
    MAX_DISTANCE_KM,
    MergeScore,
    _aware,
    _coords,
    _published,
    best_match,
    candidate_window,
    fold,
    incident_id_for,
    same_incident,
)

__all__ = [
    "CANDIDATE_UPDATED_WITHIN_DAYS",
    "MAX_DISTANCE_KM",
    "MergeScore",
    "absorb",
    "best_match",
    "candidate_window",
    "fold",
    "incident_id_for",
    "merge_all",
    "new_incident",
    "report_count",
    "same_incident",
]

CONCURRENT = timedelta(hours=12)
MAX_EVIDENCE = 40
_TRACKED = (
    "event_type", "sub_event_type", "event_date", "time_precision", "location",
    "fatalities", "fatalities_high", "injured", "abducted", "actors", "advisory",
)  # fmt: skip

# --------------------------------------------------------------------------- building


def _source(record: IncidentRecord) -> SourceRef:
    return SourceRef(
        article_id=record.article_id,
        record_id=record.record_id,
        article=record.article,
        url=record.url,
        outlet=record.source,
        published=record.published_at,
        duplicate_of=record.duplicate_of,
    )


def report_count(sources: Iterable[SourceRef]) -> int:
    """Independent reports among ``sources``: a syndicated copy and its original count once."""
    return len({s.duplicate_of or s.article_id for s in sources})


def new_incident(record: IncidentRecord, now: datetime) -> CanonicalIncident:
    """A version-1 canonical incident from its first report."""
    return CanonicalIncident(
        trace_id=record.trace_id,
        stamps=dict(record.stamps),
        incident_id=incident_id_for(record.record_id),
        kind=record.kind,
        event_type=record.event_type,
        sub_event_type=record.sub_event_type,
        event_date=record.event_date,
        time_precision=record.time_precision,
        location=record.location.model_copy(deep=True) if record.location else None,
        actors=[a.model_copy() for a in record.actors],
        fatalities=record.fatalities,
        fatalities_high=_max(record.fatalities, record.fatalities_high),
        injured=record.injured,
        abducted=record.abducted,
        advisory=record.advisory.model_copy() if record.advisory else None,
        summary=record.summary,
        evidence=list(record.evidence[:MAX_EVIDENCE]),
        confidence=record.confidence,
        sources=[_source(record)],
        report_count=1,
        first_seen_at=now,
        updated_at=now,
    )


def _max(*values: int | None) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _current_count(current: int | None, reported: int | None, age: str) -> int | None:
    """Apply the "current figure" rule (module docstring); ``age`` is concurrent/later/stale."""
    if reported is None:
        return current
    if current is None:
        return reported
    if age == "concurrent":
        return min(current, reported)
    if age == "later":
        return max(current, reported)
    return current


def _age(record: IncidentRecord, incident: CanonicalIncident) -> str:
    published = [_aware(p) for p in _published(incident.sources)]
    if record.published_at is None or not published:
        return "concurrent"
    mine, newest = _aware(record.published_at), max(published)
    if mine > newest + CONCURRENT:
        return "later"
    if mine < newest - CONCURRENT:
        return "stale"
    return "concurrent"


def _snapshot(incident: CanonicalIncident, name: str) -> object:
    value = getattr(incident, name)
    if name == "location":
        if value is None:
            return None
        keep = {"name", "admin1", "admin2", "latitude", "longitude", "geo_precision"}
        return value.model_dump(mode="json", include=keep)
    if name == "actors":
        return sorted(a.name for a in value)
    if name == "advisory":
        return value.model_dump(mode="json") if value else None
    if isinstance(value, date):
        return value.isoformat()
    return value


def absorb(
    incident: CanonicalIncident, record: IncidentRecord, now: datetime
) -> tuple[CanonicalIncident, Change | None]:
    """Add ``record`` as a source of ``incident``; returns the new incident and the Change, if any.

    Idempotent: a record already among the sources returns ``incident`` unchanged. Adding a
    source without changing a tracked field updates ``updated_at`` but not ``version``.
    """
    if any(s.record_id == record.record_id for s in incident.sources):
        return incident, None
    age = _age(record, incident)
    new = incident.model_copy(deep=True)
    new.sources.append(_source(record))
    new.report_count = report_count(new.sources)
    new.updated_at = now
    new.confidence = max(new.confidence, record.confidence)
    new.event_type = new.event_type or record.event_type
    new.sub_event_type = new.sub_event_type or record.sub_event_type
    new.summary = new.summary or record.summary
    if record.event_date is not None and (
        new.event_date is None or (record.time_precision or 3) < (new.time_precision or 3)
    ):
        new.event_date, new.time_precision = record.event_date, record.time_precision
    if record.location is not None and _sharper(record.location, new.location):
        new.location = record.location.model_copy(deep=True)
    known = {fold(a.name) for a in new.actors}
    new.actors.extend(a.model_copy() for a in record.actors if fold(a.name) not in known)
    new.fatalities = _current_count(new.fatalities, record.fatalities, age)
    new.fatalities_high = _max(new.fatalities_high, new.fatalities, record.fatalities, record.fatalities_high)
    new.injured = _current_count(new.injured, record.injured, age)
    new.abducted = _current_count(new.abducted, record.abducted, age)
    if record.advisory is not None:
        if new.advisory is None:
            new.advisory = record.advisory.model_copy()
        elif age == "later":  # a newer advisory from the same issuer supersedes the old level
            fresh = record.advisory.model_dump(exclude_none=True)
            new.advisory = new.advisory.model_copy(update=fresh)
    seen = {(e.field, e.sentence) for e in new.evidence}
    for ev in record.evidence:
        if len(new.evidence) >= MAX_EVIDENCE:
            break
        if (ev.field, ev.sentence) not in seen:
            new.evidence.append(ev)
            seen.add((ev.field, ev.sentence))
    fields: dict[str, list[object]] = {}
    for name in _TRACKED:
        old, cur = _snapshot(incident, name), _snapshot(new, name)
        if old != cur:
            fields[name] = [old, cur]
    if not fields:
        return new, None
    new.version = incident.version + 1
    change = Change(version=new.version, at=now, fields=fields, record_id=record.record_id)
    new.changes.append(change)
    return new, change


def _sharper(candidate: Location, current: Location | None) -> bool:
    """True when ``candidate`` locates the incident more precisely than ``current``."""
    if current is None:
        return True
    if _coords(candidate) is None:
        return False
    if _coords(current) is None:
        return True
    return (candidate.geo_precision or 3) < (current.geo_precision or 3)


def merge_all(records: Iterable[IncidentRecord], now: datetime) -> list[CanonicalIncident]:
    """Merge records in-process (the ``sahelwatch process`` CLI).

    Records are taken in publication order (then record_id), so the result does not depend on
    the order given and "later report" has its real meaning. Incidents are returned in order of
    their first report.
    """
    floor = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(records, key=lambda r: (_aware(r.published_at) if r.published_at else floor, r.record_id))
    incidents: list[CanonicalIncident] = []
    index: dict[str, int] = {}
    for record in ordered:
        same_kind = [i for i in incidents if i.kind == record.kind]
        match = best_match(record, same_kind)
        if match is None:
            incident = new_incident(record, now)
            index[incident.incident_id] = len(incidents)
            incidents.append(incident)
        else:
            updated, _ = absorb(match, record, now)
            incidents[index[match.incident_id]] = updated
    return incidents
