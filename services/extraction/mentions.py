"""One sentence read for an event: triggers, casualties, dates, places, actors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sahelwatch.contracts import Actor
from sahelwatch.places import PlaceSpan
from services.extraction.actors import ActorDictionary
from services.extraction.casualties import Casualties, sentence_casualties
from services.extraction.dates import DateHit, find_dates
from services.extraction.events import EventHit, classify_sentence, has_target, pick
from services.extraction.history import is_background
from services.extraction.places import FoundPlace, find_places
from services.extraction.sentences import Sentence

_F = re.IGNORECASE
_CAPTION = re.compile(
    r"\b(?:is seen|are seen|REUTERS/|AFP/|AP Photo|File photo|FILE -|FILE PHOTO|Image:|"
    r"Photo:|"
    r"Credit:|Getty Images|pictured|\(File\)|Read more:|Related Stories|Sign up|"
    r"Subscribe)",
    _F,
)
_DATELINE = re.compile(
    r"^\(?[A-Z][A-Za-z'’ -]{2,30}\)?(?:,\s*[A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)?(?:,?\s*[A-Z][a-z]+\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?\s*"
    r"(?:\((?:Reuters|AFP|AP|Xinhua|dpa|Anadolu|VOA)\))?\s*(?:--|[:–—-])\s+"
)
_COORD = re.compile(r"^(?:\s|,|and|as well as|also|in|at|the|towns? of|villages? of|or|et|à)*$", _F)
_COORD_LOOSE = re.compile(r"^[^.;:]{0,60}\b(?:as well as|and also)\s+(?:in\s+|at\s+)?$", _F)
_LIST_GOES_ON = re.compile(r"(?:\s*,\s*[A-Z][\w'’-]+)*\s*,?\s+(?:and|as well as|et)\s+[A-Z]")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?(?:villages?\s+of\s+|towns?\s+of\s+)?$", _F)
_NON_EVENT = re.compile(
    r"\b(?:condemn\w*|investigat\w+|called on|calls? for|urged|denounced|welcomed|"
    r"said it (?:was|is) (?:ready|committed))\b",
    _F,
)


@dataclass
class Mention:
    sentence: Sentence
    hits: list[EventHit]
    top: EventHit | None
    casualties: Casualties
    dates: list[DateHit]
    places: list[FoundPlace]
    actors: list[Actor] = field(default_factory=list)

    @property
    def day(self) -> DateHit | None:
        return next((d for d in self.dates if d.precision == 1), None)

    @property
    def has_casualties(self) -> bool:
        c = self.casualties
        return c.killed is not None or c.injured is not None or c.abducted is not None


def is_caption(text: str) -> bool:
    return _CAPTION.search(text) is not None


def dateline_end(text: str) -> int:
    m = _DATELINE.match(text)
    return m.end() if m else 0


def read_sentence(
    s: Sentence, spans: list[PlaceSpan], pub: date | None, actors: ActorDictionary, country: str | None = None
) -> Mention | None:
    """A Mention when the sentence reports a (current) violent event, else None."""
    text = s.text
    hits = classify_sentence(text)
    if not hits:
        return None
    casualties = sentence_casualties(text)
    top = pick(hits)
    generic = top is not None and top.sub_event_type == "*attack"
    if generic and not casualties.killed and _NON_EVENT.search(text):
        return None
    cut = dateline_end(text)
    dates = [d for d in find_dates(text, pub) if d.start >= cut]  # "Bamako, July 27 (Reuters)": when told
    if is_background(text, pub, dates, casualties.killed is not None or casualties.injured is not None):
        return None
    trigger_at = top.start if top is not None else None
    actor_spans = actors.spans(text)
    found_actors = actors.find(text, trigger_at, actor_spans, country)
    taken = [(s.start + a.start, s.start + a.end) for a in actor_spans]
    local = [sp for sp in spans if sp.start - s.start >= cut and not any(a < sp.end and sp.start < b for a, b in taken)]
    places = find_places(text, local, s.start)
    places = [f for f in places if not any(a <= s.start + f.start < b for a, b in taken)]
    m = Mention(s, hits, top, casualties, dates, places, found_actors)
    if (
        top is not None
        and top.sub_event_type == "*attack"
        and not m.has_casualties
        and not found_actors
        and not has_target(text)
    ):
        return None  # "attack" with nobody attacking and nobody hurt: a figure of speech or a comment
    return m


def event_places(m: Mention) -> list[FoundPlace]:
    """The place(s) the sentence's event happened at: specific ones first, coordinated ones together."""
    specific = [
        f for f in m.places if f.kind not in ("country", "admin1") and f.mention.relation not in ("country", "region")
    ]
    if specific:
        text = m.sentence.text
        chosen = [specific[0]]
        for f in specific[1:]:
            prev = chosen[-1]
            prev_end = prev.start + len(prev.mention.name)
            between = text[prev_end : f.start]
            if between.strip() == "," and not _LIST_GOES_ON.match(text, f.start + len(f.mention.name)):
                # "Niono, Segou": the second name locates the first
                if prev.mention.admin_hint is None:
                    hinted = prev.mention.model_copy(update={"admin_hint": f.mention.name})
                    chosen[-1] = FoundPlace(hinted, prev.start, prev.kind, known=prev.known)
                continue
            if _BETWEEN.search(text, max(0, prev.start - 12), prev.start):
                continue  # "between Boni and Hombori": one place, on the road
            coordinated = len(between) < 40 and _COORD.match(between) and between.strip() != ""
            if coordinated or _COORD_LOOSE.match(between):
                chosen.append(f)
        return chosen
    regions = [f for f in m.places if f.mention.relation == "region"]
    if regions:
        return regions[:1]
    countries = [f for f in m.places if f.mention.relation == "country"]
    return countries[:1]
