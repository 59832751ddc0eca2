"""What the words next to a name say about where it is: admin hints and anchor towns.

Extraction stores them in ``PlaceMention.admin_hint``, comma-separated, nearest first:
"(Douentza, Mopti)" -> ``"Douentza, Mopti"``; "Mariko, near Niono" -> ``"Niono"``;
"Dah, near Sokoura, Mopti Region" -> ``"Sokoura, Mopti Region"``; "the village of X, about
60 km south of Gourma-Rharous" -> ``"60 km south of Gourma-Rharous"``.

A part that names a region or cercle restricts the candidates to it; a part that names a town is
an anchor: the place is the homonym within ``anchor_radius`` of it, closest first, and when no
homonym (not even a close spelling) lies there, the anchor town itself at precision 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sahelwatch.gazetteer import Place

# "near Y" / "(Y)" / "in the commune of Y": a village that far from its anchor is another village.
ANCHOR_KM = 60.0
_DISTANCE = re.compile(
    r"^(?:(?:about|some|around|approximately|roughly|nearly|at least)\s+)?(?P<km>\d+(?:\.\d+)?)\s*"
    r"(?:km|kms|kilomet(?:er|re)s?)\b[^,]*?\b(?:of|from|de)\s+(?P<name>.+)$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:near|close to|outside|in|the|commune of|cercle of|area of)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class HintPart:
    name: str
    km: float | None = None  # stated distance from this anchor ("60 km south of Y")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A town named as the place's surroundings, resolved; ``fallback``: may stand in for it."""

    place: Place
    radius_km: float
    fallback: bool = True


def split_hint(hint: str) -> list[HintPart]:
    """'Sokoura, Mopti Region' -> [Sokoura, Mopti Region]; '60 km south of Gao' -> [Gao at 60 km]."""
    parts: list[HintPart] = []
    for raw in hint.replace("(", ",").replace(")", ",").split(","):
        text = raw.strip()
        while (lead := _LEAD.match(text)) is not None:
            text = text[lead.end() :]
        if not text:
            continue
        m = _DISTANCE.match(text)
        if m is not None:
            parts.append(HintPart(m["name"].strip(), float(m["km"])))
        else:
            parts.append(HintPart(text))
    return parts


def anchor_radius(km: float | None) -> float:
    """How far from its anchor a place may be: 60 km, or the stated distance with room for error."""
    return ANCHOR_KM if km is None else max(ANCHOR_KM, 1.5 * km + 25.0)
