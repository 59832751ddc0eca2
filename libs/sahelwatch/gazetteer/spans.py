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
_HYPHENS = frozenset({"-", "‐", "‑"})
_OPENERS = frozenset(" \t\"'“”«»([‘’")
_ENDERS = frozenset(".!?:;\n•|")
_REGION_AFTER = re.compile(r"^\s*(?:region|région)\b", re.IGNORECASE)
_REGION_BEFORE = re.compile(r"\b(?:region|région)\s+(?:of|de|du|d['’])\s*$", re.IGNORECASE)
_WATER_AFTER = re.compile(r"^\s*(?:river|lake|valley|forest|wadi)\b", re.IGNORECASE)
_WATER_BEFORE = re.compile(r"\b(?:fleuve|lac|rivière|vallée|forêt|oued)\s+(?:du |de la |de |d['’])?$", re.IGNORECASE)
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
    some many most other others such also then only even still just because however meanwhile although
    both few several every another since thus yet later earlier today yesterday tomorrow last next first
    dogon dogons bambara bambaras peul peuls peulh fulani fulanis fula fulbe bozo bozos tuareg tuaregs
    touareg touaregs tamasheq tamashek arab arabs arabe arabes songhai songhay sonrai sonrhai dozo dozos
    donso mossi malinke soninke sarakole bella daoussahak dawsahak imghad ifoghas kel tin ti
"""
# Capitalised words that may stand before a place name without making it a person's name.
_GEO_WORDS = """
    region cercle circle province district department departement commune prefecture river lake airport
    camp road axis area valley forest town city village villages market mine mines base border zone
    north south east west on in at and or road route national
"""
STOPWORDS = frozenset(_STOPWORDS.split())
GEO_WORDS = frozenset(_GEO_WORDS.split())


class SpanFinder:
    """Greedy left-to-right longest match of capitalised n-grams; kinds memoised per key."""

    def __init__(
        self, kind_of: Callable[[str, bool], PlaceKind | None], major: Callable[[str], bool] | None = None
    ) -> None:
        self._kind_of = kind_of
        self._major = major
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

        def glued(a: int, b: int) -> bool:  # "Tin-Hamma": one name written with a hyphen
            return text[tokens[a][1] : tokens[b][0]] in _HYPHENS and tokens[b][2][0].isupper()

        while i < count:
            start, _, word = tokens[i]
            if not word[0].isupper():
                i += 1
                continue
            if i > 0 and glued(i - 1, i) and not (spans and spans[-1].end == tokens[i - 1][1]):
                i += 1  # the tail of a hyphenated name the gazetteer does not know
                continue
            sentence_initial = _sentence_initial(text, start)
            match = self._longest(text, tokens, i, sentence_initial)
            if match is None:
                i += 1
                continue
            j, kind = match
            if i == j and len(word) <= 2:  # "Am", "GA": too short to be a place name on its own
                i += 1
                continue
            if j + 1 < count and glued(j, j + 1) and self._longest(text, tokens, j + 1, False) is None:
                i = j + 1  # the head of an unknown hyphenated name: "Tin" of "Tin-Hamma" is not a place
                continue
            if kind != "country" and (
                self._in_person_name(text, tokens, i, spans) or self._head_of_unknown(text, tokens, i, j)
            ):
                i = j + 1
                continue
            end = tokens[j][1]
            kind = _kind_from_context(text, start, end, kind)
            spans.append(PlaceSpan(start=start, end=end, name=text[start:end], kind=kind))
            i = j + 1
        return spans

    def _in_person_name(self, text: str, tokens: list[tuple[int, int, str]], i: int, spans: list[PlaceSpan]) -> bool:
        """'Moussa Traoré', 'Katiba Macina': right after a capitalised word that is not a place,
        not a geographic word and not the first word of a sentence, a name is a surname."""
        if i == 0 or text[tokens[i - 1][1] : tokens[i][0]] != " ":
            return False
        prev_start, prev_end, prev = tokens[i - 1]
        key = normalize(prev)
        return (
            prev[0].isupper()
            and key not in STOPWORDS
            and key not in GEO_WORDS
            and not (spans and spans[-1].end == prev_end)
            and not _sentence_initial(text, prev_start)
        )

    def _head_of_unknown(self, text: str, tokens: list[tuple[int, int, str]], i: int, j: int) -> bool:
        """'Tin Korazeyna', 'Dana Amassagou': one word, then a capitalised word the gazetteer does
        not know: the first part of an unknown name (acronyms after it do not count) -- unless the
        word is an administrative seat or a sizeable town."""
        if i != j or j + 1 >= len(tokens) or text[tokens[j][1] : tokens[j + 1][0]] != " ":
            return False
        if self._major is not None and self._major(normalize(tokens[j][2])):
            return False  # a town that matters, then a quarter: "Kati Koko-Plateau", "Gao Château"
        following = tokens[j + 1][2]
        key = normalize(following)
        return (
            following[0].isupper()
            and not following.isupper()
            and key not in STOPWORDS
            and key not in GEO_WORDS
            and self.kind(key, False) is None
        )

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
