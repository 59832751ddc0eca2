"""Background and history are not news: "in 2012", "last year's massacre", "since 2015".

A sentence is background when it dates itself before the reporting window (an explicit past
year, "last year", "a decade ago", a resolved date long before publication) or speaks of a
habit rather than an incident ("regularly attack", "have killed hundreds since"), unless it also
carries a current anchor ("on Wednesday", a recent calendar date).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from services.extraction.dates import DateHit, years_mentioned

_F = re.IGNORECASE
RECENT_DAYS = 45

_PAST_MARKERS = re.compile(
    r"\b(?:last year|a year ago|years? ago|a decade ago|decades? ago|months ago|in recent (?:years|months)|"
    r"over the past|in the past|since (?:its|the) (?:inception|start|beginning|creation)|since then|"
    r"for (?:years|a decade|decades)|previous(?:ly)?|first struck|l'an dernier|l'année dernière|"
    r"il y a \w+ ans|"
    r"depuis \d{4}|history|historic(?:al)?|was the scene of|in the wake of|erupted in|began in|"
    r"began a decade|"
    r"last year's|ever since|have been killed since|since \d{4}|"
    r"(?:since|in|from|until|by|of) (?:(?:early|late|mid-?)\s*)?(?:january|february|march|april|may|june|"
    r"july|"
    r"august|september|october|november|december)?\s*(?:19|20)\d\d)\b",
    _F,
)
_HABITUAL = re.compile(
    r"\b(?:regularly|routinely|repeatedly|often|frequently|recurrent(?:ly)?|commonly|are common|is common|"
    r"ha(?:ve|s) (?:also )?(?:repeatedly |regularly |often )?(?:killed|claimed) (?:hundreds|thousands|"
    r"scores)|"
    r"ha(?:ve|s) (?:repeatedly|regularly|often|frequently) (?:attacked|targeted|killed)|"
    r"continue(?:s|d)? to|tend to|usually|typically|hundreds of|thousands of|a series of|"
    r"plotting|threat(?:en)?s?|could|might|(?-i:may)|would|if|plan(?:s|ning)? to|risk of|fear(?:s|ed)?|"
    r"aims? to|known for|capable of|possible|likely to|remain possible|uptick)\b",
    _F,
)
_CURRENT = re.compile(
    r"\b(?:on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|today|"
    r"overnight|last night|this week|this morning)\b",
    _F,
)


def is_background(text: str, pub: date | None, dates: list[DateHit], counted: bool = False) -> bool:
    """``counted``: the sentence states a toll ("were killed"), so habit words describe the setting."""
    dates = [d for d in dates if not d.reporting]
    day = next((d for d in dates if d.precision == 1), None)
    if pub is not None:
        if day is not None and pub - timedelta(days=RECENT_DAYS) <= day.value <= pub + timedelta(days=2):
            return False
        slack = 30 if dates and dates[0].precision == 3 else 0
        if dates and dates[0].value < pub - timedelta(days=RECENT_DAYS + slack):
            return True
    if pub is not None and any(y < pub.year for y in years_mentioned(text)) and not _CURRENT.search(text):
        return True
    if _PAST_MARKERS.search(text) and not _CURRENT.search(text):
        return True
    return not counted and bool(_HABITUAL.search(text)) and day is None and not _CURRENT.search(text)
