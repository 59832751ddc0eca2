"""One type for an incident from the triggers of all its sentences (ACLED coding rules).

- the highest-priority specific rule wins (rule order in ``events._RULES``);
- strategic developments lose to violence told about the same incident, except a disrupted weapon
  ("a car bomb was thwarted" is not an explosion);
- a bomb or air strike followed by gunfire or a ground assault ("IED followed by small arms
  fire", "complex ambush") is an Armed clash;
- an abduction or arrest with killings or torture is an attack (on civilians, or a clash when the
  victims are armed); an execution of armed men is an Armed clash;
- a protest is typed by what happened to it: protesters' violence (burned tyres, ransacked,
  clashed) is a Violent demonstration, dispersal or assault by others a Protest with intervention;
  the killing or arrest the crowd protests against is its cause, not the event;
- an attack that only hits property (no one killed or hurt, no armed target) is Looting/property
  destruction; an attack on positions or a post is an Armed clash even when "people" died;
- a mortar round that "exploded" is shelling, not a bomb;
- otherwise generic words ("attack", "killed") are resolved by the victims.
"""

from __future__ import annotations

import re

from sahelwatch.contracts import SUB_EVENT_TYPES, EventType
from services.extraction.events import _RULES, resolve_generic
from services.extraction.grouping import Group
from services.extraction.mentions import Mention
from services.extraction.victims import victim_side

_ORDER = {sub: i for i, (sub, _, _) in enumerate(_RULES)}
_REMOTE = frozenset({"Remote explosive/landmine/IED", "Air/drone strike", "Shelling/artillery/missile attack"})
_COMPLEX = re.compile(
    r"\b(?:followed by|ensued by|ambush\w*|complex attack|initiated (?:by|with)|"
    r"exchanges? of (?:\w+ )?(?:fire|gunfire)|exchanged (?:\w+ )?(?:fire|gunfire)|small arms|gunfight|"
    r"ground (?:forces|troops|operation|assault)|commandos)\b",
    re.IGNORECASE,
)
_PERSON_VIOLENCE = re.compile(
    r"\b(?:opened fire|fired (?:on|at)|shot|assault\w*|wound\w*|injur\w*|killed|killing|beat(?:en)?|"
    r"attacked)\b",
    re.IGNORECASE,
)
_RAID = re.compile(r"\b(?:raid(?:s|ed)?|military operation|operation against|assault on)\b", re.IGNORECASE)
_CAPTURE_ABUSE = frozenset({"Abduction/forced disappearance", "Arrests"})
_PROTEST = frozenset({"Peaceful protest", "Violent demonstration", "Protest with intervention"})
# what the crowd protests against: "in protest against the killing of ...", "furious about the arrest"
_CAUSE = re.compile(
    r"\b(?:protest\w*|demonstrat\w*|march\w*|furious|angry|anger|outrage\w*|denounc\w*|demand\w*)\s+"
    r"(?:\w+\s+){0,3}?(?:against|over|about|at|following|after|for)\b.*",
    re.IGNORECASE | re.DOTALL,
)
_CROWD_VIOLENCE = re.compile(
    r"\b(?:ransack\w*|loot\w*|set (?:on )?fire|set ablaze|torched|burn(?:ed|t|ing)|clash\w*|attacked|stormed|"
    r"threw stones|stone[- ]throwing|barricades?|vandali[sz]\w*|destroyed|riot\w*|violent)\b",
    re.IGNORECASE,
)
_INTERVENTION = re.compile(
    r"\b(?:dispers\w*|tear ?gas|assaulted|beaten|beat|arrested|detained|baton\w*|warning shots|"
    r"fired (?:\w+ )?(?:in|into) the air|repressed|charged)\b",
    re.IGNORECASE,
)
_PROPERTY_ONLY = frozenset({"Looting/property destruction"})
_HURT = re.compile(
    r"\b(?:opened fire|fired (?:on|at)|shot|assault\w*|wound\w*|injur\w*|killed|killing|beat(?:en)?|"
    r"executed|abduct\w*|kidnapp\w*|clash\w*|fighting|exchange\w* of|gunfire)\b",
    re.IGNORECASE,
)
_ON_POSITIONS = re.compile(
    r"\b(?:attack\w*|assault\w*|raid\w*)\s+(?:\w+\s+){0,4}?(?:on|against)\s+(?:the\s+|an?\s+)?(?:[\w/-]+\s+){0,2}?"
    r"(?:positions?|posts?|bases?|camps? of|barracks|checkpoints?|garrison|convoys?|patrols?)\b",
    re.IGNORECASE,
)
_BUILDING = re.compile(
    r"\b(?:attacked|raided|targeted)\s+(?:and\s+\w+\s+)?(?:the\s+|an?\s+|\d+\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:offices?|schools?|buildings?|shops?|stores?|warehouses?|equipment|sites?|town hall|polling|voting|"
    r"urns?|ballot\w*|trucks?|vehicles?|antennas?|mast)\b",
    re.IGNORECASE,
)
_UNOPPOSED = re.compile(
    r"\b(?:no (?:clashes|fighting|resistance|fight)|without (?:a fight|fighting|resistance|clashes|a shot)|"
    r"unopposed)\b",
    re.IGNORECASE,
)
_BLAST = re.compile(r"^(?:exploded|explosions?|detonations?|blasts?)$", re.IGNORECASE)


def decide(g: Group) -> tuple[str, EventType, Mention]:
    """(sub-event type, event type, the sentence that decided it)."""
    special = _protest(g) or _property(g)
    if special is not None:
        return special
    violent = any(m.casualties.killed for m in g.mentions) or any(
        h.event_type != "Strategic developments" and h.sub_event_type != "*attack" and h.strength >= 0.8
        for m in g.mentions
        for h in m.hits
        if m.top is None or m.top.sub_event_type != "Disrupted weapons use"
    )
    best: tuple[int, Mention] | None = None
    for m in g.mentions:
        for h in m.hits:
            if h.sub_event_type == "*attack" or h.strength < 0.8:
                continue
            if violent and h.event_type == "Strategic developments":
                continue
            rank = _ORDER[h.sub_event_type]
            if best is None or rank < best[0]:
                best = (rank, m)
    if best is not None:
        return _refine(_RULES[best[0]][0], best[1], g)
    weak = [(_ORDER[h.sub_event_type], m) for m in g.mentions for h in m.hits if h.sub_event_type != "*attack"]
    if (
        weak
        and not any(x.casualties.killed for x in g.mentions)
        and not any(_PERSON_VIOLENCE.search(x.sentence.text) for x in g.mentions)
    ):
        rank, m = min(weak, key=lambda x: x[0])
        sub = _RULES[rank][0]
        return sub, SUB_EVENT_TYPES[sub], m
    sub, et = _generic(g)
    return sub, et, g.mentions[0]


def _protest(g: Group) -> tuple[str, EventType, Mention] | None:
    """Protests typed by what happened to the crowd; None when the group is not a protest."""
    hits = [(h, m) for m in g.mentions for h in m.hits]
    if any(h.sub_event_type == "Excessive force against protesters" for h, _ in hits):
        return None  # the rule order already gives Excessive force
    protest = next((m for h, m in hits if h.sub_event_type in _PROTEST and h.strength >= 0.7), None)
    if protest is None or any(h.event_type == "Explosions/Remote violence" for h, _ in hits):
        return None
    texts = [_CAUSE.sub("", m.sentence.text) for m in g.mentions]
    if any(m.casualties.killed for m in g.mentions) and not any(
        h.sub_event_type in ("Violent demonstration", "Protest with intervention") for h, _ in hits
    ):
        return None  # people died and nothing says the crowd did it: a violent event, not a protest
    text = " ".join(texts)
    if any(h.sub_event_type == "Violent demonstration" for h, _ in hits) or _CROWD_VIOLENCE.search(text):
        return "Violent demonstration", "Riots", protest
    if _INTERVENTION.search(text):
        return "Protest with intervention", "Protests", protest
    return "Peaceful protest", "Protests", protest


def _property(g: Group) -> tuple[str, EventType, Mention] | None:
    """'attacked and burned the mayor's office': property hit, nobody hurt, no armed target."""
    subs = {h.sub_event_type for m in g.mentions for h in m.hits}
    if not (subs & _PROPERTY_ONLY) or subs - _PROPERTY_ONLY - {"*attack"}:
        return None
    if any(m.casualties.killed or m.casualties.injured or m.casualties.abducted for m in g.mentions):
        return None
    text = " ".join(m.sentence.text for m in g.mentions)
    side = victim_side(text)
    if _HURT.search(text) or side == "armed" or _ON_POSITIONS.search(text):
        return None
    if side == "civilian" and not _BUILDING.search(text):
        return None
    m = next(m for m in g.mentions if any(h.sub_event_type in _PROPERTY_ONLY for h in m.hits))
    return "Looting/property destruction", "Strategic developments", m


def _generic(g: Group) -> tuple[str, EventType]:
    text = " ".join(m.sentence.text for m in g.mentions)
    if _ON_POSITIONS.search(text):
        return "Armed clash", "Battles"  # ACLED: an attack on a post or positions is a battle
    parties: set[str] = set()
    for m in g.mentions:
        parties |= m.casualties.parties
    return resolve_generic(text, "civilian" in parties, bool(parties & {"state", "militant"}))


def _refine(sub: str, m: Mention, g: Group) -> tuple[str, EventType, Mention]:
    text = m.sentence.text
    if sub == "Remote explosive/landmine/IED":
        trig = next((h.trigger for h in m.hits if h.sub_event_type == sub), "")
        other = next((h for h in m.hits if h.sub_event_type in ("Shelling/artillery/missile attack", "Grenade")), None)
        if other is not None and _BLAST.match(trig):
            sub = other.sub_event_type  # "two mortar rounds exploded": the weapon decides
    if sub == "Non-state actor overtakes territory" and any(_UNOPPOSED.search(x.sentence.text) for x in g.mentions):
        return "Non-violent transfer of territory", "Strategic developments", m
    if sub in _REMOTE and _COMPLEX.search(text):
        return "Armed clash", "Battles", m
    if sub in _CAPTURE_ABUSE:
        killed = any(x.casualties.killed for x in g.mentions)
        abused = any(h.sub_event_type == "Attack" for x in g.mentions for h in x.hits)
        if abused and victim_side(" ".join(x.sentence.text for x in g.mentions)) != "armed":
            return "Attack", "Violence against civilians", m
        if killed or abused:
            gsub, get = _generic(g)
            return gsub, get, m
    if sub in ("Attack", "Abduction/forced disappearance") and victim_side(text) == "armed":
        return "Armed clash", "Battles", m  # ACLED: violence against armed men is a battle
    if sub == "Arrests" and _RAID.search(text):
        return "Armed clash", "Battles", m  # arrests made during a raid: the raid is the event
    return sub, SUB_EVENT_TYPES[sub], m
