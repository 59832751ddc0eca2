"""The in-memory gazetteer: places indexed by every normalised name, admin and country tables.

Built once per process (see ``sahelwatch.gazetteer.load_gazetteer``). Memory stays small: places
are slotted dataclasses, name keys are interned and map to tuples of place positions.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from rapidfuzz import fuzz, process

from sahelwatch.gazetteer.admin import AdminPolygons
from sahelwatch.gazetteer.borders import Borders
from sahelwatch.gazetteer.geonames import Place
from sahelwatch.gazetteer.names import (
    compact,
    display_admin,
    head_alias,
    intern,
    is_latin,
    normalize,
    phonetic,
    skeleton,
    strip_admin_words,
    tamasheq_stem,
)
from sahelwatch.gazetteer.spans import SpanFinder
from sahelwatch.geo import haversine_km
from sahelwatch.places import PlaceKind, PlaceSpan

# rapidfuzz ratio on compact keys. 85 accepts one or two letters off in a long name
# (Ogossagou/Ogassagou 88.9, Tinzaouatine/Tinzaouatene 91.7) and rejects one letter off in a
# name of four (Kati/Kari 75). Names shorter than FUZZY_MIN_LEN are never fuzzy-matched.
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LEN = 5

_CLASS_PRIOR = {"P": 0.8, "A": 0.6, "S": 0.5, "L": 0.4, "V": 0.4, "T": 0.4, "R": 0.3, "U": 0.3, "H": 0.25}
_CODE_PRIOR = {
    "PPLC": 1.0, "PPLA": 0.95, "PPLA2": 0.9, "PPLA3": 0.85, "PPLA4": 0.85, "PPLL": 0.75, "PPLX": 0.7,
    "PPLH": 0.4, "PPLQ": 0.3, "PPLW": 0.3, "ADM1": 0.7, "ADM2": 0.65, "AIRP": 0.45, "MILB": 0.55,
    "WLL": 0.35, "WLLS": 0.35, "SPNG": 0.35, "STM": 0.1, "STMI": 0.1, "STMS": 0.1, "WAD": 0.1,
    "WADS": 0.1, "CNL": 0.1,
}  # fmt: skip
# Permanent rivers and canals: their GeoNames point (often the mouth) says nothing about an event.
# Wadis and intermittent streams (WAD, STMI) are kept: in the Sahel they are short, and they name
# the camps and wells along them.
LINEAR_CODES = frozenset(
    {"STM", "STMS", "STMX", "STMA", "STMB", "STMC", "STMD", "STMM", "STMSB", "CNL", "CNLS", "DTCH"}
)

# French names of the region's countries, missing from the English country table.
_COUNTRY_ALIASES = {
    "burkina": "BF", "cote d ivoire": "CI", "mauritanie": "MR", "algerie": "DZ", "senegal": "SN",
    "guinee": "GN", "tchad": "TD", "libye": "LY", "maroc": "MA", "nigeria": "NG", "cameroun": "CM",
    "benin": "BJ", "etats unis": "US", "united states": "US", "usa": "US", "royaume uni": "GB",
    "grande bretagne": "GB", "allemagne": "DE", "russie": "RU", "soudan": "SD",
}  # fmt: skip


def prior(place: Place) -> float:
    """Static preference for a place among homonyms: feature type first, then notability.

    For a populated place, a population figure at all (most villages have none in GeoNames) is
    worth 0.1, its size up to 0.2 more (an admin unit's population says nothing about its point);
    each extra name GeoNames records adds 0.005 (up to 0.02).
    """
    base = _CODE_PRIOR.get(place.feature_code, _CLASS_PRIOR.get(place.feature_class, 0.2))
    if place.population > 0 and place.feature_class == "P":
        base += 0.1 + min(0.2, math.log10(place.population + 1) / 35.0)
    return base + min(0.02, 0.005 * (place.names_count - 1))


MAJOR_SEATS = frozenset({"PPLC", "PPLA", "PPLA2", "PPLA3"})


@functools.cache
def fallback_admin1_names() -> dict[tuple[str, str], str]:
    """(country code, admin1 code) -> region name, shipped with the package (admin1_names.tsv)."""
    text = resources.files("sahelwatch.gazetteer").joinpath("admin1_names.tsv").read_text(encoding="utf-8")
    table: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, code, name = line.split("\t")
            table[(country, code)] = name
    return table


MatchTier = Literal["exact", "sound", "variant", "loose"]
# A fuzzy spelling this similar (rapidfuzz ratio), or with the same consonants, is a variant of
# the name ("Aderanboukan" / "Andéranboukan" 96, "Ogossagou" / "Ogassagou"), not a guess.
VARIANT_RATIO = 88.0
VARIANT_MIN_LEN = 6  # a letter off in a shorter name ("Kambo" / "Kambou") is another name as often as not
# Compound names that all share the head word and lie this close together are the quarters of one
# village ("Guiwagou-Diapto", "Guiwagou-Fittobé"): the head word names the village.
QUARTERS_KM = 10.0


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A place a name may denote: how well the spelling matches (0-1) and by which kind of rule.

    ``exact``: the name, an alternate name, the name without a qualifier word or Tamasheq prefix;
    ``sound``: a spelling that sounds the same (phonetic key); ``variant``: a close fuzzy spelling
    (only the vowels differ, or a letter or two in a long name); ``loose``: anything looser, a
    guess that needs support from the rest of the text.
    """

    place: Place
    quality: float
    tier: MatchTier


def _keep_best(found: dict[int, NameMatch], match: NameMatch) -> None:
    """Keep, per place, the match of the best tier, then the best quality."""
    current = found.get(match.place.geonameid)
    if current is None or (match.tier != "loose", match.quality) > (current.tier != "loose", current.quality):
        found[match.place.geonameid] = match


def _quarters(places: list[Place]) -> bool:
    """Two or more places, all within ``QUARTERS_KM`` of the first: quarters of one village."""
    if len(places) < 2:
        return False
    first = places[0]
    return all(haversine_km(first.latitude, first.longitude, p.latitude, p.longitude) <= QUARTERS_KM for p in places)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Region:
    """An ADM1 unit: display name, country, and its point (polygon centroid or ADM1 feature)."""

    name: str
    country_code: str
    latitude: float | None
    longitude: float | None
    geonameid: int | None


class Gazetteer:
    """Places by normalised name (exact, compact, fuzzy), admin names, regions and countries."""

    def __init__(self, admin: AdminPolygons | None = None) -> None:
        self.admin = admin
        self.places: list[Place] = []
        self.sources: list[str] = []
        self._names: dict[str, list[int]] = {}
        self._compact: dict[str, list[int]] = {}
        self._stems: dict[str, list[int]] = {}
        self._phonetic: dict[str, list[int]] = {}
        self._heads: dict[str, list[int]] = {}
        self.primary_countries: set[str] = set()
        self._by_id: dict[int, int] = {}
        self._admin1: dict[tuple[str, str], int] = {}
        self._admin2: dict[tuple[str, str, str], int] = {}
        self._regions: dict[str, list[tuple[str, str]]] = {}
        self.countries: dict[str, Country] = {}
        self._country_keys: dict[str, str] = dict(_COUNTRY_ALIASES)
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._sound_buckets: dict[tuple[str, int], list[str]] = {}
        self._borders: Borders | None = None
        self._spans = SpanFinder(self._span_kind, self._is_major)

    # ------------------------------------------------------------------ building

    def add(self, place: Place, names: Iterable[str]) -> None:
        if place.geonameid in self._by_id:
            return
        pos = len(self.places)
        self.places.append(place)
        self._by_id[place.geonameid] = pos
        keys: set[str] = set()
        for raw in names:
            if len(raw) > 60 or not is_latin(raw):
                continue
            if raw.isupper() and len(raw) <= 4 and raw != place.name:  # IATA / ICAO codes
                continue
            key = normalize(raw)
            if len(key) >= 2:
                keys.add(key)
                alias = head_alias(key)
                if alias and place.feature_class == "P":
                    keys.add(alias)
        if place.feature_class == "A":
            keys.update({strip_admin_words(k) for k in keys})
        for key in keys:
            self._names.setdefault(intern(key), []).append(pos)
            self._compact.setdefault(intern(key.replace(" ", "")), []).append(pos)
            self._phonetic.setdefault(intern(phonetic(key)), []).append(pos)
            stem = tamasheq_stem(key, spaced=True)
            if stem:
                self._stems.setdefault(intern(stem), []).append(pos)
            head, _, rest = key.partition(" ")
            if rest and len(head) >= 4 and place.feature_class == "P":
                self._heads.setdefault(intern(head), []).append(pos)
        code = place.feature_code
        if code == "ADM1":
            self._admin1.setdefault((place.country_code, place.admin1_code), pos)
            for key in keys:
                self._regions.setdefault(strip_admin_words(key), []).append((place.country_code, place.admin1_code))
        elif code == "ADM2":
            self._admin2.setdefault((place.country_code, place.admin1_code, place.admin2_code), pos)
            self._admin2.setdefault((place.country_code, place.admin1_code, str(place.geonameid)), pos)
        elif code.startswith("PCL"):
            self.add_country(place.country_code, None, keys)

    def add_country(self, code: str, name: str | None, names: Iterable[str] = ()) -> None:
        if name and code not in self.countries:
            self.countries[code] = Country(code=code, name=name)
        for raw in [*names, *([name] if name else [])]:
            key = normalize(raw)
            if key:
                self._country_keys.setdefault(key, code)
                if " " in key:  # "BurkinaFaso", as hasty notes write it
                    self._country_keys.setdefault(key.replace(" ", ""), code)

    def freeze(self) -> None:
        """Order homonyms by prior and build the fuzzy buckets; call once after the last ``add``."""
        for table in (self._names, self._compact, self._stems, self._phonetic, self._heads):
            for positions in table.values():
                if len(positions) > 1:
                    positions.sort(key=lambda p: -prior(self.places[p]))
        self._buckets = {}
        for key in self._compact:
            if len(key) >= FUZZY_MIN_LEN:
                self._buckets.setdefault((key[0], len(key)), []).append(key)
        self._sound_buckets = {}
        for key in self._phonetic:
            if len(key) >= FUZZY_MIN_LEN:
                self._sound_buckets.setdefault((key[0], len(key)), []).append(key)
        if self.admin is not None:
            for key, display in self.admin.region_names.items():
                self._regions.setdefault(key, []).append(("", display))

    # ------------------------------------------------------------------ lookups

    @property
    def borders(self) -> Borders:
        """Land borders of the countries the admin polygons cover (built on first use, ~0.1 s)."""
        if self._borders is None:
            self._borders = Borders.build(self.admin, self.places)
        return self._borders

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def get(self, geonameid: int) -> Place | None:
        pos = self._by_id.get(geonameid)
        return None if pos is None else self.places[pos]

    def lookup(self, name: str) -> list[Place]:
        """Places called exactly ``name`` (normalised, or with spaces/hyphens removed), best prior first."""
        key = normalize(name)
        positions = self._names.get(key) or self._compact.get(key.replace(" ", ""))
        if not positions:
            stripped = strip_admin_words(name)
            positions = self._names.get(stripped) if stripped != key else None
        return [self.places[p] for p in positions] if positions else []

    def lookup_scored(self, name: str) -> list[tuple[Place, float]]:
        """Candidates for ``name`` with a name-match quality in 0-1 (see ``lookup_matches``)."""
        return [(m.place, m.quality) for m in self.lookup_matches(name)]

    def lookup_matches(self, name: str) -> list[NameMatch]:
        """Candidates for ``name`` with a name-match quality in 0-1 and a tier, falling back step by step.

        ``exact``: 1.0 exact main name, 0.85 alternate name; then, only when nothing matched exactly,
        0.85 without a qualifier word ("In-Ekar Ouest") or a Tamasheq prefix (N'Tillit / I-n-Tillit).
        ``variant``: 0.9 same phonetic key ("Diabaly" / "Diabali", "Tamalate" / "Tamalat"); a fuzzy
        spelling (similarity x 0.9) with the same consonants in the same order ("Ogossagou" /
        "Ogassagou"). ``loose``: the first word of a compound name ("Kologon" / "Kologon-Habé"),
        any other fuzzy spelling, of the name or (x 0.85) of its phonetic key ("Tancoulle" /
        "Tankouli"). Below exact matches, up to
        0.05 more for the spelling closest to the place's main name (breaks homonym ties).
        """
        key = normalize(name)
        places = self.lookup(name)
        if places:
            return [
                NameMatch(p, 1.0 if normalize(p.name) == key else self._near(key, p, 0.85), "exact") for p in places
            ]
        head = head_alias(key)
        places = self.lookup(head) if head else []
        stem = tamasheq_stem(key)
        if not places and stem:
            places = [self.places[p] for p in self._stems.get(stem, ())]
        if places:
            return [NameMatch(p, self._near(key, p, 0.85), "exact") for p in places]
        sound = phonetic(key)
        places = [self.places[p] for p in self._phonetic.get(sound, ())]
        if places:
            return [NameMatch(p, self._near(key, p, 0.9), "sound") for p in places]
        found: dict[int, NameMatch] = {}
        heads = [self.places[pos] for pos in self._heads.get(key, ())]
        tier: MatchTier = "variant" if _quarters(heads) else "loose"
        for place in heads:
            found[place.geonameid] = NameMatch(place, self._near(key, place, 0.85), tier)
        bones, short = skeleton(sound), len(compact(name)) < VARIANT_MIN_LEN
        for place, sim, choice in self._fuzzy_keys(compact(name), self._buckets, self._compact):
            close = not short and (sim >= VARIANT_RATIO or skeleton(phonetic(choice)) == bones)
            _keep_best(found, NameMatch(place, 0.9 * sim / 100.0, "variant" if close else "loose"))
        if any(m.tier == "variant" for m in found.values()):  # a close spelling: no need for a looser one
            return sorted(found.values(), key=lambda m: (-m.quality, -prior(m.place)))
        for place, sim, _ in self._fuzzy_keys(sound, self._sound_buckets, self._phonetic):
            _keep_best(found, NameMatch(place, 0.85 * sim / 100.0, "loose"))
        return sorted(found.values(), key=lambda m: (-m.quality, -prior(m.place)))

    @staticmethod
    def _near(key: str, place: Place, quality: float) -> float:
        """Up to 0.05 off ``quality`` as the spelling strays from the place's main name."""
        return quality - 0.05 * (1.0 - fuzz.ratio(key, normalize(place.name)) / 100.0)

    def fuzzy(self, name: str, limit: int = 5, cutoff: float = FUZZY_CUTOFF) -> list[tuple[Place, float]]:
        """Places whose name is a close spelling variant, with the similarity (0-100), best first."""
        found = self._fuzzy_keys(compact(name), self._buckets, self._compact, limit, cutoff)
        return [(place, sim) for place, sim, _ in found]

    def _fuzzy_keys(
        self,
        key: str,
        buckets: dict[tuple[str, int], list[str]],
        table: dict[str, list[int]],
        limit: int = 5,
        cutoff: float = FUZZY_CUTOFF,
    ) -> list[tuple[Place, float, str]]:
        """(place, similarity 0-100, the key it matched by) for keys of ``table`` close to ``key``."""
        if len(key) < FUZZY_MIN_LEN:
            return []
        # ratio >= cutoff bounds the length ratio: only names of a compatible length can match.
        low, high = math.ceil(len(key) * cutoff / (200 - cutoff)), int(len(key) * (200 - cutoff) / cutoff)
        hits: list[tuple[str, float]] = []
        for n in range(low, high + 1):  # bucket by bucket: no list of every key of the first letter
            bucket = buckets.get((key[0], n))
            if bucket:
                extracted = process.extract(key, bucket, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff)
                hits.extend((choice, score) for choice, score, _ in extracted)
        hits.sort(key=lambda hit: -hit[1])
        found: list[tuple[Place, float, str]] = []
        seen: set[int] = set()
        for choice, score in hits[:limit]:
            for pos in table[choice]:
                if pos not in seen:
                    seen.add(pos)
                    found.append((self.places[pos], float(score), choice))
        found.sort(key=lambda item: (-item[1], -prior(item[0])))
        return found[:limit]

    def country(self, name: str) -> Country | None:
        """The country called ``name`` ('Mali', 'Burkina', 'Côte d'Ivoire'), or None."""
        code = self._country_keys.get(normalize(name))
        if code is None:
            return None
        return self.countries.get(code) or Country(code=code, name=name)

    def country_name(self, code: str) -> str | None:
        country = self.countries.get(code)
        return country.name if country else None

    def region(self, name: str, country_code: str | None = None) -> Region | None:
        """The ADM1 region called ``name``; its point is the polygon centroid when polygons know it."""
        key = strip_admin_words(name)
        for cc, code in self._regions.get(key, []):
            if country_code and cc and cc != country_code:
                continue
            feature_pos = self._admin1.get((cc, code)) if cc else None
            feature = self.places[feature_pos] if feature_pos is not None else None
            display = display_admin(feature.name) if feature else code
            centroid = self.admin.region_centroid(display) if self.admin else None
            if centroid is None and self.admin is not None and feature is not None:
                centroid = self.admin.region_centroid(key)
            if centroid is not None:
                if not cc and self.admin is not None:
                    cc = self.admin.region_country(key) or ""
                return Region(display, cc, centroid[0], centroid[1], feature.geonameid if feature else None)
            if feature is not None:
                return Region(display, cc, feature.latitude, feature.longitude, feature.geonameid)
        return None

    def admin1_name(self, place: Place) -> str | None:
        pos = self._admin1.get((place.country_code, place.admin1_code))
        if pos is None:
            return fallback_admin1_names().get((place.country_code, place.admin1_code))
        return display_admin(self.places[pos].name)

    def admin2_name(self, place: Place) -> str | None:
        pos = self._admin2.get((place.country_code, place.admin1_code, place.admin2_code))
        return display_admin(self.places[pos].name) if pos is not None else None

    # ------------------------------------------------------------------ spans

    def find_spans(self, text: str) -> list[PlaceSpan]:
        """Known place names in ``text``, longest match first, non-overlapping, in text order."""
        return self._spans.find(text)

    def _stem_positions(self, key: str) -> list[int] | None:
        """'NTillit', 'Intillit': a Tamasheq name written without its prefix's hyphens; settlements only."""
        stem = tamasheq_stem(key) if " " not in key else None
        positions = self._stems.get(stem) if stem else None
        if not positions:
            return None
        return [p for p in positions if self.places[p].feature_class == "P"] or None

    def _is_major(self, key: str) -> bool:
        """An administrative seat or a town of 20,000 people or more goes by this name."""
        positions = self._names.get(key) or ()
        return any(self.places[p].feature_code in MAJOR_SEATS or self.places[p].population >= 20_000 for p in positions)

    def _span_kind(self, key: str, sentence_initial: bool) -> PlaceKind | None:
        """What a capitalised n-gram most likely names, or None when it is not worth a span."""
        if key in self._country_keys:
            return "country"
        positions = self._names.get(key) or self._compact.get(key.replace(" ", "")) or self._stem_positions(key)
        if not positions:
            return None
        places = [self.places[p] for p in positions]
        if any(p.feature_class == "P" and (p.population > 0 or p.feature_code != "PPL") for p in places):
            return "settlement"
        if any(p.feature_code == "ADM1" for p in places) or key in self._regions:
            return "admin1"
        if any(p.feature_code == "ADM2" for p in places):
            return "admin2"
        if any(p.feature_class == "P" for p in places):
            return "settlement"
        if sentence_initial:
            return None
        return "other"
