"""Security advisories: travel warnings, ordered departures, "leave immediately", attack-risk alerts.

They are alert-worthy but are not conflict events: a sentence read as an advisory is not also
read as an event (its "risk of attacks" is a warning, not an attack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sahelwatch.contracts import Advisory
from services.extraction.lowered import lowered, on_lowered

_F = re.IGNORECASE

_LEVELS: list[tuple[str, re.Pattern[str]]] = [
    (
        "leave immediately",
        re.compile(
            r"\b(?:leave|depart|quit|exit)\s+(?:the country|\w+)?\s*(?:immediately|now|as soon as possible|"
            r"without delay)|"
            r"(?:depart|leave)\s+immediately|quitter (?:le pays|le \w+) (?:immédiatement|sans délai)",
            _F,
        ),
    ),
    (
        "ordered departure",
        re.compile(
            r"\bordered (?:the )?(?:departure|non-emergency|evacuation|all non-emergency)|ordered departure|"
            r"ordered [\w -]{0,60}to leave|départ ordonné",
            _F,
        ),
    ),
    (
        "do not travel",
        re.compile(
            r"\bdo not travel|level 4|avoid all travel|"
            r"advise[sd]? against (?:all )?travel|"
            r"formellement déconseillé",
            _F,
        ),
    ),
    (
        "attack risk",
        re.compile(
            r"\b(?:high|heightened|increased|elevated|imminent)\s+risks?\s+of\s+(?:\w+\s+){0,2}(?:attacks?|"
            r"kidnappings?)|"
            r"warn(?:s|ed|ing)?\s+(?:\w+\s+){0,4}of\s+(?:a\s+)?(?:high\s+|heightened\s+|possible\s+|imminent\s+)?"
            r"(?:risk|threat)s?\s+of\s+(?:\w+\s+){0,2}attacks?|risques? (?:élevés? )?d'attentats?|"
            r"security alert",
            _F,
        ),
    ),
    (
        "travel advisory",
        re.compile(
            r"\btravel (?:advisory|warning)|security alert|"
            r"urged (?:its )?(?:citizens|nationals)"
            r" to (?:leave|avoid)|conseils aux voyageurs",
            _F,
        ),
    ),
]
_ISSUERS: list[tuple[str, re.Pattern[str]]] = [
    ("US Embassy", re.compile(r"\b(?:U\.?S\.?|United States|American) Embassy\b", _F)),
    ("US Department of State", re.compile(r"\bState Department|Department of State|the Department\b", _F)),
    ("US government", re.compile(r"\bUnited States|the US\b|\bU\.S\.", _F)),
    ("UK FCDO", re.compile(r"\bForeign(?:,| and) Commonwealth|FCDO|British (?:government|embassy)", _F)),
    (
        "French Ministry of Foreign Affairs",
        re.compile(
            r"\bQuai d'Orsay|French (?:embassy|foreign ministry)|"
            r"ambassade de France|France Diplomatie",
            _F,
        ),
    ),
    (
        "Malian military",
        re.compile(
            r"\b(?:Malian|Mali's) (?:military|army)|military headquarters|état-major|"
            r"chief of staff",
            _F,
        ),
    ),
    ("Embassy", re.compile(r"\bembass(?:y|ies)|ambassade\b", _F)),
]


_LEVELS_LOWERED = [(name, fast) for name, rx in _LEVELS if (fast := on_lowered(rx)) is not None]
assert len(_LEVELS_LOWERED) == len(_LEVELS), "advisory levels are matched on the lowered sentence"


@dataclass(frozen=True, slots=True)
class AdvisoryHit:
    advisory: Advisory
    strength: float


def find_advisory(text: str, area: str | None = None) -> AdvisoryHit | None:
    """The advisory a sentence states, if any (level from the strongest wording)."""
    low = lowered(text)
    if low is not None:
        level = next((name for name, rx in _LEVELS_LOWERED if rx.search(low)), None)
    else:
        level = next((name for name, rx in _LEVELS if rx.search(text)), None)
    if level is None:
        return None
    issuer = next((name for name, rx in _ISSUERS if rx.search(text)), None)
    strength = 0.9 if issuer else 0.6
    return AdvisoryHit(Advisory(issuer=issuer, level=level, area=area), strength)
