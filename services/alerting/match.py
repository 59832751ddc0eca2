"""Is this report the same real-world incident as that canonical incident? (pure: no I/O)

* Hard gates: same ``kind``; never two records of the same article (the extractor split them
  on purpose); same event-type family; date windows that overlap (day precision: at most one
  day apart, and a one-day gap needs corroboration; week/month precision widen the window; no
  date: the week before publication); distance <= 50 km when both places are known to town level.
* Then an evidence score (sub-event type, same day, closeness, actor overlap, text similarity,
  equal tolls) must reach ``MERGE_THRESHOLD``. A report whose place is unknown or region-only (then
  the regions must agree) also needs corroboration: shared actors, similar text or the same non-zero
  toll. A report with no date at all (nor publication date) needs corroboration, or the same town
  (<= 10 km) and tolls that do not contradict (not more than double plus two).
* Also needing corroboration: different event types within the family, and two distinct named
  towns (both precision 1) more than 10 km apart. Generic actors never corroborate.
* Advisories merge with advisories: same issuer, same area (or country), dates within 7 days.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from rapidfuzz import fuzz

from sahelwatch.contracts import CanonicalIncident, Evidence, IncidentRecord, Kind, Location, SourceRef
from sahelwatch.geo import haversine_km

MAX_DISTANCE_KM = 50.0
MERGE_THRESHOLD = 0.5
SAME_PLACE_KM = 10.0
ADVISORY_WINDOW_DAYS = 7
CANDIDATE_UPDATED_WITHIN_DAYS = 45
"""How far back (by ``updated_at``) the service must look for candidate incidents."""

_FAMILIES: dict[str, str] = {
    "Battles": "political-violence",
    "Explosions/Remote violence": "political-violence",
    "Violence against civilians": "political-violence",
    "Protests": "demonstrations",
    "Riots": "demonstrations",
    "Strategic developments": "strategic",
}
_STOPWORDS = {"the", "of", "in", "to", "for", "and", "de", "du", "la", "le", "des", "en", "au"}
_GENERIC_ACTORS = (
    "civilians", "protesters", "rioters", "unknown", "unidentified", "militants", "gunmen", "armed men",
    "assailants", "jihadists", "terrorists", "extremists", "islamists", "armed group",
)  # fmt: skip


@dataclass(frozen=True)
class MergeScore:
    score: float
    reasons: tuple[str, ...]
    distance_km: float | None = None


@dataclass(frozen=True)
class _Interval:
    start: date
    end: date
    exact: bool  # day precision from the text (not a coarse or proxy window)


# --------------------------------------------------------------------------- helpers


def fold(text: str | None) -> str:
    """Casefolded, accent-free text ('Ségou' == 'segou')."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def incident_id_for(record_id: str) -> str:
    return "inc-" + hashlib.sha1(record_id.encode()).hexdigest()[:16]


def _interval(event_date: date | None, precision: int | None, proxy: datetime | None) -> _Interval | None:
    if event_date is not None:
        if precision in (None, 1):
            return _Interval(event_date, event_date, exact=precision == 1 or precision is None)
        half = 3 if precision == 2 else 16
        return _Interval(event_date - timedelta(days=half), event_date + timedelta(days=half), exact=False)
    if proxy is not None:  # no date in the text: it happened during the week before publication
        day = proxy.date()
        return _Interval(day - timedelta(days=7), day, exact=False)
    return None


def _gap_days(a: _Interval, b: _Interval) -> int:
    return max(0, (max(a.start, b.start) - min(a.end, b.end)).days)


def _coords(loc: Location | None) -> tuple[float, float] | None:
    if loc is None or loc.latitude is None or loc.longitude is None:
        return None
    return loc.latitude, loc.longitude


def _precise(loc: Location | None) -> bool:
    return _coords(loc) is not None and (loc is not None and (loc.geo_precision or 3) <= 2)


def _actor_names(actors: Iterable[object]) -> set[str]:
    """Distinctive actor names: generic ones ('Civilians (Mali)', 'unidentified gunmen') prove nothing."""
    names = {re.sub(r"\s*\(.*?\)\s*", " ", fold(getattr(a, "name", ""))).strip() for a in actors}
    return {n for n in names if n and not n.startswith(_GENERIC_ACTORS)}


def _text(summary: str | None, evidence: Sequence[Evidence]) -> str:
    parts = [summary or ""] + [e.sentence for e in evidence[:6]]
    return " ".join(p for p in parts if p)[:800]


def _published(sources: Sequence[SourceRef]) -> list[datetime]:
    return [s.published for s in sources if s.published is not None]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- matching


def same_incident(record: IncidentRecord, incident: CanonicalIncident) -> MergeScore | None:
    """Score ``record`` as a report of ``incident``; None when it is not (or cannot be) the same."""
    if record.kind != incident.kind:
        return None
    if any(s.record_id == record.record_id for s in incident.sources):
        return MergeScore(1.0, ("already a source",))
    if any(s.article_id == record.article_id for s in incident.sources):
        return None  # two incidents of one article are distinct by construction
    if record.kind == Kind.advisory:
        return _same_advisory(record, incident)
    return _same_event(record, incident)


def _same_event(record: IncidentRecord, incident: CanonicalIncident) -> MergeScore | None:
    reasons: list[str] = []
    score = 0.0
    needs_corroboration = undated = False
    # event type family
    if record.event_type and incident.event_type:
        if _FAMILIES[record.event_type] != _FAMILIES[incident.event_type]:
            return None
        if record.sub_event_type and record.sub_event_type == incident.sub_event_type:
            score += 0.25
            reasons.append(f"same sub-event type ({record.sub_event_type})")
        elif record.event_type == incident.event_type:
            score += 0.15
            reasons.append(f"same event type ({record.event_type})")
        else:  # e.g. 'Battles' vs 'Violence against civilians': possible, but needs more evidence
            score += 0.05
            reasons.append("same event-type family")
            needs_corroboration = True
    # dates
    mine = _interval(record.event_date, record.time_precision, record.published_at)
    published = _published(incident.sources)
    theirs = _interval(incident.event_date, incident.time_precision, min(published) if published else None)
    if mine is not None and theirs is not None:
        gap = _gap_days(mine, theirs)
        both_exact = mine.exact and theirs.exact
        if both_exact and gap == 0:
            score += 0.25
            reasons.append("same day")
        elif both_exact and gap == 1:
            needs_corroboration = True
            reasons.append("dates one day apart")
        elif gap == 0:
            score += 0.1
            reasons.append("date windows overlap")
        else:
            return None
    else:
        undated = True
    # place
    distance: float | None = None
    a, b = _coords(record.location), _coords(incident.location)
    if _precise(record.location) and _precise(incident.location) and a and b:
        distance = haversine_km(a[0], a[1], b[0], b[1])
        if distance > MAX_DISTANCE_KM:
            return None
        score += 0.3 * (1 - distance / MAX_DISTANCE_KM)
        reasons.append(f"{distance:.0f} km apart")
        if _distinct_towns(record.location, incident.location, distance):
            needs_corroboration = True  # two named villages the same day: often two attacks
    else:
        needs_corroboration = True
        r_loc, i_loc = record.location, incident.location
        if r_loc and i_loc:
            if r_loc.country_code and i_loc.country_code and r_loc.country_code != i_loc.country_code:
                return None
            if r_loc.admin1 and i_loc.admin1:
                if fold(r_loc.admin1) != fold(i_loc.admin1):
                    return None
                score += 0.05
                reasons.append(f"same region ({r_loc.admin1})")
    # corroborating evidence
    mine_actors, their_actors = _actor_names(record.actors), _actor_names(incident.actors)
    overlap = 0.0
    if mine_actors and their_actors:
        overlap = len(mine_actors & their_actors) / len(mine_actors | their_actors)
        if overlap:
            score += 0.2 * overlap
            reasons.append(f"actor overlap {overlap:.2f}")
    similarity = 0.0
    t1, t2 = _text(record.summary, record.evidence), _text(incident.summary, incident.evidence)
    if t1 and t2:
        similarity = fuzz.token_set_ratio(fold(t1), fold(t2)) / 100.0
        if similarity > 0.4:
            score += 0.2 * (similarity - 0.4) / 0.6
            reasons.append(f"text similarity {similarity:.2f}")
    same_toll = record.fatalities is not None and record.fatalities == incident.fatalities
    if same_toll and record.fatalities:
        score += 0.1
        reasons.append(f"same toll ({record.fatalities})")
    corroborated = overlap >= 0.5 or similarity >= 0.7 or bool(same_toll and record.fatalities)
    same_town = distance is not None and distance <= SAME_PLACE_KM
    contradicting = _tolls_differ(record.fatalities, incident.fatalities)
    if undated and not corroborated and (not same_town or contradicting):
        return None  # no date to compare: only the very same town, with tolls that agree, will do
    if needs_corroboration and not corroborated:
        return None
    if score < MERGE_THRESHOLD:
        return None
    return MergeScore(round(score, 4), tuple(reasons), distance)


def _distinct_towns(a: Location | None, b: Location | None, distance: float) -> bool:
    """Both places are towns themselves (precision 1), named differently and not next to each other."""
    if a is None or b is None or a.geo_precision != 1 or b.geo_precision != 1:
        return False
    return distance > SAME_PLACE_KM and fold(a.name) != fold(b.name)


def _tolls_differ(a: int | None, b: int | None) -> bool:
    """Both known and far apart (more than double plus two): likely two different events."""
    return a is not None and b is not None and max(a, b) > 2 * min(a, b) + 2


def _same_advisory(record: IncidentRecord, incident: CanonicalIncident) -> MergeScore | None:
    reasons: list[str] = []
    mine, theirs = record.advisory, incident.advisory
    issuer_a, issuer_b = fold(mine.issuer if mine else None), fold(theirs.issuer if theirs else None)
    if not _same_issuer(issuer_a, issuer_b):
        return None
    reasons.append("same issuer")
    area_a, area_b = fold(mine.area if mine else None), fold(theirs.area if theirs else None)
    cc_a = record.location.country_code if record.location else None
    cc_b = incident.location.country_code if incident.location else None
    if area_a and area_b and fuzz.token_set_ratio(area_a, area_b) >= 80:
        reasons.append("same area")
    elif cc_a and cc_b and cc_a == cc_b:
        reasons.append("same country")
    elif area_a or area_b or cc_a or cc_b:
        return None
    day_a = record.event_date or (record.published_at.date() if record.published_at else None)
    published = _published(incident.sources)
    day_b = incident.event_date or (min(published).date() if published else None)
    if day_a is None or day_b is None or abs((day_a - day_b).days) > ADVISORY_WINDOW_DAYS:
        return None
    reasons.append(f"{abs((day_a - day_b).days)} days apart")
    return MergeScore(0.8, tuple(reasons))


def _same_issuer(a: str, b: str) -> bool:
    """'U.S. Embassy' == 'US Embassy in Bamako'; 'US Embassy' != 'French Embassy'."""
    ta, tb = (set(re.sub(r"[^\w\s]", "", x).split()) - _STOPWORDS for x in (a, b))
    if not ta or not tb:
        return False
    return ta <= tb or tb <= ta or fuzz.token_sort_ratio(a, b) >= 90


def best_match(record: IncidentRecord, candidates: Sequence[CanonicalIncident]) -> CanonicalIncident | None:
    """The candidate ``record`` most likely reports (highest score; ties: lowest incident_id)."""
    best: tuple[float, str, CanonicalIncident] | None = None
    for candidate in candidates:
        scored = same_incident(record, candidate)
        if scored is None:
            continue
        key = (-scored.score, candidate.incident_id)
        if best is None or key < (best[0], best[1]):
            best = (key[0], key[1], candidate)
    return best[2] if best else None


def candidate_window(record: IncidentRecord) -> tuple[date | None, date | None]:
    """Range of ``event_date`` the service must fetch candidates in (plus those with no date).

    The service query: same ``kind``, ``updated_at`` within ``CANDIDATE_UPDATED_WITHIN_DAYS``,
    ``event_date`` in this range (inclusive) or null. (None, None) means "any date".
    """
    if record.kind == Kind.advisory:
        day = record.event_date or (record.published_at.date() if record.published_at else None)
        if day is None:
            return None, None
        slack = timedelta(days=ADVISORY_WINDOW_DAYS)
        return day - slack, day + slack
    interval = _interval(record.event_date, record.time_precision, record.published_at)
    if interval is None:
        return None, None
    slack = timedelta(days=17)  # widest half-window a candidate can have (month precision) + 1
    return interval.start - slack, interval.end + slack
