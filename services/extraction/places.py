"""Place mentions of one sentence, given the gazetteer's spans (``PlaceIndex``) and patterns.

Relations read from the words around a name: "15 km from Bamako" (distance), "near Gao" (near),
"north of Timbuktu" (direction), "in the Mopti region" (region), a country name (country),
"(Douentza, Mopti)" (admin hint). A name that only describes another one ("Kati, a town 15 km
from Bamako"), a destination ("evacuated to Bamako"), a dateline or a speaker's whereabouts
("said from Bamako") is not the event's place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sahelwatch.contracts import PlaceMention
from sahelwatch.places import PlaceKind, PlaceSpan
from services.extraction.numbers import NUMBER, parse_number
from services.extraction.place_words import ETHNONYMS
from services.extraction.place_words import NOT_PLACE as _NOT_PLACE

_F = re.IGNORECASE
_DIR = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|northern|southern|eastern|"
    r"western|nord|sud|est|ouest|(?-i:[NS][EW]|[NSEW])\.?)"  # "30 km NE of", "12 km S. of"
)
_COMPASS = {"n": "north", "s": "south", "e": "east", "w": "west"}
_DISTANCE = re.compile(
    rf"(?P<n>{NUMBER}|\d+(?:\.\d+)?)\s*(?:-\s*)?(?:km|kms|kilomet(?:er|re)s?|miles?)\b(?:\s*\([^)]*\))?\s*"
    rf"(?:away\s+)?(?:(?P<dir>{_DIR})\s+)?(?:from|of|outside|de|away from|"
    rf"au\s+\w+\s+de)\s+(?:the\s+\w+\s+(?:of\s+)?)?$",
    _F,
)
_INSTITUTION = re.compile(r"\b(?:Universit\w*|Hospital|Hôpital|School|College|Institute|Ministry|Stadium|Court)\b")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|around|outside|of|from|between|axis|road|route)\s+(?:the\s+)?$", _F)
ROUTE_NEXT = re.compile(r"^\s*(?:-|–|/|to|and|&)\s*$", _F)  # "between A and B", "the A-B axis"
_ROAD_TO = re.compile(r"\b(?:road|axis|route|track|highway)\s+(?:to|towards?|leading to)\s+(?:the\s+)?$", _F)
_PERSON_AFTER = re.compile(
    r"^ (?!Region|Province|Cercle|District|Airport|Camp|Base)[A-Z][a-z]{2,}(?![\w'’-])"
    r"(?:,| said| says| told)"
)
_TITLE_BEFORE = re.compile(
    r"\b(?:General|Gen\.|Colonel|Col\.|Captain|Capt\.|Commander|President|Minister|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|"
    r"Imam|Chief|Sergeant|Lieutenant|Lt\.)\s+(?:[A-Z][a-z]+\s+)?$"
)
_UNIT_HINT = re.compile(r"km|kilom|mile", _F)
_DIRECTION = re.compile(rf"\b(?P<dir>{_DIR})\s+(?:of|de)\s+(?:the\s+)?(?:\w+\s+of\s+)?$", _F)
_NEAR = re.compile(
    r"\b(?:near|outside of|outside|close to|around|in the vicinity of|not far from|on the outskirts of|"
    r"outskirts of|"
    r"on the road (?:to|towards?|between)|on (?:the|their|its) way to|en route to|près de|non loin de|"
    r"aux environs de|à proximité de|environs de)\s+"
    r"(?:the\s+)?(?:(?:town|city|village|locality|commune|capital|area)\s+)?(?:of\s+)?$",
    _F,
)
_REGION_BEFORE = re.compile(
    r"\b(?:region|province|prefecture|cercle|circle|department|district) (?:of|"
    r"de)\s+$",
    _F,
)
_REGION_AFTER = re.compile(
    r"^\s*(?:region|province|cercle|circle|department|district)\b(?!\s+(?:town|city|"
    r"village))",
    _F,
)
_REGION_AS_HINT = re.compile(
    r"^\s*(?:region|province|cercle)\s+(?:town|city|village|locality|"
    r"commune)\s+of\s+$",
    _F,
)
_DEST = re.compile(
    r"\b(?:to|towards?|toward|into|à destination de|vers|en route for|bound for|heading for|"
    r"evacuated to|flown to|taken to|fled to|back to)\s+(?:the\s+)?$",
    _F,
)
_FROM = re.compile(
    r"\b(?:fled|came|coming|return\w*|travel\w*|arriv\w*|hail\w*|flown|evacuated|"
    r"originally)\s+"
    r"(?:from|de)\s+(?:the\s+)?$",
    _F,
)
_SPEAKER = re.compile(r"^\s*(?:,\s*)?(?:said|told|says|reported|announced|stated|on condition)\b", _F)
_SAID_FROM = re.compile(r"\b(?:said|told \w+|speaking|reported|based|headquartered)\s+(?:from|in)\s+$", _F)
_ORG_AFTER = re.compile(
    r"^\s*(?:(?:peace\s+)?(?:agreement|accords?|process|talks|declaration|summit)\b|"
    r"university|airport\s+(?:authorities|officials)|ministry|government|"
    r"authorities|"
    r"junta|based|-based|correspondent|court|prosecutor)\b",
    _F,
)
_UNIVERSITY = re.compile(r"\b(?:university|universit[ée]) of\s+$", _F)
_BETWEEN_2ND = re.compile(r"\bbetween\s+[\w' -]{2,30}\s+and\s+$", _F)
_ADMIN_HINT = re.compile(r"^\s*\((?P<a>[^()]{2,60})\)")
_SUBPART_AFTER = re.compile(r"^(?:-[\w-]+)?\s+(?:neighbo\w+|quarter|suburb|district) of\b", _F)
_IN_LINK = re.compile(r"^\s+in\s+(?:the\s+)?$", _F)
_AREA_OF = re.compile(r"^\s+(?:area|region|cercle|circle|commune|district|province) of\s+$", _F)
_APPOSITION = re.compile(
    r"^,\s+(?:a|an|the)\s+(?:\w+\s+){0,3}(?:town|city|village|locality|commune|base|"
    r"camp|area|"
    r"hamlet|garrison town|district)\b",
    _F,
)
_FALLBACK = re.compile(
    r"\b(?:villages?|towns?|city|commune|locality|hamlets?|forest|camp|area|localité) (?:of|de)\s+"
    r"(?P<name>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)"
)
# "in the Diabaly area of Niono", "in the Tin Zaouaten area"
_FALLBACK_AREA = re.compile(r"\b(?:in|of) the (?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) area\b")
_FALLBACK_IN = re.compile(
    r"\b(?:in|at|near|outside|around|outskirts of|vicinity of|not far from|close to|between|"
    r"(?:attacks?|assaults?|siege|raids?|offensive) (?:on|of|against))\s+(?:the\s+)?"
    r"(?:(?:village|town|locality|commune|hamlet|"
    r"area)\s+(?:of\s+)?)?"
    r"(?P<name>[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ'’]+)*)(?![\w'’-]|\s+[A-Z])"
)
_ANCHOR_LINK = re.compile(
    r"^[^.;]{0,12}?\b(?:near|close to|not far from|outside|in the (?:area|commune|cercle|vicinity|"
    r"district) of|"
    r"(?:area|commune|cercle|district) of)\s+(?:the\s+)?(?:(?:town|city|village) of\s+)?$",
    _F,
)
_COORD_NAME = re.compile(
    r"\s*(?:,\s*|\s+)(?:and|as well as|et)\s+(?:in\s+|at\s+)?"
    r"(?P<name>[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ'’]+)*)(?![\w'’-]|\s+[A-Z])"
)
# "the area of X about 35 km south of Y": nothing but hedges between X and its anchor
_BARE_GAP = re.compile(r"(?:\s|,|about|some|around|approximately|roughly|nearly|located|situated|lying)*", _F)
# "(Douentza, Mopti)", "(Mopti Region)": names only; "(reportedly at dawn)", "(15 km away)" are not hints
_HINT_WORDS = re.compile(r"[A-Z][\w'’.-]*(?:(?:\s+|\s*,\s*|\s*/\s*)(?:[A-Z][\w'’.-]*|region|cercle|commune|district))*")
_UNKNOWN_IN_GAP = re.compile(r"\b(?:at|in|near)\s+(?:the\s+)?(?:(?:village|town|locality) of\s+)?[A-Z][\w'’-]+\s*,")
_NAMED_BEFORE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?(?P<name>[A-Z][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ'’]+)*),\s+$")
_ANCHOR_UNITS = ("commune", "cercle", "area", "district")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$", _F)
_NEAR_WORD = re.compile(r"(?:near|outside|around|outskirts|vicinity|not far|close)\b", _F)
_POSSESSIVE_COUNTRY = re.compile(r"^(?:'s|’s)\b")
_COUNTRY_ADJ_DIR = re.compile(rf"\b(?P<dir>{_DIR}|central|centre of)\s+$", _F)


@dataclass(frozen=True, slots=True)
class FoundPlace:
    mention: PlaceMention
    start: int  # offset in the sentence
    kind: PlaceKind
    describes_previous: bool = False  # an anchor that only describes the place before it
    known: bool = True  # False: read from the wording only ("the village of X"); the gazetteer lacks it


def _km(text: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    n = parse_number(text)
    return float(n) if n is not None else None


def _direction(word: str) -> str:
    """ "north-east", "NE", "S." -> "northeast", "south"."""
    w = word.lower().rstrip(".").replace("-", "")
    if len(w) <= 2 and all(c in _COMPASS for c in w):
        return "".join(_COMPASS[c] for c in w)
    return w


def _located_by(gap: str) -> bool:
    """ "Sossoba, Mopti" / "Abalbod, 30 km NE of X": the known name after the gap locates the one before."""
    if not gap.startswith(",") or len(gap) > 45:
        return False
    return gap.strip(", ") == "" or _DISTANCE.search(gap) is not None or _DIRECTION.search(gap) is not None


def _title_case(sentence: str) -> bool:
    words = [w for w in sentence.split() if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6


def find_places(sentence: str, spans: list[PlaceSpan], offset: int = 0) -> list[FoundPlace]:
    """Event-place candidates in ``sentence``; ``spans`` are the index's spans (article offsets)."""
    out: list[FoundPlace] = []
    absorbed: list[tuple[int, int]] = []  # names read as another place's admin hint
    last_end = -1
    for sp in spans:
        s, e = sp.start - offset, sp.end - offset
        if s < 0 or e > len(sentence):
            continue
        before = sentence[max(0, s - 60) : s]
        after = sentence[e : e + 60]
        if (_DEST.search(before) and not _ROAD_TO.search(before)) or _SAID_FROM.search(before):
            continue  # "evacuated to Gao" is not where it happened; "on the road to Gao" is near it
        if _UNIVERSITY.search(before):
            continue
        if _ORG_AFTER.match(after) or _BETWEEN_2ND.search(before) or _REGION_AS_HINT.match(after):
            continue
        if _SPEAKER.match(after) and s < 3:  # dateline-like "Bamako, ... said"
            continue
        name = sp.name
        if name.lower() in ETHNONYMS or _SUBPART_AFTER.match(after) or _INSTITUTION.search(name):
            continue
        if sp.kind == "other" and not (
            _LOCATIVE_BEFORE.search(before) or (out and ROUTE_NEXT.match(sentence[last_end:s]))
        ):
            continue  # rivers, valleys, the "Azawad" of a movement's name: only "in X" makes them a place
        if _TITLE_BEFORE.search(before):
            continue  # "General Oumar Diarra": a surname that is also a village
        if _PERSON_AFTER.match(after) and not any(o.start == sp.end + 1 for o in spans):
            continue  # "Fodie Tandjigora": a given name that is also a village
        gap = sentence[last_end:s]
        if out and (_AREA_OF.match(gap) or (_IN_LINK.match(gap) and _locates(out[-1], sp.kind))):
            _add_hint(out, name)  # "Diabaly area of Niono", "the village of Yorou in Mopti"
            absorbed.append((s, e))
            continue
        relation: str = "in"
        dist: float | None = None
        direction: str | None = None
        kind = sp.kind
        m = _DISTANCE.search(before) if _UNIT_HINT.search(before) else None
        if m:
            relation = "distance"
            dist = _km(m["n"])
            direction = _direction(m["dir"]) if m["dir"] else None
        elif " of" in before[-12:] and (md := _DIRECTION.search(before)) is not None:
            relation, direction = "direction", _direction(md["dir"])
        elif _NEAR.search(before):
            relation = "near"
        elif kind == "country":
            relation = "country"
            mc = _COUNTRY_ADJ_DIR.search(before)
            if mc and mc["dir"].lower() not in ("central", "centre of"):
                direction = _direction(mc["dir"])
        elif kind == "admin1" or _REGION_AFTER.match(after) or _REGION_BEFORE.search(before):
            relation = "region"
        elif _FROM.search(before):
            continue
        if kind == "country" and _POSSESSIVE_COUNTRY.match(after):
            continue  # "Mali's army": a country as owner, not a place of the event
        hint = None
        if (mh := _ADMIN_HINT.match(after)) is not None and _HINT_WORDS.fullmatch(mh["a"].strip()):
            hint = mh["a"].strip()
        # "Kolokani, 60 km north of Bamako" / "Kati, a town near Bamako": the anchor only describes Kolokani
        describes = (
            relation in ("distance", "near", "direction", "country", "region")
            and bool(out)
            and (
                _APPOSITION.match(gap) is not None
                or (s - last_end < 45 and "," in gap and out[-1].kind in ("settlement", "other"))
            )
            and _UNKNOWN_IN_GAP.search(gap) is None  # "A-B axis at Abalbod, 30 km NE of X": X locates Abalbod
        )
        mention = PlaceMention(name=name, relation=relation, distance_km=dist, direction=direction, admin_hint=hint)
        if describes and relation != "country":
            _add_hint(out, hint_text(mention))  # the anchor tells which Mariko: the one near Niono
        out.append(FoundPlace(mention, s, kind, describes))
        last_end = e
    covered = [(f.start, f.start + len(f.mention.name)) for f in out] + absorbed
    for m in [*_FALLBACK.finditer(sentence), *_FALLBACK_AREA.finditer(sentence)]:
        if any(a < m.end("name") and m.start("name") < b for a, b in covered):
            continue
        if m["name"] in _NOT_PLACE or any(
            m.start() < f.start < m.end() + 3 and "," not in sentence[m.end() : f.start] for f in out
        ):
            continue  # "the village of Boni": the gazetteer's own span says it; "of X, Mopti" is X in Mopti
        named = _NAMED_BEFORE.search(sentence, 0, m.start())
        if named is not None and m.group().startswith(_ANCHOR_UNITS) and named["name"] not in _NOT_PLACE:
            # "in Senegue, commune of Ouroube Doude": the commune locates the village named before it
            hinted = PlaceMention(name=named["name"], admin_hint=m["name"])
            out.append(FoundPlace(hinted, named.start("name"), "settlement", known=False))
            covered.append((named.start("name"), m.end("name")))
            continue
        out.append(FoundPlace(PlaceMention(name=m["name"]), m.start("name"), "settlement", known=False))
        covered.append((m.start("name"), m.end("name")))
    for f in list(out):  # "in Sokolo and Kalumba": a listed name the gazetteer lacks
        if f.kind != "settlement" or f.mention.relation != "in":
            continue
        end = f.start + len(f.mention.name)
        mc = _COORD_NAME.match(sentence, end)
        if (
            mc
            and not _BETWEEN_BEFORE.search(sentence, max(0, f.start - 12), f.start)
            and mc["name"] not in _NOT_PLACE
            and not any(o.start == mc.start("name") for o in out)
        ):
            out.append(FoundPlace(PlaceMention(name=mc["name"]), mc.start("name"), "settlement", known=False))
    has_town = any(f.kind == "settlement" for f in out)
    located = {f.start for f in out if f.kind != "country"}
    for m in _FALLBACK_IN.finditer(sentence):
        name = m["name"]
        if has_town and not any(_located_by(sentence[m.end("name") : at]) for at in located if at > m.end()):
            continue  # a known town is named; only "in Sossoba, Mopti" adds the village it locates
        if (
            name in _NOT_PLACE
            or _INSTITUTION.search(name)
            or name.lower() in ETHNONYMS
            or name.endswith(("'s", "’s", "ian", "ese", "ish", "ean"))
            or _title_case(sentence)
            or any(a <= m.start("name") < b for a, b in covered)
        ):
            continue
        rel = "near" if _NEAR_WORD.match(m.group()) else "in"
        out.append(FoundPlace(PlaceMention(name=name, relation=rel), m.start("name"), "settlement", known=False))
        break
    out.sort(key=lambda f: f.start)
    return _prefer_known_anchor(sentence, [f for f in out if not f.describes_previous])


def hint_text(anchor: PlaceMention) -> str:
    """How an anchor is written into the located place's ``admin_hint``: "60 km south of Gao"."""
    text = anchor.name
    if anchor.relation == "distance" and anchor.distance_km is not None:
        text = f"{anchor.distance_km:g} km {anchor.direction + ' ' if anchor.direction else ''}of {anchor.name}"
    return f"{text}, {anchor.admin_hint}" if anchor.admin_hint else text


def _locates(previous: FoundPlace, kind: PlaceKind) -> bool:
    """ "X in Y": Y is where X is when X is a village or a feature and Y a town or an admin unit."""
    return previous.kind in ("settlement", "other") and kind in ("settlement", "admin1", "admin2")


def _anchor_link(gap: str, anchor: PlaceMention) -> bool:
    """ "X, near Y" / "X in the commune of Y" / "X, about 60 km south of Y": Y locates X."""
    if _ANCHOR_LINK.match(gap):
        return True
    if anchor.relation not in ("distance", "direction"):
        return False
    if gap.lstrip().startswith(",") and len(gap) < 45:
        return True
    md = _DISTANCE.search(gap) or _DIRECTION.search(gap)
    return md is not None and _BARE_GAP.fullmatch(gap[: md.start()]) is not None


def _add_hint(out: list[FoundPlace], hint: str) -> None:
    """Append ``hint`` to the admin hint of the last place that is not itself an anchor."""
    for i in range(len(out) - 1, -1, -1):
        prev = out[i]
        if prev.describes_previous:
            continue
        old = prev.mention.admin_hint
        if old is not None and hint in old:
            return
        hinted = prev.mention.model_copy(update={"admin_hint": f"{old}, {hint}" if old else hint})
        out[i] = FoundPlace(hinted, prev.start, prev.kind, known=prev.known)
        return


def _prefer_known_anchor(sentence: str, found: list[FoundPlace]) -> list[FoundPlace]:
    """ "the village of X, near Diafarabe" with X unknown to the gazetteer: X, with Diafarabe as its
    anchor (the geocoder places X near Diafarabe, or at Diafarabe with precision 2)."""
    out: list[FoundPlace] = []
    skip = -1
    for i, f in enumerate(found):
        if i == skip:
            continue
        nxt = found[i + 1] if i + 1 < len(found) else None
        if (
            not f.known
            and nxt is not None
            and nxt.known
            and (nxt.kind == "settlement" or (nxt.kind == "other" and nxt.mention.relation != "in"))
            and _anchor_link(sentence[f.start + len(f.mention.name) : nxt.start], nxt.mention)
        ):
            hint = hint_text(nxt.mention)
            old = f.mention.admin_hint
            hinted = f.mention.model_copy(update={"admin_hint": f"{old}, {hint}" if old else hint})
            out.append(FoundPlace(hinted, f.start, f.kind, known=False))
            skip = i + 1
            continue
        out.append(f)
    return out
