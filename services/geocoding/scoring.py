"""How a place is chosen among homonyms: an additive, explainable score.

score = prior (feature type, then notability: PPLA town > village > admin unit > spot > terrain >
        marsh > river; a known population + 0.1 and up to 0.2 for its size; see ``prior``)
      + 0.3 x name quality (``Gazetteer.lookup_scored``: 1.0 exact main name, 0.85 alternate,
        0.9 phonetic, 0.85 qualifier / prefix / compound head, fuzzy similarity x 0.9)
      + 0.3 when the place is in the article's country (mention's country hint, else focus);
        the same when no country is known and the place is in a country whose full dump is loaded
      + 0.5 when an admin hint next to the name ("Douentza, Mopti") names its region or cercle,
        or when it lies within an anchor town's radius ("Mariko, near Niono": 60 km; "60 km south
        of Y": the stated distance with room for error), + up to 0.15 more the closer to the anchor
      + 0.3 x closeness (1 at 0 km, 0 beyond 150 km) to the other places named in the article
      + 0.2 when a region named elsewhere in the article contains it
      + 0.03 in a region where the watched conflicts are fought (``CONFLICT_REGIONS``): a tie-breaker
        between namesake villages the text says nothing more about (less than a spelling difference)
      + 0.3 x closeness (1 on it, 0 beyond 100 km) to the border the text places it on ("near the
        Niger border")
Each term is kept in ``Location.candidates`` so any choice can be explained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from sahelwatch.gazetteer import Place, Region, prior
from sahelwatch.gazetteer.index import MatchTier
from sahelwatch.gazetteer.names import strip_admin_words
from sahelwatch.geo import haversine_km
from services.geocoding.hints import Anchor

W_NAME = 0.3
W_COUNTRY = 0.3
W_COUNTRY_PRIMARY = 0.3
W_HINT = 0.5
W_ANCHOR_CLOSE = 0.15
W_NEAR = 0.3
W_REGION_CONTEXT = 0.2
NEAR_KM = 150.0
W_CONFLICT_AREA = 0.03
W_BORDER = 0.3
BORDER_KM = 100.0  # "near the X border": within this of it
# A spelling that only resembles the name needs support: another place of the article this close,
# the region it names, the admin hint, an anchor (``Anchor.loose_radius_km``) or the border named.
SUPPORT_KM = 50.0
# Regions of the Sahel conflicts the product watches (central and northern Mali, northern and
# eastern Burkina Faso, western Niger): public knowledge, not a property of any one article. A
# village named with no other clue is likelier to be the namesake there than one in Kayes.
CONFLICT_REGIONS = frozenset(
    strip_admin_words(name)
    for name in (
        "Mopti", "Ségou", "Tombouctou", "Gao", "Kidal", "Ménaka", "Taoudénit",  # Mali
        "Sahel", "Nord", "Est", "Centre-Nord", "Boucle du Mouhoun",  # Burkina Faso
        "Tillabéri", "Tahoua", "Diffa",  # Niger
    )
)  # fmt: skip


def conflict_region_keys(names: Iterable[str]) -> frozenset[str]:
    """Region names as an operator writes them ("Tillabéri", "Sikasso Region") -> lookup keys."""
    return frozenset(strip_admin_words(name) for name in names)


@dataclass(slots=True)
class Evidence:
    """What the rest of the article says about where things are."""

    country_code: str | None = None
    primary: frozenset[str] = frozenset()  # countries whose full dump is loaded: the watched ones
    hint_admin: set[str] = field(default_factory=set)  # normalised admin names from the admin hint
    anchors: list[Anchor] = field(default_factory=list)  # towns named as the place's surroundings
    hint_regions: list[Region] = field(default_factory=list)  # regions named as admin hint
    context_regions: set[str] = field(default_factory=set)  # normalised region / cercle names
    context_points: list[tuple[float, float]] = field(default_factory=list)
    borders: list[str] = field(default_factory=list)  # "near the Niger border": ISO codes
    conflict_regions: frozenset[str] = CONFLICT_REGIONS  # normalised names (``conflict_region_keys``)


Support = Literal["anchor", "admin", "context", "region", "border"]


@dataclass(frozen=True, slots=True)
class Scored:
    place: Place
    score: float
    terms: dict[str, float]
    tier: MatchTier = "exact"  # how the name matched (``sahelwatch.gazetteer.index.NameMatch``)


def score_candidate(
    place: Place,
    name_quality: float,
    admin_names: tuple[str | None, str | None],
    evidence: Evidence,
    *,
    border_km: float | None = None,
    tier: MatchTier = "exact",
) -> Scored:
    terms: dict[str, float] = {"prior": round(prior(place), 4), "name": round(W_NAME * name_quality, 4)}
    if evidence.country_code and place.country_code == evidence.country_code:
        terms["country"] = W_COUNTRY
    elif not evidence.country_code and place.country_code in evidence.primary:
        terms["country"] = W_COUNTRY_PRIMARY
    admin_keys = {strip_admin_words(n) for n in admin_names if n}
    hinted = bool(evidence.hint_admin and admin_keys & evidence.hint_admin)
    closeness = anchor_closeness(place, evidence.anchors)
    if hinted or closeness is not None:
        terms["admin_hint"] = W_HINT
    if closeness is not None:
        terms["anchor"] = round(W_ANCHOR_CLOSE * closeness, 4)
    if evidence.context_points:
        km = _min_km(place, evidence.context_points)
        if km < NEAR_KM:
            terms["near_context"] = round(W_NEAR * (1.0 - km / NEAR_KM), 4)
    if evidence.context_regions and admin_keys & evidence.context_regions:
        terms["region_context"] = W_REGION_CONTEXT
    if admin_names[0] and strip_admin_words(admin_names[0]) in evidence.conflict_regions:
        terms["conflict_area"] = W_CONFLICT_AREA
    if border_km is not None and border_km < BORDER_KM:
        terms["border"] = round(W_BORDER * (1.0 - border_km / BORDER_KM), 4)
    return Scored(place=place, score=round(sum(terms.values()), 4), terms=terms, tier=tier)


def support(
    place: Place, admin_names: tuple[str | None, str | None], evidence: Evidence, border_km: float | None
) -> Support | None:
    """What in the text backs a candidate matched by a looser spelling, or None (an unbacked guess).

    An anchor town overrides the rest: with one, only a place within its loose radius is backed.
    A border the text names and the place is far from is evidence against it.
    """
    anchors = [a for a in evidence.anchors if a.fallback]  # not "X, Mopti": a region, not a town
    if anchors:
        for anchor in anchors:
            km = haversine_km(place.latitude, place.longitude, anchor.place.latitude, anchor.place.longitude)
            if km <= anchor.loose_radius_km:
                return "anchor"
        return None
    if border_km is not None:
        return "border" if border_km <= BORDER_KM else None
    admin_keys = {strip_admin_words(n) for n in admin_names if n}
    if evidence.hint_admin and admin_keys & evidence.hint_admin:
        return "admin"
    if evidence.context_points and _min_km(place, evidence.context_points) <= SUPPORT_KM:
        return "context"
    if evidence.context_regions and admin_keys & evidence.context_regions:
        return "region"
    return None


def contradicted(place: Place, evidence: Evidence, border_km: float | None, *, tight: bool) -> bool:
    """A spelling variant the text places elsewhere: away from the border it names, or from its
    anchor town (with ``tight``, beyond the anchor's loose radius, else beyond its radius)."""
    if border_km is not None and border_km > BORDER_KM:
        return True
    anchors = [a for a in evidence.anchors if a.fallback]
    if not anchors:
        return False
    return all(
        haversine_km(place.latitude, place.longitude, a.place.latitude, a.place.longitude)
        > (a.loose_radius_km if tight else a.radius_km)
        for a in anchors
    )


def anchor_closeness(place: Place, anchors: list[Anchor]) -> float | None:
    """1 at an anchor, 0 at its radius; None when the place is beyond every anchor's radius."""
    best: float | None = None
    for anchor in anchors:
        km = haversine_km(place.latitude, place.longitude, anchor.place.latitude, anchor.place.longitude)
        if km <= anchor.radius_km:
            value = 1.0 - km / anchor.radius_km
            best = value if best is None else max(best, value)
    return best


def _min_km(place: Place, points: list[tuple[float, float]]) -> float:
    return min(haversine_km(place.latitude, place.longitude, lat, lon) for lat, lon in points)
