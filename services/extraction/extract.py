"""Entry point: an Article in, its incident and advisory records out (pure, deterministic)."""

from __future__ import annotations

import bisect
import re
from datetime import date
from functools import lru_cache

from sahelwatch.contracts import (
    Actor,
    Article,
    Evidence,
    IncidentRecord,
    Kind,
    PlaceMention,
)
from sahelwatch.places import PlaceIndex, PlaceSpan
from services.extraction.actors import ActorDictionary
from services.extraction.advisories import AdvisoryHit, find_advisory
from services.extraction.dates import find_dates, infer_publication_date
from services.extraction.event_types import decide
from services.extraction.grouping import Group, group_mentions, place_key
from services.extraction.mentions import Mention, is_caption, read_sentence
from services.extraction.places import find_places
from services.extraction.sentences import Sentence, split_sentences
from services.extraction.tolls import incident_toll

_SHORT = {
    "Remote explosive/landmine/IED": "IED",
    "Air/drone strike": "Air/drone strike",
    "Suicide bomb": "Suicide bomb",
    "Armed clash": "Armed clash",
    "Attack": "Attack on civilians",
    "Abduction/forced disappearance": "Abduction",
    "Shelling/artillery/missile attack": "Shelling",
    "Disrupted weapons use": "Foiled attack",
    "Looting/property destruction": "Looting",
    "Arrests": "Arrests",
}


_FILE_PHOTO = re.compile(r"\bFILE\b|\bFile photo|\barchives?\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def default_actors() -> ActorDictionary:
    return ActorDictionary.load()


def extract_records(
    article: Article, places: PlaceIndex, actors: ActorDictionary | None = None
) -> list[IncidentRecord]:
    """Incidents (one per place and day) and advisories reported as news by ``article``."""
    actors = actors or default_actors()
    text = article.text
    pub: date | None = article.published_at.date() if article.published_at else None
    inferred = False
    sentences = split_sentences(text)
    if pub is None:
        pub = infer_publication_date(" ".join(s.text for s in sentences if not _FILE_PHOTO.search(s.text)))
        inferred = pub is not None
    spans = places.find_spans(text)
    starts = [sp.start for sp in spans]
    country = _main_country(spans)

    mentions: list[Mention] = []
    advisories: list[tuple[Sentence, AdvisoryHit]] = []
    for s in sentences:
        if is_caption(s.text):
            continue
        local = _spans_in(spans, starts, s)
        adv = find_advisory(s.text, _area(local))
        if adv is not None:
            advisories.append((s, adv))
            continue
        m = read_sentence(s, local, pub, actors, country)
        if m is not None:
            mentions.append(m)

    items: list[tuple[int, IncidentRecord]] = []
    groups = group_mentions(mentions)
    if any(g.place is None for g in groups):
        only = _only_place(sentences, spans, starts)
        for g in groups:
            if g.place is None and only is not None:
                g.place, g.coarse = only, True  # the one place the report names, background included
    for g in groups:
        items.append((g.first_index, _incident(article, g, inferred, pub)))
    for idx, rec in _advisory_records(article, advisories, pub, inferred):
        items.append((idx, rec))
    items.sort(key=lambda x: x[0])
    out = []
    for n, (_, rec) in enumerate(items):
        rec.record_id = f"{article.article_id}:{n}"
        out.append(rec)
    return out


def _spans_in(spans: list[PlaceSpan], starts: list[int], s: Sentence) -> list[PlaceSpan]:
    """The gazetteer spans inside sentence ``s`` (``starts``: the spans' offsets, sorted)."""
    return spans[bisect.bisect_left(starts, s.start) : bisect.bisect_left(starts, s.end)]


def _only_place(sentences: list[Sentence], spans: list[PlaceSpan], starts: list[int]) -> PlaceMention | None:
    """The single place (town or region, not a country) an article names anywhere, if it names one."""
    found: dict[str, PlaceMention] = {}
    for s in sentences:
        local = _spans_in(spans, starts, s)
        for f in find_places(s.text, local, s.start):
            if f.kind != "country" and f.mention.relation != "country":
                found.setdefault(place_key(f.mention.name), f.mention)
    return next(iter(found.values())) if len(found) == 1 else None


def _main_country(spans: list[PlaceSpan]) -> str | None:
    """The country the article talks about most (names state forces called just "soldiers")."""
    counts: dict[str, int] = {}
    for sp in spans:
        if sp.kind == "country":
            counts[sp.name] = counts.get(sp.name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


_ISSUER_COUNTRIES = frozenset(
    {
        "United States",
        "US",
        "USA",
        "America",
        "France",
        "United Kingdom",
        "Britain",
        "UK",
        "Canada",
        "Germany",
        "Russia",
    }
)


def _area(spans: list[PlaceSpan]) -> str | None:
    """Where an advisory applies: the first place named that is not the issuing country."""
    return next((sp.name for sp in spans if sp.name not in _ISSUER_COUNTRIES), None)


def _base(article: Article) -> dict[str, object]:
    return {
        "trace_id": article.trace_id,
        "stamps": dict(article.stamps),
        "record_id": "",
        "article_id": article.article_id,
        "article": article.path or article.url,
        "url": article.url,
        "source": article.source,
        "published_at": article.published_at,
        "duplicate_of": article.duplicate_of,
    }


def _incident(article: Article, g: Group, inferred: bool, pub: date | None) -> IncidentRecord:
    sub, et, type_m = decide(g)
    ev: list[Evidence] = [Evidence(field="event_type", sentence=type_m.sentence.text)]
    injured: int | None = None
    abducted: int | None = None
    toll = incident_toll(g.mentions)
    fatalities, high = toll.fatalities, toll.high
    ev.extend(Evidence(field="fatalities", sentence=t) for t in toll.sentences)
    for m in g.mentions:
        if injured is None and m.casualties.injured is not None:
            injured = m.casualties.injured
            ev.append(Evidence(field="injured", sentence=m.sentence.text))
        if abducted is None and m.casualties.abducted is not None:
            abducted = m.casualties.abducted
            ev.append(Evidence(field="abducted", sentence=m.sentence.text))
    dated = sorted((d.rank, m.sentence.index, d, m) for m in g.mentions for d in m.dates[:1])
    event_date = precision = None
    if dated:
        _, _, d, m = dated[0]
        event_date, precision = d.value, d.precision
        ev.append(Evidence(field="event_date", sentence=m.sentence.text))
    elif pub is not None and not inferred:
        event_date, precision = pub, 2  # undated news: reported that day, happened within the week (ACLED)
    if g.place is not None:
        name = g.place.name
        pm = next((m for m in g.mentions if any(f.mention.name == name for f in m.places)), g.mentions[0])
        ev.append(Evidence(field="place", sentence=pm.sentence.text))
    actors: list[Actor] = []
    seen: set[str] = set()
    for m in g.mentions:
        for a in m.actors:
            if a.name not in seen:
                seen.add(a.name)
                actors.append(a)
    conf = 0.45 + 0.25 * (type_m.top.strength if type_m.top else 0.5)
    conf += 0.1 if g.place is not None and not g.coarse else 0.0
    conf += 0.1 if fatalities is not None or injured is not None or abducted is not None else 0.0
    conf -= 0.15 if inferred else 0.0
    conf -= 0.2 if g.place is None else 0.0
    return IncidentRecord(
        **_base(article),
        kind=Kind.event,
        event_type=et,
        sub_event_type=sub,
        event_date=event_date,
        time_precision=precision,
        place=g.place,
        actors=actors,
        fatalities=fatalities,
        fatalities_high=high,
        injured=injured,
        abducted=abducted,
        evidence=ev,
        confidence=round(min(0.95, max(0.05, conf)), 2),
        summary=_summary(sub, g.place, fatalities, injured, abducted),
    )


def _summary(
    sub: str, place: PlaceMention | None, killed: int | None, injured: int | None, abducted: int | None
) -> str:
    what = _SHORT.get(sub, sub)
    where = ""
    if place is not None:
        rel = {
            "near": "near",
            "distance": f"{place.distance_km:g} km from" if place.distance_km else "near",
            "direction": f"{place.direction} of" if place.direction else "near",
        }.get(place.relation, "in")
        where = f" {rel} {place.name}" + (" region" if place.relation == "region" else "")
    parts = [f"{killed} killed"] if killed is not None else []
    if injured:
        parts.append(f"{injured} injured")
    if abducted:
        parts.append(f"{abducted} abducted")
    return what + where + (", " + ", ".join(parts) if parts else "")


def _advisory_records(
    article: Article, advisories: list[tuple[Sentence, AdvisoryHit]], pub: date | None, inferred: bool
) -> list[tuple[int, IncidentRecord]]:
    groups: dict[str | None, list[tuple[Sentence, AdvisoryHit]]] = {}
    for s, a in advisories:
        key = a.advisory.issuer
        if key is None and groups:
            key = next(iter(groups))
        groups.setdefault(key, []).append((s, a))
    out: list[tuple[int, IncidentRecord]] = []
    rank = ["leave immediately", "ordered departure", "do not travel", "attack risk", "travel advisory"]
    for issuer, items in groups.items():
        best = min(items, key=lambda x: rank.index(x[1].advisory.level or "travel advisory"))
        s, hit = best
        area = next((a.advisory.area for _, a in items if a.advisory.area), None)
        dates = next((d for x, _ in items for d in find_dates(x.text, pub)[:1]), None)
        adv = hit.advisory.model_copy(update={"issuer": issuer, "area": area})
        conf = hit.strength - (0.15 if inferred else 0.0)
        out.append(
            (
                items[0][0].index,
                IncidentRecord(
                    **_base(article),
                    kind=Kind.advisory,
                    advisory=adv,
                    event_date=dates.value if dates else None,
                    time_precision=dates.precision if dates else None,
                    place=PlaceMention(name=area, relation="in") if area else None,
                    evidence=[Evidence(field="advisory", sentence=x.text) for x, _ in items[:3]],
                    confidence=round(max(0.05, conf), 2),
                    summary=f"Advisory ({adv.level}) by {issuer or 'unknown issuer'}"
                    + (f" for {area}" if area else ""),
                ),
            )
        )
    return out
