"""Sentences about the same incident grouped: one incident per place and day.

A sentence naming no place joins the incident told just before it (same paragraph or the next
sentence), else the one told just after it; a region- or country-level incident folds into the
article's only town-level incident when nothing contradicts (different day or toll).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sahelwatch.contracts import PlaceMention
from services.extraction.mentions import Mention, event_places
from services.extraction.places import ROUTE_NEXT, FoundPlace

_F = re.IGNORECASE
# "on the Gao-Gossi road", "axis Douentza-Hombori", "the Tenenkou to Macina axis", "between Boni and Hombori"
_ROUTE_BEFORE = re.compile(
    r"\b(?:axis|axes|road|route|highway|track|stretch|section|corridor|between)\s+(?:(?:the|of|from|linking|"
    r"connecting|between|to|towards?|leading to)\s+){0,2}$",
    _F,
)
_ROUTE_AFTER = re.compile(
    r"^\s*(?:(?:-|–|/|to|and|&)\s*(?:\S+\s*){0,3}?)?(?:-|–)?\s*(?:road|axis|highway|route|track|corridor)\b",
    _F,
)
_LOCATIVE = re.compile(r"(?:\b(?:at|in|near|outside|of|around)\s+(?:the\s+)?|['’]s\s)$", _F)
# "the mayor of Boni", "Tenenkou MP": the place of an office, not of the event
_OFFICE_BEFORE = re.compile(
    r"\b(?:mayors?|sub-?prefects?|prefects?|governors?|chiefs?|deputies|deputy|MPs?|imams?|councill?ors?|"
    r"representatives?)\s+(?:\w+\s+)?(?:of|for)\s+(?:the\s+)?$",
    _F,
)
_OFFICE_AFTER = re.compile(r"^\s+(?:MP|deputy|mayor|prefect|sub-?prefect|governor)\b")
_POSSESSIVE_AFTER = re.compile(r"^['’]s\s")
# one event whatever the number of places named: a group founded "in the areas of Koro, Djenne and ..."
_ONE_PLACE = frozenset({"Change to group/activity", "Agreement", "Headquarters or base established"})


def place_key(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    return "".join(c for c in s if c.isalnum()).lower()


@dataclass
class Group:
    place: PlaceMention | None
    coarse: bool
    mentions: list[Mention] = field(default_factory=list)

    @property
    def first_index(self) -> int:
        return min(m.sentence.index for m in self.mentions)

    @property
    def day(self) -> object | None:
        return next((m.day.value for m in self.mentions if m.day is not None), None)

    @property
    def killed(self) -> int | None:
        return next(
            (
                m.casualties.killed
                for m in self.mentions
                if m.casualties.killed is not None and not m.casualties.earlier
            ),
            None,
        )

    def add(self, m: Mention) -> None:
        if m not in self.mentions:
            self.mentions.append(m)


def group_mentions(mentions: list[Mention]) -> list[Group]:
    groups: list[Group] = []
    floating: list[Mention] = []
    by_sentence: dict[int, list[Group]] = {}
    for m in mentions:
        places = anchor_places(m)
        if not places:
            floating.append(m)
            continue
        for f in places:
            coarse = f.mention.relation in ("country", "region")
            g = _find_group(groups, f.mention, m)
            if g is None:
                g = Group(f.mention, coarse)
                groups.append(g)
            g.add(m)
            by_sentence.setdefault(m.sentence.index, []).append(g)
    for m in floating:
        target = _neighbour(m, by_sentence)
        if target is None:
            continue
        day = m.day.value if m.day is not None else None
        if m.dates and m.day is None and target.day is not None:
            continue  # "earlier this month ..." next to a dated incident: another, vaguer one
        fm, fg = _family(m), _group_family(target)
        same_family = fm is None or fg is None or fm == fg
        if m.casualties.revised or (same_family and (day is None or target.day is None or target.day == day)):
            target.add(m)
        else:  # "on Friday" next to a Sunday handover at the same place: another event there
            twin = next(
                (
                    g
                    for g in groups
                    if g is not target
                    and g.place == target.place
                    and (day is None or g.day is None or g.day == day)
                    and _group_family(g) in (None, fm)
                ),
                None,
            )
            if twin is None:
                twin = Group(target.place, target.coarse)
                groups.append(twin)
            twin.add(m)
    if not groups and floating:
        strong = [m for m in floating if m.has_casualties]
        if strong:  # no place named anywhere: the toll's sentence and the ones next to it
            near = [m for m in floating if any(abs(m.sentence.index - x.sentence.index) <= 1 for x in strong)]
            groups.append(Group(None, True, near))
    groups = _fold_coarse(groups)
    groups.sort(key=lambda g: g.first_index)
    return groups


def anchor_places(m: Mention) -> list[FoundPlace]:
    """The event's place(s), not the towns that only bound its road or name an office.

    Endpoints of a road or axis ("on the Gao-Ansongo road") give one record at the first endpoint,
    unless the sentence also names the precise place ("at Abalbod, 30 km from X"); a place only
    naming an office ("the mayor of Boni") or a possessor ("Kidal's Anefis area") yields to another.
    """
    chosen = event_places(m)
    if not chosen or chosen[0].mention.relation in ("country", "region"):
        return chosen
    text = m.sentence.text
    weak: list[FoundPlace] = []
    route: list[FoundPlace] = []
    prev_end = -1
    for f in m.places:
        end = f.start + len(f.mention.name)
        before, after = text[max(0, f.start - 40) : f.start], text[end : end + 40]
        in_route = (
            _ROUTE_BEFORE.search(before) is not None
            or _ROUTE_AFTER.match(after) is not None
            or (bool(route) and prev_end >= 0 and ROUTE_NEXT.match(text[prev_end : f.start]) is not None)
        )
        if in_route and f.mention.relation in ("in", "near"):
            route.append(f)
            weak.append(f)
        elif (
            _OFFICE_BEFORE.search(before)
            or _OFFICE_AFTER.match(after)
            or (_POSSESSIVE_AFTER.match(text[end : end + 4]) and any(o.start > end for o in m.places))
        ):
            weak.append(f)
        prev_end = end
    specific = [f for f in m.places if f.mention.relation not in ("country", "region") and f.kind != "admin1"]
    if weak:
        strong = [f for f in chosen if f not in weak] or [
            f for f in specific if f not in weak and _LOCATIVE.search(text, max(0, f.start - 20), f.start)
        ][:1]
        if strong:
            chosen = strong
        elif route:
            chosen = route[:1]  # only the road's ends: one record, at the first
    if m.top is not None and m.top.sub_event_type in _ONE_PLACE:
        chosen = chosen[:1]
    return chosen


def _key(place: PlaceMention) -> tuple[str, bool]:
    """Same name, same incident place; "300 km north of Bamako" is not Bamako."""
    far = place.relation in ("direction", "distance") and (place.distance_km is None or place.distance_km > 50)
    return place_key(place.name), far


_NON_VIOLENT = frozenset(
    {"Arrests", "Non-violent transfer of territory", "Headquarters or base established", "Agreement"}
)


def _family(m: Mention) -> str | None:
    """'quiet' for a non-violent development with no casualties, 'violent' for fighting; None if unclear."""
    if m.top is None:
        return None
    violent_hit = any(h.event_type != "Strategic developments" and h.strength >= 0.8 for h in m.hits)
    if m.top.sub_event_type in _NON_VIOLENT and not m.has_casualties and not violent_hit:
        return "quiet"
    generic = m.top.sub_event_type == "*attack"
    if m.top.event_type != "Strategic developments" and (not generic or m.has_casualties):
        return "violent"
    return None


def _same_key(a: tuple[str, bool], b: tuple[str, bool]) -> bool:
    """Same place, allowing the spelling variants news uses ("Tinzaouaten" / "Tinzaouatine")."""
    if a[1] != b[1]:
        return False
    if a[0] == b[0]:
        return True
    return min(len(a[0]), len(b[0])) >= 6 and fuzz.ratio(a[0], b[0]) >= 85


def _group_family(g: Group) -> str | None:
    fams = {_family(m) for m in g.mentions} - {None}
    return "violent" if "violent" in fams else fams.pop() if fams else None


def _find_group(groups: list[Group], place: PlaceMention, m: Mention) -> Group | None:
    key = _key(place)
    day = m.day.value if m.day is not None else None
    for g in groups:
        if g.place is None or not _same_key(_key(g.place), key):
            continue
        gd = g.day
        if day is not None and gd is not None and gd != day:
            continue
        fm, fg = _family(m), _group_family(g)
        if fm is not None and fg is not None and fm != fg:
            continue  # an arrest and a clash in the same town are two events
        return g
    return None


def _neighbour(m: Mention, by_sentence: dict[int, list[Group]]) -> Group | None:
    i = m.sentence.index
    for j in range(i - 1, max(-1, i - 4), -1):
        gs = by_sentence.get(j)
        if gs:
            g0 = gs[-1]
            same_par = any(x.sentence.paragraph == m.sentence.paragraph for x in g0.mentions)
            if same_par or j == i - 1:
                return g0 if len(gs) == 1 else None
            break
    for j in range(i + 1, i + 3):
        gs = by_sentence.get(j)
        if gs:
            return gs[0] if len(gs) == 1 else None
    return None


def _fold_coarse(groups: list[Group]) -> list[Group]:
    """Region/country-level groups fold into the nearest compatible town-level incident.

    A region with its own toll, told away from every town-level incident ("eight soldiers were
    killed in the Segou region"), stays an incident of its own; a country-level report that
    contradicts every incident (another toll, another day) is a summary and is dropped.
    """
    specific = [g for g in groups if not g.coarse]
    coarse = [g for g in groups if g.coarse]
    if not specific or not coarse:
        return groups
    kept = list(specific)
    for g in coarse:
        if (
            g.place is not None
            and g.place.relation == "region"
            and any(m.has_casualties for m in g.mentions)
            and all(_distance(g, x) > 1 for x in specific)
        ):
            kept.append(g)
    for g in coarse:
        if g in kept:
            continue
        near = sorted((k for k in kept if _compatible(g, k)), key=lambda k: _distance(g, k))
        if g.place is None or g.place.relation == "country":
            near = near if len(kept) == 1 else []  # "18 killed in Mali attacks" over several towns: a summary
        if near:
            for m in g.mentions:
                near[0].add(m)
            near[0].mentions.sort(key=lambda m: m.sentence.index)
    return kept


def _distance(a: Group, b: Group) -> int:
    return min(abs(x.sentence.index - y.sentence.index) for x in a.mentions for y in b.mentions)


def _compatible(a: Group, b: Group) -> bool:
    if a.day is not None and b.day is not None and a.day != b.day:
        return False
    ka, kb = a.killed, b.killed
    return ka is None or kb is None or ka == kb
