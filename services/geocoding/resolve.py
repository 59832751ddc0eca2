"""Place mention -> Location: pick among homonyms, attach admin names, set geo_precision.

Precision: 1 = the place itself ("in Gao"), 2 = near it ("15 km from Gao", "north of Gao") or a
feature that is an area (forest, hill, marsh), 3 = region (centroid) or country (no point).
An unknown name returns None: the record's location stays null, never a made-up point.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from sahelwatch.contracts import IncidentRecord, Location, PlaceMention
from sahelwatch.gazetteer import Gazetteer, Place, Region, prior
from sahelwatch.gazetteer.index import LINEAR_CODES, MAJOR_SEATS, MatchTier
from sahelwatch.gazetteer.names import normalize, strip_admin_words
from sahelwatch.geo import haversine_km
from sahelwatch.telemetry import GEO_PRECISION, GEOCODE_LOOKUP_SECONDS, GEOCODE_RESULTS
from services.geocoding.hints import Anchor, anchor_radius, border_countries, split_hint
from services.geocoding.scoring import (
    CONFLICT_REGIONS,
    Evidence,
    Scored,
    conflict_region_keys,
    contradicted,
    score_candidate,
    support,
)

MAX_CANDIDATES = 5
# Homonyms of another place of the article taken as context, and how close in prior they must be.
CONTEXT_HOMONYMS = 8
CONTEXT_TIE = 0.05
# A looser spelling is only accepted next to an anchor town: "Tin-Tadayni, 60 km south of X".
ANCHOR_FUZZY_CUTOFF = 80.0
# Runner-up this close, and far away: the choice is reported as ambiguous in the metrics.
AMBIGUOUS_MARGIN = 0.05
AMBIGUOUS_KM = 25.0
NOTABLE_POPULATION = 20_000
# "Dogofri-Diabaly", "Tessit–Anderamboukan": two towns joined by a hyphen or a dash, each this long
_PAIR = re.compile(r"\s*[-–—/]\s*")
PAIR_MIN_LEN = 4
_BORDER = re.compile(r"[\s-]*(?:[A-Z][\w]+[\s-]+)?(?:border|frontier|fronti[eè]re)", re.IGNORECASE)
_POINT_CLASSES = frozenset({"P", "S"})
_SPAN_RELATION: dict[str, Literal["in", "region", "country"]] = {
    "settlement": "in", "admin2": "in", "admin1": "region", "country": "country", "other": "in",
}  # fmt: skip


class Geocoder:
    """Resolves place mentions against a Gazetteer; pure, no I/O, safe to share."""

    def __init__(self, gazetteer: Gazetteer, conflict_regions: Iterable[str] | None = None) -> None:
        self.gazetteer = gazetteer
        self._conflict = CONFLICT_REGIONS if conflict_regions is None else conflict_region_keys(conflict_regions)
        self._admin_cache: dict[int, tuple[str | None, str | None]] = {}
        self._primary = frozenset(gazetteer.primary_countries)
        gazetteer.borders  # noqa: B018 - outline the borders now, not on the first "near the X border"

    # ------------------------------------------------------------------ public

    def geocode(self, record: IncidentRecord, context: Sequence[PlaceMention] = ()) -> IncidentRecord:
        """A copy of ``record`` with ``location`` resolved from ``record.place``; counts the outcome.

        A place the gazetteer does not know keeps its name with null coordinates and precision.
        """
        if record.place is None:
            GEOCODE_RESULTS.labels(outcome="no_place").inc()
            return record.model_copy(update={"location": None})
        context = [*context, *self._evidence_places(record)]
        sentences = " ".join(dict.fromkeys(e.sentence for e in record.evidence))
        borders = border_countries(sentences, self._country_code)
        location = self.resolve(record.place, context, country_focus=self._focus(context), borders=borders)
        if location is None:
            # The place as the text names it, with no point: honest, and still searchable by name.
            GEOCODE_RESULTS.labels(outcome="unresolved").inc()
            location = Location(name=record.place.name)
        else:
            GEOCODE_RESULTS.labels(outcome="ambiguous" if _ambiguous(location) else "resolved").inc()
            GEO_PRECISION.labels(precision=str(location.geo_precision)).inc()
        return record.model_copy(update={"location": location})

    def resolve(
        self,
        mention: PlaceMention,
        context: Sequence[PlaceMention] = (),
        country_focus: str | None = None,
        *,
        borders: Sequence[str] = (),
    ) -> Location | None:
        """The Location ``mention`` most likely names, or None when the gazetteer does not know it.

        ``borders``: ISO codes of the countries the text says the place borders ("near the Niger
        border"), see ``hints.border_countries``.
        """
        started = time.perf_counter()
        try:
            return self._resolve(mention, context, country_focus, borders)
        finally:
            GEOCODE_LOOKUP_SECONDS.observe(time.perf_counter() - started)

    def resolve_name(self, name: str, country_focus: str | None = None) -> Location | None:
        """Shortcut: ``resolve`` a bare name ("in <name>") with no article context."""
        return self.resolve(PlaceMention(name=name), (), country_focus)

    # ------------------------------------------------------------------ steps

    def _resolve(
        self, mention: PlaceMention, context: Sequence[PlaceMention], country_focus: str | None, borders: Sequence[str]
    ) -> Location | None:
        name = mention.name.strip()
        if not normalize(name):
            return None
        focus = self._country_code(mention.country_hint) or self._country_code(country_focus)
        if mention.relation in ("country", "in", "region"):
            country = self.gazetteer.country(name)
            if country is not None:
                return Location(name=country.name, country=country.name, country_code=country.code,
                                geo_precision=3, score=1.0)  # fmt: skip
        if mention.relation == "region":
            region = self.gazetteer.region(name, focus)
            if region is not None:
                return self._region_location(region)
        evidence = self._evidence(name, mention, context, focus)
        evidence.borders = self._known_borders(borders, focus)
        scored = self._candidates(name, evidence, focus)
        anchors = [a for a in evidence.anchors if a.fallback]
        if anchors and not any("admin_hint" in s.terms for s in scored):
            # "Mariko, near Niono" with no Mariko near Niono: a close spelling near the anchor,
            # else the anchor itself (precision 2) -- never a namesake hundreds of km away.
            near_anchor = self._fuzzy_near_anchor(name, evidence)
            if near_anchor:
                scored = near_anchor + scored
            elif not scored or scored[0].place.feature_code not in MAJOR_SEATS:
                return self._anchor_location(anchors[0], scored)
        elif evidence.hint_regions and not any("admin_hint" in s.terms for s in scored):
            # "the Boulkessi area of Mopti", no Boulkessi known in Mopti: the region, precision 3
            return self._region_location(evidence.hint_regions[0], scored)
        if not scored:
            region = self.gazetteer.region(name, focus)
            if region is not None:
                return self._region_location(region)
            pair = self._pair(name, evidence, focus)
            return self._place_location(pair[0], pair, near=True) if pair else None
        best = scored[0]
        if best.place.feature_code == "ADM1" and mention.relation in ("in", "region"):
            region = self.gazetteer.region(best.place.name, best.place.country_code)
            if region is not None:
                return self._region_location(region, scored)
        # "the Douentza region" naming a cercle or a town: the town's point, as near it (ACLED's use)
        near = mention.relation in ("near", "distance", "direction", "region")
        return self._place_location(best, scored, near=near)

    def _candidates(self, name: str, evidence: Evidence, focus: str | None) -> list[Scored]:
        found = self.gazetteer.lookup_matches(name)[: MAX_CANDIDATES * 4]
        if not found:
            return []
        if focus and found[0].tier != "exact" and all(m.place.country_code != focus for m in found):
            # An approximate spelling matching only places in another country than the article's:
            # more likely a place the gazetteer lacks ("Kandadji", Niger) than a foreign homonym.
            return []
        unique: dict[int, Scored] = {}
        for match in found:  # one place may match by two keys: keep its first, best-ordered
            if match.place.geonameid in unique:
                continue
            scored = self._score(match.place, match.quality, evidence, match.tier)
            if scored is not None:
                unique[match.place.geonameid] = scored
        return sorted(unique.values(), key=lambda s: -s.score)

    def _score(self, place: Place, quality: float, evidence: Evidence, tier: MatchTier) -> Scored | None:
        """The candidate's score, or None for a spelling variant the text does not back.

        A spelling that sounds the same ("sound") or is close ("variant") is dropped when the text
        places the name elsewhere: away from the border it names, or from its anchor town (a
        "variant" within ``Anchor.loose_radius_km``); a looser one ("loose") must be backed: near an
        anchor, another place of the article or the named border, or in the region named
        (``scoring.support``); an administrative seat or a large town needs no more than a variant.
        Otherwise: null, or the anchor, rather than a wrong point.
        """
        admin_names = self._admin_names(place)
        border_km = self._border_km(place, evidence.borders)
        if tier == "loose" and _notable(place):
            tier = "variant"  # a misspelt town ("Timbutku") is likelier than an unknown namesake village
        if tier in ("sound", "variant") and contradicted(place, evidence, border_km, tight=tier == "variant"):
            return None
        if tier == "loose" and support(place, admin_names, evidence, border_km) is None:
            return None
        return score_candidate(place, quality, admin_names, evidence, border_km=border_km, tier=tier)

    def _border_km(self, place: Place, borders: Sequence[str]) -> float | None:
        """km to the nearest border the text names, None when it names none (or none is known)."""
        if not borders or place.feature_class == "A" or place.feature_code.startswith("PCL"):
            return None
        found = [self.gazetteer.borders.distance_km(place.latitude, place.longitude, code) for code in borders]
        known = [km for km in found if km is not None]
        return min(known) if known else None

    def _known_borders(self, borders: Sequence[str], focus: str | None) -> list[str]:
        """The named borders that the admin polygons outline; "the Mali-Niger border" in a story
        about Mali is the Niger border."""
        codes = [c for c in dict.fromkeys(borders) if self.gazetteer.borders.known(c)]
        if len(codes) > 1 and focus in codes:
            codes.remove(focus)
        return codes

    def _pair(self, name: str, evidence: Evidence, focus: str | None) -> list[Scored]:
        """'Dogofri-Diabaly' (the area, the road between two towns), unknown as one name: the likelier
        of the two towns, as near it (precision 2). Both halves must name a settlement."""
        halves = [h for h in _PAIR.split(name.strip()) if h]
        if len(halves) != 2 or any(len(normalize(h)) < PAIR_MIN_LEN for h in halves):
            return []
        towns: list[Scored] = []
        for half in halves:
            found = [s for s in self._candidates(half, evidence, focus) if s.tier in ("exact", "sound")]
            found = [s for s in found if s.place.feature_class == "P"]
            if not found:
                return []
            towns.append(found[0])
        return sorted(towns, key=lambda s: -s.score)

    def _fuzzy_near_anchor(self, name: str, evidence: Evidence) -> list[Scored]:
        """Looser spellings ("Tin-Tadayni" / "Tin Tadéini") accepted only close to an anchor."""
        found = self.gazetteer.fuzzy(name, limit=10, cutoff=ANCHOR_FUZZY_CUTOFF)
        scored = [
            s
            for p, sim in found
            if p.feature_code not in LINEAR_CODES
            and (s := self._score(p, 0.9 * sim / 100.0, evidence, "loose")) is not None
        ]
        scored.sort(key=lambda s: -s.score)
        return scored

    def _evidence(
        self,
        name: str,
        mention: PlaceMention,
        context: Sequence[PlaceMention],
        focus: str | None,
        *,
        anchors: bool = True,
    ) -> Evidence:
        evidence = Evidence(country_code=focus, primary=self._primary, conflict_regions=self._conflict)
        if mention.admin_hint:
            self._add_hint(evidence, name, mention.admin_hint, context, focus, anchors=anchors)
        own = normalize(name)
        seen: set[str] = {own}
        for other in context:
            key = normalize(other.name)
            if key in seen or not key:
                continue
            seen.add(key)
            if other.relation == "country" or self.gazetteer.country(other.name) is not None:
                continue
            region = self.gazetteer.region(other.name, focus)
            if other.relation == "region" or (region is not None and not self._is_town(other.name)):
                evidence.context_regions.add(strip_admin_words(other.name))
                continue
            evidence.context_points.extend(self._context_points(other.name))
        return evidence

    def _context_points(self, name: str) -> list[tuple[float, float]]:
        """Where another place of the article may be: its likeliest homonym, and those as likely
        (several villages of one name and no population: each could be the one meant)."""
        places = [p for p in self.gazetteer.lookup(name)[:CONTEXT_HOMONYMS] if _has_point(p)]
        if not places:
            return []
        top = prior(places[0])
        return [(p.latitude, p.longitude) for p in places if top - prior(p) <= CONTEXT_TIE]

    def _add_hint(
        self,
        evidence: Evidence,
        name: str,
        hint: str,
        context: Sequence[PlaceMention],
        focus: str | None,
        *,
        anchors: bool,
    ) -> None:
        parts = split_hint(hint)
        regions: list[str] = []
        for part in parts:
            if part.km is not None:
                continue
            evidence.hint_admin.add(strip_admin_words(part.name))
            region = self.gazetteer.region(part.name, focus)
            if region is not None:
                evidence.hint_admin.add(strip_admin_words(region.name))
                evidence.hint_regions.append(region)
                regions.append(part.name)
        if not anchors:
            return
        around = PlaceMention(name="", admin_hint=", ".join(regions) or None)
        # the namesakes of the place being located: "Dah, near Sokoura" wants the Sokoura nearest a Dah
        own = [p for p in self.gazetteer.lookup(name)[:CONTEXT_HOMONYMS] if p.feature_code not in LINEAR_CODES]
        for part in parts:
            # "NTillit", "Indeliman": an anchor may be written as loosely as any name, short of a guess
            named = [m.place for m in self.gazetteer.lookup_matches(part.name)[:CONTEXT_HOMONYMS] if m.tier != "loose"]
            town_anchor = any(p.feature_class == "P" for p in named)
            if not town_anchor and not _landmark(named, part.km):
                continue
            # The anchor itself may have namesakes: resolve it with the region named beside it.
            sub = self._evidence(part.name, around, context, focus, anchors=False)
            sub.context_points.extend((p.latitude, p.longitude) for p in own)
            towns = [
                s
                for s in self._candidates(part.name, sub, focus)
                if (s.place.feature_class == "P" or not town_anchor) and s.tier != "loose"
            ]
            if towns:
                is_region = part.name in regions  # "Douna, Mopti": the region, not a town to stand in for it
                anchor = Anchor(towns[0].place, anchor_radius(part.km), fallback=not is_region, km=part.km)
                evidence.anchors.append(anchor)

    # ------------------------------------------------------------------ building locations

    def _place_location(self, best: Scored, scored: list[Scored], *, near: bool) -> Location:
        place = best.place
        admin1, admin2 = self._admin_names(place)
        country = self.gazetteer.country_name(place.country_code)
        base = {
            "name": place.name, "admin1": admin1, "admin2": admin2, "country": country,
            "country_code": place.country_code or None, "gazetteer_id": f"geonames:{place.geonameid}",
            "feature_code": place.feature_code, "candidates": _explain(scored, self), "score": best.score,
        }  # fmt: skip
        if place.feature_code.startswith("PCL"):
            return Location(**{**base, "admin1": None, "admin2": None, "geo_precision": 3})
        if place.feature_code in LINEAR_CODES:  # a river: no meaningful point, crosses regions
            return Location(**{**base, "admin1": None, "admin2": None, "geo_precision": 3})
        if place.feature_code == "ADM2" and self.gazetteer.admin is not None:
            centroid = self.gazetteer.admin.cercle_centroid(place.name)
            if centroid is not None:
                return Location(**base, latitude=centroid[0], longitude=centroid[1], geo_precision=2)
        precision = 1 if place.feature_class in _POINT_CLASSES and not near else 2
        if place.feature_code == "ADM1":
            precision = 3  # a cercle or commune is "part of a region" (2); a region is 3
        return Location(**base, latitude=place.latitude, longitude=place.longitude, geo_precision=precision)

    def _anchor_location(self, anchor: Anchor, rejected: list[Scored]) -> Location:
        """The anchor town, as near it (precision 2); the rejected namesakes stay in the candidates."""
        stand_in = Scored(anchor.place, 0.0, {"anchor_fallback": 1.0})
        return self._place_location(stand_in, [stand_in, *rejected], near=True)

    def _region_location(self, region: Region, scored: Sequence[Scored] = ()) -> Location:
        return Location(
            name=region.name, admin1=region.name, country=self.gazetteer.country_name(region.country_code),
            country_code=region.country_code or None, latitude=region.latitude, longitude=region.longitude,
            geo_precision=3, gazetteer_id=f"geonames:{region.geonameid}" if region.geonameid else None,
            feature_code="ADM1", candidates=_explain(list(scored), self),
            score=scored[0].score if scored else 1.0,
        )  # fmt: skip

    def _admin_names(self, place: Place) -> tuple[str | None, str | None]:
        """(region, cercle): from the polygons when they cover the point, else GeoNames codes.

        The polygons predate 2016; when GeoNames puts the place in a region they do not know
        (Ménaka, Taoudénit), the current GeoNames region name wins.
        """
        cached = self._admin_cache.get(place.geonameid)
        if cached is not None:
            return cached
        geo_admin1 = self.gazetteer.admin1_name(place)
        admin1, admin2 = geo_admin1, self.gazetteer.admin2_name(place)
        admin = self.gazetteer.admin
        if admin is not None and not place.feature_code.startswith("PCL"):
            area = admin.locate(place.latitude, place.longitude)
            if area is not None and (area.country_code in (None, place.country_code)):
                admin1, admin2 = area.admin1, area.admin2
                if geo_admin1 and admin.region_display(geo_admin1) is None:
                    admin1 = geo_admin1
        result = (admin1, admin2)
        if len(self._admin_cache) < 500_000:
            self._admin_cache[place.geonameid] = result
        return result

    def _country_code(self, value: str | None) -> str | None:
        if not value:
            return None
        if len(value) == 2 and value.isupper():
            return value
        country = self.gazetteer.country(value)
        return country.code if country else None

    def _evidence_places(self, record: IncidentRecord) -> list[PlaceMention]:
        """Places named in the record's evidence sentences: more context than the places alone."""
        sentences = dict.fromkeys(e.sentence for e in record.evidence)
        found: list[PlaceMention] = []
        for sentence in sentences:
            for span in self.gazetteer.find_spans(sentence):
                relation = _SPAN_RELATION.get(span.kind)
                if relation == "country" and _BORDER.match(sentence, span.end):
                    continue  # "near the Niger border": next to that country, not in it
                if relation is not None:
                    found.append(PlaceMention(name=span.name, relation=relation))
        return found

    def _focus(self, context: Sequence[PlaceMention]) -> str | None:
        """The country the article is about: the most named among its countries, country hints and
        towns that exist in one country only ("near the Burkina border" in a story about Douentza)."""
        votes: Counter[str] = Counter()
        for mention in context:
            code = self._country_code(mention.country_hint)
            if code is None and mention.relation in ("country", "in"):
                country = self.gazetteer.country(mention.name)
                code = country.code if country else None
            if code is None and mention.relation != "country":
                found = {p.country_code for p in self.gazetteer.lookup(mention.name)[:5] if p.feature_class in "PA"}
                code = found.pop() if len(found) == 1 else None
            if code:
                votes[code] += 1
        return votes.most_common(1)[0][0] if votes else None

    def _is_town(self, name: str) -> bool:
        return any(p.feature_class == "P" for p in self.gazetteer.lookup(name)[:2])


def _notable(place: Place) -> bool:
    """An administrative seat or a town of 20,000 people: named in the news far more than a village."""
    return place.feature_code in MAJOR_SEATS or (place.feature_class == "P" and place.population >= NOTABLE_POPULATION)


def _has_point(place: Place) -> bool:
    """A village, camp, well or marsh locates its neighbours; an admin unit or a river does not."""
    return place.feature_class != "A" and place.feature_code not in LINEAR_CODES


def _explain(scored: Sequence[Scored], geocoder: Geocoder) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in scored[:MAX_CANDIDATES]:
        place = item.place
        out.append({
            "gazetteer_id": f"geonames:{place.geonameid}", "name": place.name,
            "feature_code": place.feature_code, "country_code": place.country_code,
            "admin1": geocoder._admin_names(place)[0], "latitude": place.latitude,
            "longitude": place.longitude, "population": place.population, "score": item.score,
            "terms": dict(item.terms),
        })  # fmt: skip
    return out


def _ambiguous(location: Location) -> bool:
    cands = location.candidates
    if len(cands) < 2:
        return False
    first, second = cands[0], cands[1]
    s1, s2 = first.get("score"), second.get("score")
    if not isinstance(s1, float | int) or not isinstance(s2, float | int) or s1 - s2 > AMBIGUOUS_MARGIN:
        return False
    coords = [first.get("latitude"), first.get("longitude"), second.get("latitude"), second.get("longitude")]
    if not all(isinstance(c, float) for c in coords):
        return True
    lat1, lon1, lat2, lon2 = (float(c) for c in coords if isinstance(c, float))
    return haversine_km(lat1, lon1, lat2, lon2) > AMBIGUOUS_KM


_LANDMARK_CLASSES = frozenset({"L", "S", "H"})  # localities, camps, wells


def _landmark(named: Sequence[Place], km: float | None) -> bool:
    """An anchor that is no town: a locality, camp or well ("30 km NE of Almoustarast", a locality)
    stands in when it is a single point, or when the hint measures a distance from it."""
    points = {p.geonameid for p in named if p.feature_class in _LANDMARK_CLASSES and p.feature_code not in LINEAR_CODES}
    return len(points) == 1 or (km is not None and bool(points))
