"""One type for an incident from the triggers of all its sentences (ACLED coding rules).

- the highest-priority specific rule wins (rule order in ``events._RULES``);
- strategic developments lose to violence told about the same incident, except a disrupted weapon
  ("a car bomb was thwarted" is not an explosion);
- a bomb or air strike followed by gunfire or a ground assault ("IED followed by small arms
  fire", "complex ambush") is an Armed clash;
- an abduction or arrest with killings or torture is an attack (on civilians, or a clash when the
  victims are armed); an execution of armed men is an Armed clash;
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
    r"exchange of fire|small arms|gunfight|ground (?:forces|troops|operation)|commandos)\b",
    re.IGNORECASE,
)
_PERSON_VIOLENCE = re.compile(
    r"\b(?:opened fire|fired (?:on|at)|shot|assault\w*|wound\w*|injur\w*|killed|killing|beat(?:en)?|"
    r"attacked)\b",
    re.IGNORECASE,
)
_RAID = re.compile(r"\b(?:raid(?:s|ed)?|military operation|operation against|assault on)\b", re.IGNORECASE)
_CAPTURE_ABUSE = frozenset({"Abduction/forced disappearance", "Arrests"})


def decide(g: Group) -> tuple[str, EventType, Mention]:
    """(sub-event type, event type, the sentence that decided it)."""
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


def _generic(g: Group) -> tuple[str, EventType]:
    text = " ".join(m.sentence.text for m in g.mentions)
    parties: set[str] = set()
    for m in g.mentions:
        parties |= m.casualties.parties
    return resolve_generic(text, "civilian" in parties, bool(parties & {"state", "militant"}))


def _refine(sub: str, m: Mention, g: Group) -> tuple[str, EventType, Mention]:
    text = m.sentence.text
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
