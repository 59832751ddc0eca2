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
from collections.abc import Callable
from dataclasses import dataclass

from sahelwatch.gazetteer import Place

# "near Y" / "(Y)" / "in the commune of Y": a village that far from its anchor is another village.
ANCHOR_KM = 60.0
# A spelling that only resembles the name must be much closer to the anchor than a namesake:
# within this many km (or of the stated distance, "35 km south of Y").
LOOSE_ANCHOR_KM = 25.0
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
    km: float | None = None  # the stated distance, if any

    @property
    def loose_radius_km(self) -> float:
        """How far from the anchor a looser spelling of the name may be (see ``LOOSE_ANCHOR_KM``)."""
        return LOOSE_ANCHOR_KM + (self.km or 0.0)


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


# "near the Niger border", "on the Algerian border", "the Mali-Niger border area", "près de la
# frontière nigérienne", "à la frontière avec le Burkina": the countries a place lies next to.
_BORDER_EN = re.compile(
    r"\b(?:near|on|along|close to|at|by|in|next to|not far from|astride|straddling)\s+(?:the\s+)?"
    r"(?P<names>[A-Z][\w'’]*(?:(?:\s*[/-]\s*|\s+and\s+|\s+)[A-Z][\w'’]*){0,3})\s+"
    r"(?:border|borders|frontier|borderlands?)\b"
)
_BORDER_WITH = re.compile(
    r"\bborders?\s+(?:area\s+|region\s+|zone\s+)?with\s+(?:the\s+)?(?P<names>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)"
)
_BORDER_FR = re.compile(
    r"\bfronti[eè]res?\s+(?:avec\s+)?(?:le\s+|la\s+|l['’]\s*|du\s+|de\s+la\s+|de\s+l['’]\s*|des\s+)?"
    r"(?P<names>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?|[a-zéèê]+)"
)
_TRI_BORDER = re.compile(
    r"\b(?:tri[\s-]*(?:state\s+|country\s+|nation\s+)?border|three[\s-]+borders?|trois[\s-]+fronti[eè]res)\b", re.I
)
# The Liptako-Gourma, where Mali, Burkina Faso and Niger meet.
TRI_BORDER = ("ML", "BF", "NE")
DEMONYMS = {
    "algerian": "DZ", "algerienne": "DZ", "nigerien": "NE", "nigerienne": "NE", "burkinabe": "BF",
    "burkinabes": "BF", "mauritanian": "MR", "mauritanienne": "MR", "malian": "ML", "malienne": "ML",
    "ivorian": "CI", "ivoirienne": "CI", "guinean": "GN", "guineenne": "GN", "senegalese": "SN",
    "senegalaise": "SN", "nigerian": "NG", "nigeriane": "NG", "chadian": "TD", "tchadienne": "TD",
    "libyan": "LY", "libyenne": "LY",
}  # fmt: skip


def border_countries(text: str, country: Callable[[str], str | None]) -> list[str]:
    """ISO codes of the countries ``text`` says a place borders ("near the Niger border" -> NE).

    ``country`` maps a name ("Niger", "BurkinaFaso", "Burkina") to its code; demonyms
    ("Algerian border", "frontière nigérienne") are known here. "The tri-border area" is the
    Mali / Burkina Faso / Niger border.
    """
    found: list[str] = []
    for pattern in (_BORDER_EN, _BORDER_WITH, _BORDER_FR):
        for match in pattern.finditer(text):
            found.extend(_countries_in(match["names"], country))
    if _TRI_BORDER.search(text):
        found.extend(TRI_BORDER)
    return list(dict.fromkeys(found))


def _countries_in(names: str, country: Callable[[str], str | None]) -> list[str]:
    """'Burkina-Niger' -> [BF, NE]; 'Burkina Faso' -> [BF]; 'Algerian' -> [DZ]; 'Kidal' -> []."""
    codes: list[str] = []
    for piece in re.split(r"\s*[/-]\s*|\s+and\s+", names):
        piece = re.sub(r"['’]s$", "", piece.strip())
        code = _country_code(piece, country)
        if code is None:  # "Mali Niger": word by word
            codes.extend(c for word in piece.split() if (c := _country_code(word, country)) is not None)
        else:
            codes.append(code)
    return codes


def _country_code(name: str, country: Callable[[str], str | None]) -> str | None:
    if not name:
        return None
    key = name.lower().replace("é", "e").replace("è", "e")
    return DEMONYMS.get(key) or country(name)
