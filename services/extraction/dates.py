"""Event dates resolved against the publication date, with precompiled regexes.

Common forms are handled here ("on Wednesday", "overnight", "last week", "late March",
"September 7th", "25 août 2023"); ``dateparser`` is only a fallback for a lone date-like phrase
(see ``fallback_parse``). Precision: 1 day, 2 week, 3 month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan janvier janv",
        "february feb feb. février fevrier févr",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug août aout",
        "september sep sept septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec décembre decembre déc",
    ],
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n.rstrip(".")] = _i

_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "monday lundi",
        "tuesday mardi",
        "wednesday mercredi",
        "thursday jeudi",
        "friday vendredi",
        "saturday samedi",
        "sunday dimanche",
    ]
):
    for _n in _names.split():
        _WEEKDAYS[_n] = _i

_M = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_W = "(?P<wd>" + "|".join(_WEEKDAYS) + ")"
_F = re.IGNORECASE

_MDY = re.compile(
    rf"\b{_M}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:km|kilo|mile|"
    rf"%))(?:,?\s+(?P<year>(?:19|20)\d\d))?",
    _F,
)
_DMY = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?\s+(?:of\s+)?{_M}(?:,?\s+(?P<year>(?:19|"
    rf"20)\d\d))?\b",
    _F,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_WEEKDAY = re.compile(rf"\b(?:(?P<mod>last|this|past|early|late|dernier)\s+)?{_W}(?:'s)?\b", _F)
_PART = re.compile(
    rf"\b(?P<part>early|late|mid-?|the end of|the beginning of|the start of|the middle of|in|last|since|"
    rf"début|fin|mi-|en)\s*{_M}(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    _F,
)
_REL = re.compile(
    r"\b(?P<rel>yesterday|today|this morning|this afternoon|tonight|last night|overnight|hier|aujourd'hui|"
    r"cette nuit|la nuit dernière|earlier this week|this week|last week|last weekend|over the weekend|"
    r"this weekend|la semaine dernière|cette semaine|earlier this month|this month|last month|"
    r"le mois dernier|ce mois)\b",
    _F,
)
_SAY = r"(?:said|says|announced|reported|stated|told|confirmed|added|claimed|wrote|declared|indicated)"
_SAID_BEFORE = re.compile(
    rf"(?:\b{_SAY}\s+(?:(?:on|late|early)\s+)*|\b(?:by|as of|"
    rf"until)\s+(?:late\s+)?)$",
    _F,
)
_SAID_AFTER = re.compile(rf"^(?:\s+(?:evening|morning|night|afternoon))?(?:,)?\s+(?:that\s+)?{_SAY}\b", _F)
_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")

_REL_OFFSETS: dict[str, tuple[int, int]] = {  # phrase -> (days back, precision)
    "yesterday": (1, 1),
    "hier": (1, 1),
    "today": (0, 1),
    "aujourd'hui": (0, 1),
    "this morning": (0, 1),
    "this afternoon": (0, 1),
    "tonight": (0, 1),
    "last night": (1, 1),
    "overnight": (1, 1),
    "cette nuit": (1, 1),
    "la nuit dernière": (1, 1),
    "earlier this week": (2, 2),
    "this week": (0, 2),
    "last week": (7, 2),
    "la semaine dernière": (7, 2),
    "cette semaine": (0, 2),
    "last weekend": (6, 2),
    "over the weekend": (1, 2),
    "this weekend": (1, 2),
    "earlier this month": (7, 3),
    "this month": (0, 3),
    "last month": (30, 3),
    "le mois dernier": (30, 3),
    "ce mois": (0, 3),
}


@dataclass(frozen=True, slots=True)
class DateHit:
    value: date
    precision: int  # 1 day, 2 week, 3 month
    start: int
    end: int
    text: str
    explicit_year: bool = False
    rank: int = 0  # 0 a stated calendar day, 1 a weekday or relative day, 2 week, 3 month
    reporting: bool = False  # "said on Saturday", "said today": when it was told, not when it happened


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _with_year(month: int, day: int, year: str | None, pub: date | None) -> tuple[date | None, bool]:
    if year:
        return _safe_date(int(year), month, day), True
    if pub is None:
        return None, False
    d = _safe_date(pub.year, month, day)
    if d is not None and d > pub + timedelta(days=2):
        d = _safe_date(pub.year - 1, month, day)
    return d, False


def find_dates(text: str, pub: date | None) -> list[DateHit]:
    """Every resolvable date expression in ``text``, most precise first, then in text order."""
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []

    def add(hit: DateHit | None) -> None:
        if hit is None or any(hit.start < e and s < hit.end for s, e in taken):
            return
        taken.append((hit.start, hit.end))
        hits.append(hit)

    for rx in (_ISO, _MDY, _DMY):
        for m in rx.finditer(text):
            month = int(m["month"]) if rx is _ISO else _MONTHS.get(m["month"].lower().rstrip("."), 0)
            d, explicit = _with_year(month, int(m["day"]), m["year"], pub)
            if d is not None and month:
                add(DateHit(d, 1, m.start(), m.end(), m.group(), explicit))
    for m in _WEEKDAY.finditer(text):
        if pub is None:
            continue
        back = (pub.weekday() - _WEEKDAYS[m["wd"].lower()]) % 7
        if back == 0 and (m["mod"] or "").lower() in ("last", "past", "dernier"):
            back = 7
        add(DateHit(pub - timedelta(days=back), 1, m.start(), m.end(), m.group(), rank=1))
    for m in _REL.finditer(text):
        if pub is None:
            continue
        back, prec = _REL_OFFSETS[m["rel"].lower()]
        add(DateHit(pub - timedelta(days=back), prec, m.start(), m.end(), m.group(), rank=max(prec, 1)))
    for m in _PART.finditer(text):
        part = m["part"].lower()
        month = _MONTHS[m["month"].lower().rstrip(".")]
        day = (
            25
            if part in ("late", "the end of", "fin")
            else 5
            if part in ("early", "the beginning of", "the start of", "début")
            else 15
        )
        d, explicit = _with_year(month, day, m["year"], pub)
        if d is not None and part == "last" and not explicit and pub is not None and month >= pub.month:
            d = _safe_date(pub.year - 1, month, day)
        if d is not None:
            add(DateHit(d, 3, m.start(), m.end(), m.group(), explicit, rank=3))
    out = []
    for h in hits:
        before, after = text[max(0, h.start - 25) : h.start], text[h.end : h.end + 25]
        if _SAID_BEFORE.search(before) or _SAID_AFTER.match(after):
            h = DateHit(h.value, h.precision, h.start, h.end, h.text, h.explicit_year, h.rank, True)
        out.append(h)
    out.sort(key=lambda h: (h.reporting, h.rank, h.start))
    return out


def years_mentioned(text: str) -> list[int]:
    return [int(m["year"]) for m in _YEAR.finditer(text)]


def infer_publication_date(text: str) -> date | None:
    """Latest full date (with a year) stated in the text: a dateline, a caption, a quoted statement."""
    best: date | None = None
    for rx in (_ISO, _MDY, _DMY):
        for m in rx.finditer(text):
            if not m["year"]:
                continue
            month = _MONTHS.get(m["month"].lower().rstrip("."), 0) if rx is not _ISO else int(m["month"])
            d = _safe_date(int(m["year"]), month, int(m["day"])) if month else None
            if d is not None and (best is None or d > best):
                best = d
    return best


def fallback_parse(phrase: str, pub: date | None) -> date | None:
    """dateparser for a lone phrase our regexes do not know (slow: call once per article at most)."""
    import dateparser  # imported lazily: slow to import

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if pub is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    parsed = dateparser.parse(phrase, languages=["en", "fr"], settings=settings)
    return parsed.date() if parsed is not None else None
