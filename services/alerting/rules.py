"""Alert rules: load and validate the YAML file, evaluate incidents, reload on change.

De-duplication is carried by ``alert_id``: hash(rule, incident_id, level), where level is the
fatality threshold bucket reached (0 for rules without levels); for advisories the advisory's level
text is part of the key too, so a raised advisory re-alerts. A redelivered message or an update
that crosses no new threshold yields the same id, so the service upserts by ``alert_id`` and
publishes only ids it has not seen. Windowed rules key on (rule, region, cooldown period) instead:
one alert per region per period however many incidents follow.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from sahelwatch.contracts import Alert, CanonicalIncident, Kind
from sahelwatch.errors import RulesError
from sahelwatch.geo import haversine_km
from services.alerting.match import fold
from services.alerting.rules_schema import Area, RulesFile, RuleSpec, Severity

log = logging.getLogger(__name__)

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.default.yaml")

_SHORT_NAMES = {
    "Remote explosive/landmine/IED": "IED",
    "Suicide bomb": "Suicide bombing",
    "Air/drone strike": "Air/drone strike",
    "Shelling/artillery/missile attack": "Shelling",
    "Armed clash": "Clash",
    "Attack": "Attack on civilians",
    "Abduction/forced disappearance": "Abduction",
    "Non-state actor overtakes territory": "Armed group takes territory",
    "Government regains territory": "Army regains territory",
    "Looting/property destruction": "Looting/destruction",
}


# --------------------------------------------------------------------------- titles


def alert_title(incident: CanonicalIncident) -> str:
    """Human line: 'IED near Gao, 2 killed' / 'Advisory: US Embassy — leave immediately (Mali)'."""
    loc = incident.location
    if incident.kind == Kind.advisory:
        adv = incident.advisory
        issuer = adv.issuer if adv and adv.issuer else "Security advisory"
        level = f" — {adv.level}" if adv and adv.level else ""
        where = (adv.area if adv and adv.area else None) or (loc.country or loc.name if loc else None)
        return f"Advisory: {issuer}{level}" + (f" ({where})" if where else "")
    what = _SHORT_NAMES.get(incident.sub_event_type or "", incident.sub_event_type or "")
    what = what or incident.event_type or "Incident"
    title = what
    if loc and (loc.name or loc.admin1):
        title += f" {'near' if loc.geo_precision == 2 else 'in'} {loc.name or loc.admin1}"
    if incident.fatalities:
        title += f", {incident.fatalities} killed"
    if incident.abducted:
        title += f", {incident.abducted} abducted"
    return title


def _alert_id(*parts: object) -> str:
    return "alt-" + hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:20]


# --------------------------------------------------------------------------- compiled rules


@dataclass(frozen=True)
class Rule:
    """A validated rule with its areas loaded as geometries."""

    spec: RuleSpec
    areas: tuple[tuple[str, BaseGeometry], ...] = ()
    _keywords: tuple[re.Pattern[str], ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def match(self, incident: CanonicalIncident) -> list[str] | None:
        """Reasons every condition holds, or None when one does not."""
        s, reasons = self.spec, []
        if s.kind is not None:
            if incident.kind != s.kind:
                return None
            reasons.append(f"kind {s.kind.value}")
        if s.event_types:
            if incident.event_type not in s.event_types:
                return None
            reasons.append(f"event type {incident.event_type}")
        if s.sub_event_types:
            if incident.sub_event_type not in s.sub_event_types:
                return None
            reasons.append(f"sub-event type {incident.sub_event_type}")
        levels = s.thresholds()
        if levels:
            if incident.fatalities is None or incident.fatalities < levels[0].at:
                return None
            reasons.append(f"{incident.fatalities} killed (>= {levels[self.level(incident)].at})")
        if s.actors:
            names = [fold(a.name) for a in incident.actors]
            hit = next((a for a in s.actors if any(fold(a) in n for n in names)), None)
            if hit is None:
                return None
            reasons.append(f"actor {hit}")
        loc = incident.location
        if s.admin1:
            region = fold(loc.admin1 if loc else None)
            if not region or region not in {fold(r) for r in s.admin1}:
                return None
            reasons.append(f"region {loc.admin1 if loc else ''}")
        if s.countries:
            if not loc or (loc.country_code or "").upper() not in s.countries:
                return None
            reasons.append(f"country {loc.country_code}")
        if s.keywords:
            haystack = _haystack(incident)
            hits = [k for p, k in zip(self._keywords, s.keywords, strict=True) if p.search(haystack)]
            if not hits:
                return None
            reasons.append(f"keyword {hits[0]!r}")
        if s.near or self.areas:
            if loc is None or loc.latitude is None or loc.longitude is None:
                return None
            lat, lon = loc.latitude, loc.longitude
            if s.near:
                near = [(haversine_km(lat, lon, p.lat, p.lon), p) for p in s.near]
                inside = [(d, p) for d, p in near if d <= p.radius_km]
                if not inside:
                    return None
                d, p = min(inside, key=lambda x: x[0])
                reasons.append(f"{d:.0f} km from {p.name} (<= {p.radius_km:g} km)")
            if self.areas:
                point = Point(lon, lat)
                hit_area = next((n for n, g in self.areas if g.covers(point)), None)
                if hit_area is None:
                    return None
                reasons.append(f"inside {hit_area}")
        return reasons

    def level(self, incident: CanonicalIncident) -> int:
        """Index of the highest fatality threshold reached (0 when the rule has none)."""
        reached = [i for i, lv in enumerate(self.spec.thresholds()) if (incident.fatalities or 0) >= lv.at]
        return reached[-1] if reached else 0

    def severity(self, level: int) -> Severity:
        levels = self.spec.thresholds()
        chosen = levels[level].severity if levels else None
        return chosen or self.spec.severity


def _haystack(incident: CanonicalIncident) -> str:
    parts: list[str | None] = [incident.summary, *(e.sentence for e in incident.evidence)]
    if incident.location:
        parts += [incident.location.name, incident.location.admin1, incident.location.admin2]
    if incident.advisory:
        parts += [incident.advisory.issuer, incident.advisory.level, incident.advisory.area]
    parts += [a.name for a in incident.actors]
    return fold(" \n ".join(p for p in parts if p))


def _variant(incident: CanonicalIncident) -> str:
    """What else re-alerts an incident: an advisory whose level changed (e.g. to 'leave immediately')."""
    if incident.kind == Kind.advisory and incident.advisory is not None:
        return fold(incident.advisory.level)
    return ""


def _reference_time(incident: CanonicalIncident) -> datetime:
    """When it happened, for windows: the event day (noon UTC) at day precision, else first seen."""
    if incident.event_date is not None and incident.time_precision == 1:
        return datetime.combine(incident.event_date, time(12), tzinfo=UTC)
    seen = incident.first_seen_at
    return seen if seen.tzinfo else seen.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- rule sets


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    source: str = "<memory>"

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    def evaluate(
        self,
        incident: CanonicalIncident,
        previous: CanonicalIncident | None = None,
        recent: Sequence[CanonicalIncident] = (),
    ) -> list[Alert]:
        """Alerts ``incident`` raises now.

        ``previous`` is the incident before this update (None for a new incident): a per-incident
        rule fires only if it did not match ``previous`` or its level rose. ``recent`` are other
        incidents the service fetched for windowed rules (same region, within the longest window).
        With ``previous=None`` every matching rule is returned at its current level, with the same
        ids as before: safe to call again after a crash.
        """
        alerts: list[Alert] = []
        for rule in self.rules:
            if not rule.spec.enabled:
                continue
            alert = (
                self._windowed(rule, incident, recent) if rule.spec.window else self._single(rule, incident, previous)
            )
            if alert is not None:
                alerts.append(alert)
        return alerts

    @staticmethod
    def _single(rule: Rule, incident: CanonicalIncident, previous: CanonicalIncident | None) -> Alert | None:
        reasons = rule.match(incident)
        if reasons is None:
            return None
        level, variant = rule.level(incident), _variant(incident)
        if (
            previous is not None
            and rule.match(previous) is not None
            and rule.level(previous) >= level
            and _variant(previous) == variant
        ):
            return None  # already alerted at this level
        follow_up = previous is not None
        reason = "; ".join(reasons) or "matches every incident"
        return Alert(
            trace_id=incident.trace_id,
            stamps=dict(incident.stamps),
            alert_id=_alert_id(rule.name, incident.incident_id, level, *([variant] if variant else [])),
            rule=rule.name,
            severity=rule.severity(level),
            incident_id=incident.incident_id,
            incident_version=incident.version,
            title=("Update: " if follow_up else "") + alert_title(incident),
            reason=reason,
            follow_up=follow_up,
            incident=incident,
        )

    @staticmethod
    def _windowed(rule: Rule, incident: CanonicalIncident, recent: Sequence[CanonicalIncident]) -> Alert | None:
        window = rule.spec.window
        region = incident.location.admin1 if incident.location else None
        if window is None or not region or rule.match(incident) is None:
            return None
        at = _reference_time(incident)
        ids = {incident.incident_id}
        for other in recent:
            other_region = other.location.admin1 if other.location else None
            if other.incident_id in ids or fold(other_region) != fold(region):
                continue
            close = abs((_reference_time(other) - at).total_seconds()) <= window.hours * 3600
            if close and rule.match(other) is not None:
                ids.add(other.incident_id)
        if len(ids) < window.count:
            return None
        period = (window.cooldown_hours or window.hours) * 3600
        bucket = math.floor(at.timestamp() / period)
        return Alert(
            trace_id=incident.trace_id,
            stamps=dict(incident.stamps),
            alert_id=_alert_id(rule.name, "admin1:" + fold(region), bucket),
            rule=rule.name,
            severity=rule.spec.severity,
            incident_id=incident.incident_id,
            incident_version=incident.version,
            title=f"{len(ids)} incidents in {region} within {window.hours:g} h",
            reason=f"{len(ids)} matching incidents in {region} within {window.hours:g} h "
            f"(>= {window.count}); latest: {alert_title(incident)}",
            incident=incident,
        )


# --------------------------------------------------------------------------- loading


def _load_area(area: Area, base: Path) -> tuple[str, BaseGeometry]:
    data: Any = area.geojson
    label = area.name or area.file or "area"
    if area.file is not None:
        path = Path(area.file) if os.path.isabs(area.file) else base / area.file
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read GeoJSON file {str(path)!r}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("GeoJSON must be an object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        geoms = [f.get("geometry") for f in data.get("features", []) if isinstance(f, dict)]
    elif kind == "Feature":
        geoms = [data.get("geometry")]
    else:
        geoms = [data]
    try:
        shapes = [shape(g) for g in geoms if g]
    except Exception as exc:  # shapely raises several types on bad geometry
        raise ValueError(f"invalid GeoJSON geometry: {exc}") from exc
    if not shapes or not any(s.area > 0 for s in shapes):
        raise ValueError("GeoJSON area has no polygon")
    return label, unary_union(shapes)


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"field '{'.'.join(str(p) for p in err['loc']) or '(rule)'}': {err['msg']}" for err in exc.errors()
    )


def parse_rules(data: object, *, source: str = "<memory>", base: Path | None = None) -> RuleSet:
    """Validate already-parsed YAML; RulesError names the rule and field of each problem."""
    try:
        doc = RulesFile.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"{source}: {_problems(exc)} (expected a mapping with a 'rules' list)") from exc
    errors: list[str] = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc.rules, start=1):
        label = f"rule #{i}" + (f" {raw['name']!r}" if isinstance(raw.get("name"), str) else "")
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as exc:
            errors.append(f"{label}: {_problems(exc)}")
            continue
        if spec.name in seen:
            errors.append(f"{label}: field 'name': duplicate rule name")
            continue
        seen.add(spec.name)
        try:
            areas = tuple(_load_area(a, base or Path.cwd()) for a in spec.areas)
        except ValueError as exc:
            errors.append(f"{label}: field 'areas': {exc}")
            continue
        keywords = tuple(re.compile(r"\b" + re.escape(fold(k)) + r"\b") for k in spec.keywords)
        rules.append(Rule(spec=spec, areas=areas, _keywords=keywords))
    if errors:
        raise RulesError(f"{source}: invalid alert rules: " + " | ".join(errors))
    return RuleSet(rules=tuple(rules), source=source)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load and validate a rules file (default: the packaged rules.default.yaml)."""
    path = Path(path) if path is not None else DEFAULT_RULES_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: invalid YAML: {exc}") from exc
    return parse_rules(data, source=str(path), base=path.parent)


class RuleBook:
    """The rules of a file, reloaded when its mtime or size changes (checked on ``current()``).

    Built with a valid file or raises RulesError. A later invalid edit is logged and ignored: the
    previous rules stay in force until the file is fixed.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else DEFAULT_RULES_PATH
        self._stamp = self._stat()
        self._rules = load_rules(self.path)
        self.last_error: str | None = None

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def current(self) -> RuleSet:
        stamp = self._stat()
        if stamp is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self._rules = load_rules(self.path)
            except RulesError as exc:
                self.last_error = str(exc)
                log.error("alert rules not reloaded, keeping previous rules", extra={"error": str(exc)})
            else:
                self.last_error = None
                log.info("alert rules reloaded", extra={"rules": self._rules.names})
        return self._rules
