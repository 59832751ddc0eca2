"""A tiny PlaceIndex for the grammar tests: finds a given list of names, longest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from sahelwatch.contracts import Article
from sahelwatch.places import PlaceKind, PlaceSpan
from services.extraction.actors import ActorDictionary

NAMES: dict[str, PlaceKind] = {
    "Gao": "settlement",
    "Bamako": "settlement",
    "Kati": "settlement",
    "Timbuktu": "settlement",
    "Mopti": "settlement",
    "Douentza": "settlement",
    "Boni": "settlement",
    "Menaka": "settlement",
    "Niono": "settlement",
    "Hombori": "settlement",
    "Diafarabe": "settlement",
    "Tessalit": "settlement",
    "Sevare": "settlement",
    "Segou": "settlement",
    "Kidal": "settlement",
    "Ansongo": "settlement",
    "Mali": "country",
    "Niger": "country",
    "Burkina Faso": "country",
    "Algeria": "country",
    "Tillaberi": "admin1",
    "Koulikoro": "admin1",
}


class ListIndex:
    def __init__(self, names: dict[str, PlaceKind]) -> None:
        alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._rx = re.compile(rf"\b(?:{alts})\b")
        self._names = names

    def find_spans(self, text: str) -> list[PlaceSpan]:
        return [PlaceSpan(m.start(), m.end(), m.group(), self._names[m.group()]) for m in self._rx.finditer(text)]


@pytest.fixture(scope="session")
def index() -> ListIndex:
    return ListIndex(NAMES)


@pytest.fixture(scope="session")
def actors() -> ActorDictionary:
    return ActorDictionary.load()


def make_article(text: str, published: str | None = "2024-03-15", article_id: str = "a1") -> Article:
    pub = datetime.fromisoformat(published).replace(tzinfo=UTC) if published else None
    return Article(
        trace_id="t-1",
        article_id=article_id,
        url="https://example.org/x",
        source="example",
        published_at=pub,
        text=text,
        path=f"/tmp/{article_id}.txt",
        content_hash="h",
    )
