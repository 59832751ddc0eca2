"""Killed, injured and abducted counts in one sentence.

Each count is read with the group it counts ("15 soldiers", "three civilians") so fatalities can
be summed across parties ("killed 15 soldiers and three civilians" = 18) while sub-counts
("including 11 children") are not added twice. "More than N" and vague plurals ("dozens") are
lower bounds: an exact figure elsewhere wins over them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from services.extraction.numbers import NUMBER, is_vague, parse_number
from services.extraction.victims import CIVILIAN_WORDS

Kind = Literal["killed", "injured", "abducted"]
Party = Literal["state", "civilian", "militant", "other"]

_F = re.IGNORECASE
_Q = (
    r"(?:at least|more than|over|nearly|almost|about|around|some|as many as|up to|approximately|roughly|"
    r"close to|an estimated|a total of|upwards of|au moins|plus de|près de|environ|quelque)"
)
_HIGH_SEP = (
    r"(?:\s*,?\s*(?:possibly|perhaps|maybe|or even|if not|and possibly|and perhaps|to|or|-|"
    r"–)\s*(?:as many as\s+)?)"
)
COUNT = rf"(?:between\s+{NUMBER}\s+and\s+{NUMBER}|(?:{_Q}\s+)?{NUMBER}(?:{_HIGH_SEP}{NUMBER}(?![\w-]))?)"
_COUNT_RE = re.compile(COUNT, _F)
_NUM_RE = re.compile(NUMBER, _F)
_Q_RE = re.compile(rf"^(?:between|{_Q})\b", _F)

_VERBS: dict[Kind, str] = {
    "killed": (
        r"killed|dead|died|slain|massacred|executed|murdered|neutrali[sz]ed|perished|lost their lives|"
        r"shot dead|beheaded|assassinated|burnt to death|burned to death|tu[ée]e?s?|morts?|"
        r"assassin[ée]e?s?|"
        r"exécutée?s?|neutralisée?s?"
    ),
    "injured": r"wounded|injured|hurt|bless[ée]e?s?",
    "abducted": r"kidnapped|abducted|taken hostage|taken captive|enlev[ée]e?s?|kidnapp[ée]e?s?|pris en otage",
}
_ACTIVE: dict[Kind, str] = {
    "killed": (
        r"killed|killing|kills|kill|shot dead|gunned down|massacred|massacring|executed|executing|"
        r"neutrali[sz]ed|"
        r"neutrali[sz]ing|"
        r"slaughtered|murdered|claimed the lives of|claiming the lives of|the deaths of|the death of|"
        r"taking the lives of|tuant|ont tué|a tué|ont neutralisé|a neutralisé"
    ),
    "injured": r"wounding|injuring|wounded|injured|blessant|ont blessé",
    "abducted": r"kidnapped|abducted|kidnapping|abducting|enlevant|ont enlevé|took hostage|seized",
}
_RESULT: dict[Kind, str] = {
    "killed": r"dead|killed|morts?|tués|deaths?|fatalities|bodies",
    "injured": r"wounded|injured|blessés|injuries",
    "abducted": r"missing-never",  # "left N missing" is not an abduction
}
_STOP = (
    r"(?:km|kilomet\w*|miles?|years?|hours?|days?|months?|weeks?|minutes?|percent|vehicles?|trucks?|"
    r"motor\w*|bikes?|head|cattle|tons?|tonnes?|times|attacks?|villages?|localities|and|or|were|was|"
    r"had|have|"
    r"has|been|are|in|on|at|during|after|when|while|by|the|who|which|that|than|of|after)\b"
)
_WORD = rf"(?!{_STOP})[\"“”]?[A-Za-zÀ-ÿ'’-]+[\"“”]?"
_AUX = (
    r"(?:(?:were|was|have been|had been|has been|are|is|being|got|reportedly|allegedly|been|also|all|"
    r"later|ont été|a été|sont|were later)\s+)"
)
_CONT = (
    rf"(?:(?:\s*,\s*|\s+)(?:and|as well as|plus|et|,\s*including|"
    rf"including)\s+{COUNT}(?:\s+{_WORD}){{0,3}})"
)

_PASSIVE: dict[Kind, re.Pattern[str]] = {
    k: re.compile(
        rf"\b(?P<c>{COUNT})(?P<n>(?:\s+(?:from\s+|of\s+(?:the\s+)?)?{_WORD}){{0,5}}?)"
        rf"(?:\s*,\s*(?:including|among them|"
        rf"among whom)[^,;]{{1,60}},)?\s+{_AUX}{{0,3}}(?:{v})\b",
        _F,
    )
    for k, v in _VERBS.items()
}
_PASSIVE_PAIR: dict[Kind, re.Pattern[str]] = {  # "2 gendarmes and a civilian were killed"
    k: re.compile(
        rf"\b(?P<c>{COUNT})(?P<n>(?:\s+{_WORD}){{1,3}}?)\s*(?:,|and|as well as)\s+(?P<c2>{COUNT}|"
        rf"an?)"
        rf"(?P<n2>(?:\s+{_WORD}){{1,3}}?)\s+{_AUX}{{0,3}}(?:{v})\b",
        _F,
    )
    for k, v in _VERBS.items()
}
_ACTIVE_RE: dict[Kind, re.Pattern[str]] = {
    k: re.compile(
        rf"\b(?:{v})\s+(?:(?:the|some|"
        rf"a total of)\s+)?(?P<c>{COUNT})(?P<n>(?:\s+(?:of\s+)?{_WORD}){{0,4}})(?P<cont>{_CONT}*)",
        _F,
    )
    for k, v in _ACTIVE.items()
}
_LEFT: dict[Kind, re.Pattern[str]] = {
    k: re.compile(
        rf"\b(?:left|leaving|faisant|causing|"
        rf"with)\s+(?P<c>{COUNT})(?P<n>(?:\s+{_WORD}){{0,3}}?)\s+(?:{v})\b",
        _F,
    )
    for k, v in _RESULT.items()
}
_TOLL = re.compile(
    rf"\b(?:death toll|toll|bilan)\s+(?:(?:has|had|have)\s+)?(?:of|rose to|risen to|climbed to|increased to|"
    rf"jumped to|reached|stands at|now stands at|to|at|de|is|was)\s+(?P<c>{COUNT})",
    _F,
)
_LOSING = re.compile(
    rf"\b(?:losing|lost)\s+(?P<c>{COUNT})(?P<n>(?:\s+{_WORD}){{0,2}}?\s+"
    r"(?:soldiers|troops|men|fighters|members|personnel|lives|of (?:its|their) \w+))",
    _F,
)
# "a civilian was shot dead", "killed a trader": one person, told in the singular
_PERSON = (
    r"(?:civilian|soldier|gendarme|policeman|police officer|officer|guard|guardsman|peacekeeper|trader|"
    r"merchant|shopkeeper|man|woman|child|boy|girl|youth|youngster|herder|herdsman|shepherd|farmer|"
    r"villager|resident|driver|imam|marabout|chief|teacher|student|worker|official|mayor|councillor|"
    r"militant|jihadist|assailant|attacker|fighter|militiaman|hunter|dozo|member|elder|person|individual|"
    r"fulani|peul|dogon|bambara|malinke|tuareg|songhai|bozo|arab|journalist|nurse|doctor|pastor|priest)"
)
_NOT_ONE = r"(?!(?:dozen|few|number|couple|total|series|hundred|thousand|score|handful|group)\b)"
_SINGLE_PASSIVE: dict[Kind, re.Pattern[str]] = {
    k: re.compile(rf"\b(?P<c>an?)\s+{_NOT_ONE}(?P<n>(?:[\w'’-]+\s+){{0,2}}?{_PERSON})\s+{_AUX}{{0,3}}(?:{v})\b", _F)
    for k, v in _VERBS.items()
}
_SINGLE_ACTIVE: dict[Kind, re.Pattern[str]] = {
    k: re.compile(
        rf"\b(?:{v})\s+(?P<c>an?)\s+{_NOT_ONE}(?P<n>(?:[\w'’-]+\s+){{0,2}}?{_PERSON})\b(?P<cont>{_CONT}*)", _F
    )
    for k, v in _ACTIVE.items()
    if k != "abducted"
}
_POSSIBLY = re.compile(
    rf"(?:,\s*|\s+)(?:possibly|perhaps|maybe|or even|if not|and possibly|others say)\s+"
    rf"(?:as many as\s+)?(?P<c>{NUMBER})",
    _F,
)
_INCLUDING = re.compile(r"(?:including|among them|among whom|of whom|dont|parmi eux)\s*$", _F)
_EARLIER = re.compile(
    r"\b(?:earlier (?:said|reported|put)|initially|initial (?:toll|report)|previous toll|"
    r"first reported|had earlier)\b",
    _F,
)
_REVISED = re.compile(
    r"\b(?:(?:toll|number of (?:dead|deaths|victims)) (?:has |had )?(?:rose|risen|"
    r"climbed|increased|"
    r"jumped|reached)|revised (?:the )?(?:death )?toll|new (?:death )?toll|now stands at|"
    r"bilan (?:s'est )?(?:alourdi|passé))\b",
    _F,
)
_ZERO = re.compile(
    r"\b(?:no (?:one|casualties|deaths|fatalities|victims) (?:was|were|have been|has been)? ?"
    r"(?:killed|reported|recorded)|nobody was killed|without (?:causing )?casualties|"
    r"no casualties)\b",
    _F,
)

_PARTY_WORDS: dict[Party, re.Pattern[str]] = {
    "state": re.compile(
        r"\b(?:soldiers?|troops?|servicemen|gendarmes?|police\w*|officers?|peacekeepers?|"
        r"helmets|"
        r"military|army|guards?|personnel|wagner|mercenar\w+|fama|militaires|soldats|"
        r"policiers)\b",
        _F,
    ),
    "militant": re.compile(
        r"\b(?:militants?|jihadis\w*|terrorists?|assailants?|attackers?|insurgents?|"
        r"rebels?|"
        r"fighters?|gunmen|extremists?|islamists?|bandits?|combatants?|assaillants|"
        r"terroristes|"
        r"djihadistes|jihadistes|suspects?|elements?)\b",
        _F,
    ),
    "civilian": re.compile(
        r"\b(?:civilians?|people|villagers?|residents?|children|women|men|traders?|"
        r"worshippers?|"
        r"passengers?|farmers?|herders?|persons?|workers?|students?|teachers?|nationals?|"
        r"civils|personnes|villageois|chiefs?|drivers?|hunters?|fishermen|imams?|"
        r"mayor)\b",
        _F,
    ),
}


@dataclass(frozen=True, slots=True)
class Count:
    kind: Kind
    value: int
    high: int | None
    bound: bool  # "more than", "dozens": a lower bound only
    party: Party
    start: int
    sub: bool  # "including N ..."


@dataclass
class Casualties:
    killed: int | None = None
    killed_high: int | None = None
    killed_bound: bool = False
    injured: int | None = None
    abducted: int | None = None
    earlier: bool = False
    revised: bool = False  # "the toll rose to 25": replaces earlier figures
    parties: set[str] = field(default_factory=set)


def _parse_count(phrase: str) -> tuple[int, int | None, bool] | None:
    nums = [n for n in (parse_number(m.group()) for m in _NUM_RE.finditer(phrase)) if n is not None]
    if not nums:
        return None
    q = _Q_RE.match(phrase)
    qw = q.group().lower() if q else ""
    bound = qw in ("more than", "over", "upwards of", "plus de") or is_vague(_NUM_RE.findall(phrase)[0])
    high = nums[1] if len(nums) > 1 and nums[1] > nums[0] else None
    if qw == "up to" and high is None:
        return nums[0], nums[0], True
    return nums[0], high, bound


def _party(noun: str) -> Party:
    for p, rx in _PARTY_WORDS.items():
        if rx.search(noun):
            return p
    return "civilian" if CIVILIAN_WORDS.search(noun) else "other"


_ANY = re.compile(
    r"kill|dead|die|death|slain|massacr|execut|murder|neutrali|perish|lives|behead|assassin|"
    r"wound|"
    r"injur|hurt|kidnap|abduct|hostage|captive|toll|bilan|tu[ée]|mort|bless|enlev|otage|"
    r"losing|lost|"
    r"bodies|fatalit|casualt",
    _F,
)
_KIND_HINT: dict[Kind, re.Pattern[str]] = {
    "killed": re.compile(
        r"kill|dead|die|death|slain|massacr|execut|exécut|murder|neutrali|perish|lives|"
        r"behead|"
        r"assassin|shot|gunned|burn|tu[ée]|mort|fatalit|bodies|toll|bilan|losing|lost",
        _F,
    ),
    "injured": re.compile(r"wound|injur|hurt|bless", _F),
    "abducted": re.compile(r"kidnap|abduct|hostage|captive|enlev|otage|seized", _F),
}
_HAS_NUMBER = re.compile(rf"\d|\b(?:{NUMBER})\b|\ban?\b", _F)


def find_counts(text: str) -> list[Count]:
    found: dict[int, Count] = {}
    if _ANY.search(text) is None:
        return []

    def add(kind: Kind, m: re.Match[str], group: str = "c", noun: str = "") -> None:
        s = m.start(group)
        if s in found:
            return
        parsed = _parse_count(m.group(group))
        if parsed is None:
            return
        value, high, bound = parsed
        if 1900 <= value <= 2100 and not noun.strip():
            return
        sub = _INCLUDING.search(text, max(0, s - 20), s) is not None
        found[s] = Count(kind, value, high, bound, _party(noun), s, sub)

    def add_more(kind: Kind, m: re.Match[str]) -> None:
        """The counts listed after the first: "killed 15 soldiers and three civilians"."""
        cont = m["cont"] or ""
        for c in _COUNT_RE.finditer(cont):
            off = m.start("cont") + c.start()
            parsed = _parse_count(c.group())
            if off in found or parsed is None:
                continue
            sub = _INCLUDING.search(text, max(0, off - 20), off) is not None
            found[off] = Count(kind, *parsed, _party(cont[c.end() : c.end() + 40]), off, sub)

    for kind in ("killed", "injured", "abducted"):
        if _KIND_HINT[kind].search(text) is None:
            continue
        for m in _ACTIVE_RE[kind].finditer(text):
            add(kind, m, noun=m["n"])
            add_more(kind, m)
        for m in _PASSIVE_PAIR[kind].finditer(text):
            add(kind, m, noun=m["n"])
            if m.start("c2") not in found:
                c2 = m["c2"].lower()
                v2 = 1 if c2 in ("a", "an") else parse_number(c2)
                if v2 is not None:
                    found[m.start("c2")] = Count(kind, v2, None, False, _party(m["n2"]), m.start("c2"), False)
        for m in _PASSIVE[kind].finditer(text):
            add(kind, m, noun=m["n"])
        for m in _LEFT[kind].finditer(text):
            add(kind, m, noun=m["n"])
        for m in [
            *_SINGLE_PASSIVE[kind].finditer(text),
            *(_SINGLE_ACTIVE[kind].finditer(text) if kind in _SINGLE_ACTIVE else ()),
        ]:
            at = m.start("c")
            if not any(abs(c.start - at) < 3 for c in found.values()):  # "a dozen" was read already
                sub = _INCLUDING.search(text, max(0, at - 20), at) is not None
                found[at] = Count(kind, 1, None, False, _party(m["n"]), at, sub)
                if "cont" in m.groupdict():
                    add_more(kind, m)  # "killed a trader and two soldiers"
    for m in _TOLL.finditer(text):
        add("killed", m)
    for m in _LOSING.finditer(text):
        add("killed", m, noun=m["n"])
    return sorted(found.values(), key=lambda c: c.start)


def sentence_casualties(text: str) -> Casualties:
    """Totals for one sentence: counts of one kind summed across parties, sub-counts dropped."""
    out = Casualties(earlier=_EARLIER.search(text) is not None, revised=_REVISED.search(text) is not None)
    counts = find_counts(text)
    for kind in ("killed", "injured", "abducted"):
        cs = [c for c in counts if c.kind == kind]
        mains = [c for c in cs if not c.sub]
        if any(c.sub for c in cs):
            if any(not c.bound for c in mains):
                cs = mains
            else:  # "hundreds of soldiers, including 27 during the attack on X": the sub-count is the news
                cs = [c for c in cs if c.sub] + [c for c in mains if not c.bound]
        if any(not c.bound for c in cs):  # "killed 15 troops, leaving scores of militants dead": 15
            cs = [c for c in cs if not c.bound]
        if not cs:
            continue
        total = sum(c.value for c in cs)
        if kind == "killed":
            out.killed = total
            highs = [c.high for c in cs if c.high is not None]
            if highs:
                out.killed_high = total - sum(c.value for c in cs if c.high is not None) + sum(highs)
            if out.killed_high is None:
                for m in _POSSIBLY.finditer(text):
                    hi = parse_number(m["c"])
                    if hi is not None and hi > total:
                        out.killed_high = hi
            out.killed_bound = all(c.bound for c in cs)
            out.parties = {c.party for c in cs}
        elif kind == "injured":
            out.injured = total
        else:
            out.abducted = total
    if out.killed is None and _ZERO.search(text):
        out.killed = 0
    return out
