"""How a place is chosen among homonyms: an additive, explainable score.

score = prior (feature type, then notability: PPLA town > village > admin unit > spot > terrain >
        marsh > river; a known population + 0.1 and up to 0.2 for its size; see ``prior``)
      + 0.3 x name quality (``Gazetteer.lookup_scored``: 1.0 exact main name, 0.85 alternate,
        0.9 phonetic, 0.85 qualifier / prefix / compound head, fuzzy similarity x 0.9)
      + 0.3 when the place is in the article's country (mention's country hint, else focus);
        the same when no country is known and the place is in a country whose full dump is loaded
      + 0.5 when an admin hint next to the name ("Douentza, Mopti") names its region or cercle,
        or a town within 60 km
      + 0.3 x closeness (1 at 0 km, 0 beyond 150 km) to the other places named in the article
      + 0.2 when a region named elsewhere in the article contains it
Each term is kept in ``Location.candidates`` so any choice can be explained.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sahelwatch.gazetteer import Place, prior
from sahelwatch.gazetteer.names import strip_admin_words

W_NAME = 0.3
W_COUNTRY = 0.3
W_COUNTRY_PRIMARY = 0.3
W_HINT = 0.5
W_NEAR = 0.3
W_REGION_CONTEXT = 0.2
NEAR_KM = 150.0
HINT_TOWN_KM = 60.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(slots=True)
class Evidence:
    """What the rest of the article says about where things are."""

    country_code: str | None = None
    primary: frozenset[str] = frozenset()  # countries whose full dump is loaded: the watched ones
    hint_admin: set[str] = field(default_factory=set)  # normalised admin names from the admin hint
    hint_points: list[tuple[float, float]] = field(default_factory=list)  # towns named as admin hint
    context_regions: set[str] = field(default_factory=set)  # normalised region / cercle names
    context_points: list[tuple[float, float]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Scored:
    place: Place
    score: float
    terms: dict[str, float]


def score_candidate(
    place: Place,
    name_quality: float,
    admin_names: tuple[str | None, str | None],
    evidence: Evidence,
) -> Scored:
    terms: dict[str, float] = {"prior": round(prior(place), 4), "name": round(W_NAME * name_quality, 4)}
    if evidence.country_code and place.country_code == evidence.country_code:
        terms["country"] = W_COUNTRY
    elif not evidence.country_code and place.country_code in evidence.primary:
        terms["country"] = W_COUNTRY_PRIMARY
    admin_keys = {strip_admin_words(n) for n in admin_names if n}
    hinted = bool(evidence.hint_admin and admin_keys & evidence.hint_admin)
    if hinted or (evidence.hint_points and _min_km(place, evidence.hint_points) <= HINT_TOWN_KM):
        terms["admin_hint"] = W_HINT
    if evidence.context_points:
        km = _min_km(place, evidence.context_points)
        if km < NEAR_KM:
            terms["near_context"] = round(W_NEAR * (1.0 - km / NEAR_KM), 4)
    if evidence.context_regions and admin_keys & evidence.context_regions:
        terms["region_context"] = W_REGION_CONTEXT
    return Scored(place=place, score=round(sum(terms.values()), 4), terms=terms)


def _min_km(place: Place, points: list[tuple[float, float]]) -> float:
    return min(haversine_km(place.latitude, place.longitude, lat, lon) for lat, lon in points)
