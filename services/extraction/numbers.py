"""Counts as news writes them: digits, words ("twenty-one"), vague ones ("a dozen", "dozens").

``NUMBER`` is a regex fragment (no groups) that matches one count; ``parse_number`` turns the
matched text into an int. Vague plurals map to ACLED-style conservative lower bounds.
"""

from __future__ import annotations

import re

_UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "a single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    # French
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
_VAGUE: dict[str, int] = {
    "a dozen": 12,
    "dozen": 12,
    "a dozen or so": 12,
    "dozens": 12,
    "dozens of": 12,
    "scores": 20,
    "scores of": 20,
    "a score of": 20,
    "hundreds": 100,
    "hundreds of": 100,
    "a hundred": 100,
    "several dozen": 24,
    "a few dozen": 24,
    "une dizaine": 10,
    "des dizaines": 10,
    "une vingtaine": 20,
    "une trentaine": 30,
    "une quarantaine": 40,
    "une cinquantaine": 50,
    "une centaine": 100,
    "des centaines": 100,
}
# plural vague words: lower bounds, not counts ("a dozen" counts as 12)
VAGUE_WORDS = frozenset(w for w in _VAGUE if w.startswith(("dozens", "scores", "hundreds", "several", "a few", "des ")))

_unit_alt = "|".join(sorted((re.escape(w) for w in _UNITS if w not in ("un", "une")), key=len, reverse=True))
_tens_alt = "|".join(sorted(_TENS, key=len, reverse=True))
_vague_alt = "|".join(sorted((re.escape(w) for w in _VAGUE), key=len, reverse=True))

NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?![\d,.]\d)"
    rf"|(?:{_vague_alt})"
    rf"|(?:(?:{_tens_alt})(?:[- ](?:{_unit_alt}))?)(?:\s+hundred)?"
    rf"|(?:{_unit_alt})(?:\s+hundred)?)"
)
_NUMBER_RE = re.compile(rf"^(?:{NUMBER})$", re.IGNORECASE)
_WORD_RE = re.compile(r"[a-zé]+", re.IGNORECASE)


def parse_number(text: str) -> int | None:
    """Value of one count as matched by ``NUMBER``; None when it is not a count."""
    t = " ".join(text.lower().replace("-", " ").split())
    if not t:
        return None
    if t[0].isdigit():
        try:
            return int(t.replace(",", ""))
        except ValueError:
            return None
    if t in _VAGUE:
        return _VAGUE[t]
    if t.replace(" ", "-") in _VAGUE:
        return _VAGUE[t.replace(" ", "-")]
    total = 0
    for w in _WORD_RE.findall(t):
        if w in _TENS:
            total += _TENS[w]
        elif w in _UNITS:
            total += _UNITS[w]
        elif w == "hundred":
            total = max(total, 1) * 100
        elif w == "single":
            total += 1
        elif w != "a":
            return None
    return total if t != "a" else None


def is_vague(text: str) -> bool:
    """True for "dozens", "a dozen", "hundreds": counts that are only lower bounds."""
    return " ".join(text.lower().split()) in VAGUE_WORDS


def matches_number(text: str) -> bool:
    return _NUMBER_RE.match(text.strip()) is not None
