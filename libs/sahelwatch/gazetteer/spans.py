"""Find known place names in a text: capitalised token n-grams (1-4 words) against the name index.

Only capitalised words start or end a span (lowercase links such as "de" or the "n" of
"Ti-n-Zaouâtene" may stand inside). Common words that are also place names somewhere are
stoplisted, and a one-word span at the start of a sentence must name a settlement, an admin
unit or a country ("Gold", "Nord" as the first word of a sentence are not places).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sahelwatch.gazetteer.names import normalize
from sahelwatch.places import PlaceKind, PlaceSpan

MAX_WORDS = 4
_TOKEN = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r" ?[-‐‑'’] ?| ")
_OPENERS = frozenset(" \t\"'“”«»([‘’")
_ENDERS = frozenset(".!?:;\n•|")
_REGION_AFTER = re.compile(r"^\s*(?:region|région)\b", re.IGNORECASE)
_REGION_BEFORE = re.compile(r"\b(?:region|région)\s+(?:of|de|du|d['’])\s*$", re.IGNORECASE)
_WATER_AFTER = re.compile(r"^\s*(?:river|lake|valley|forest|wadi)\b", re.IGNORECASE)
_WATER_BEFORE = re.compile(
    r"\b(?:fleuve|lac|rivière|vallée|forêt|oued)\s+(?:du |de la |de |d['’])?$", re.IGNORECASE
)
_CERCLE_NEAR = re.compile(r"^\s*(?:cercle|circle|district)\b", re.IGNORECASE)
_CERCLE_BEFORE = re.compile(r"\b(?:cercle|circle)\s+(?:of|de|du|d['’])\s*$", re.IGNORECASE)

_STOPWORDS = """
    a an and or but the in on at of to for from by with as is are was were be been it he she they we i you
    his her their its this that these those there here when where what who which while after before since
    during until about over under between among against near into across per via not no yes all any each
    north south east west northern southern eastern western central centre center upper lower
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr president minister general colonel captain
    army police government state states islamic al el french english arabic un afp reuters ap rfi bbc
    ocha who unicef jnim isgs gsim fama famas minusma wagner ecowas cedeao eu usa new old great big little
    according said says security forces soldiers people village villages town city region district camp
    base military attack attacks killed gunmen jihadists militants group groups local national world
    le la les l un une des du de d au aux et ou en dans sur sous par pour avec selon lundi mardi mercredi
    jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre nord sud est ouest il elle ils elles on ce cette ces mais donc car ni que qui dont ou
    plus moins tres tous tout toute toutes armee etat gouvernement bien bon grand petit mort morts
    image photo video source sources read more share news press human rights watch amnesty international
"""
STOPWORDS = frozenset(_STOPWORDS.split())


class SpanFinder:
    """Greedy left-to-right longest match of capitalised n-grams; kinds memoised per key."""

    def __init__(self, kind_of: Callable[[str, bool], PlaceKind | None]) -> None:
        self._kind_of = kind_of
        self._memo: dict[tuple[str, bool], PlaceKind | None] = {}

    def kind(self, key: str, sentence_initial: bool) -> PlaceKind | None:
        memo_key = (key, sentence_initial)
        if memo_key not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[memo_key] = None if key in STOPWORDS else self._kind_of(key, sentence_initial)
        return self._memo[memo_key]

    def find(self, text: str) -> list[PlaceSpan]:
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        spans: list[PlaceSpan] = []
        i, count = 0, len(tokens)
        while i < count:
            start, _, word = tokens[i]
            if not word[0].isupper() or (word.isupper() and len(word) <= 2):
                i += 1
                continue
            sentence_initial = _sentence_initial(text, start)
            match = self._longest(text, tokens, i, sentence_initial)
            if match is None:
                i += 1
                continue
            j, kind = match
            end = tokens[j][1]
            kind = _kind_from_context(text, start, end, kind)
            spans.append(PlaceSpan(start=start, end=end, name=text[start:end], kind=kind))
            i = j + 1
        return spans

    def _longest(
        self, text: str, tokens: list[tuple[int, int, str]], i: int, sentence_initial: bool
    ) -> tuple[int, PlaceKind] | None:
        words = [normalize(tokens[i][2])]
        last_ok = i
        for j in range(i + 1, min(i + MAX_WORDS, len(tokens))):
            gap = text[tokens[j - 1][1] : tokens[j][0]]
            if not _GAP.fullmatch(gap):
                break
            words.append(normalize(tokens[j][2]))
            last_ok = j
        for j in range(last_ok, i - 1, -1):
            word = tokens[j][2]
            if not word[0].isupper():
                continue
            if any(not t[2][0].isupper() and len(t[2]) > 3 for t in tokens[i + 1 : j]):
                continue
            n = j - i + 1
            key = " ".join(words[:n])
            kind = self.kind(key, sentence_initial and n == 1)
            if kind is not None:
                return j, kind
        return None


def _sentence_initial(text: str, start: int) -> bool:
    k = start - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in _ENDERS


def _kind_from_context(text: str, start: int, end: int, kind: PlaceKind) -> PlaceKind:
    """'the Mopti region' / 'région de Mopti' -> admin1; 'cercle de Kati' -> admin2; 'Bani river' -> other."""
    if kind == "country":
        return kind
    after = text[end : end + 12]
    before = text[max(0, start - 16) : start]
    if _WATER_AFTER.match(after) or _WATER_BEFORE.search(before):
        return "other"
    if _REGION_AFTER.match(after) or _REGION_BEFORE.search(before):
        return "admin1"
    if _CERCLE_NEAR.match(after) or _CERCLE_BEFORE.search(before):
        return "admin2"
    return kind
