"""Who was hit: the words next to the violence verb decide Armed clash vs attack on civilians.

"Gunmen killed a shopkeeper" is Violence against civilians; "gunmen shot dead a police officer"
is an Armed clash (ACLED codes violence against armed actors as battles).
"""

from __future__ import annotations

import re
from typing import Literal

_F = re.IGNORECASE
Side = Literal["civilian", "armed"]

_ACTIVE = re.compile(
    r"\b(?:killed|killing|kills|executed|executing|assassinated|assassinating|shot dead|shot|shooting|"
    r"gunned down|"
    r"beheaded|attacked|attacking|attacks?|targeted|targeting|ambushed|abducted|kidnapped|murdered|"
    r"opened fire "
    r"(?:on|against)|fired (?:on|at)|assaulted|raided|struck|massacred|tortured|beat|beaten)\s+"
    r"(?P<w>(?:[\w'’/-]+\s+){0,5}[\w'’/-]+)",
    _F,
)
_KILL = re.compile(
    r"\b(?:killed|killing|executed|executing|assassinated|shot dead|gunned down|beheaded|murdered|abducted|"
    r"kidnapped)\s+(?!by\b)(?P<w>(?:[\w'’/-]+\s+){0,5}[\w'’/-]+)",
    _F,
)
_PASSIVE = re.compile(
    r"(?P<w>(?:[\w'’/-]+\s+){0,5}[\w'’/-]+)\s+(?:was|were|have been|has been|had been|are|is)\s+(?:\w+\s+)?"
    r"(?:killed|executed|assassinated|shot|attacked|ambushed|abducted|kidnapped|targeted|wounded|injured|"
    r"found dead|beheaded|murdered)",
    _F,
)
_CIVILIAN = re.compile(
    r"\b(?:civilians?|villagers?|residents?|villages?|hamlets?|market\w*|mosque|church|worshippers?|traders?|"
    r"farmers?|herders?|herdsm[ae]n|pastoralists?|shepherds?|passengers?|women|woman|children|child|boys?|"
    r"girls?|"
    r"families|family|wedding|displaced|teachers?|school|civils|villageois|chiefs?|notables?|imams?|"
    r"marabouts?|mayors?|councill?ors?|officials?|journalists?|shopkeepers?|merchants?|drivers?|workers?|"
    r"nationals|individuals?|youths?|young|men|man|people|persons?|population|community|fulanis?|peuhls?|"
    r"dogons?|bambaras?|malinkes?|soninkes?|mossis?|dawsahak|daoussahak|imghad|tuaregs?|songhai|bozos?|nun|priests?|doctors?|nurses?|"
    r"students?|pupils?|elders?|elderly|pharmacy|ngo|icrc|aid|humanitarian\w*)\b",
    _F,
)
_ARMED = re.compile(
    r"\b(?:soldiers?|troops?|army|military|posts?|base|garrison|convoys?|patrols?|checkpo\w+|"
    r"gendarmes?|"
    r"gendarmerie|police\w*|officers?|peacekeepers?|helmets|barracks|fama|forces|militaires|soldats|wagner|"
    r"mercenar\w+|positions?|militants?|jihadis\w*|terrorists?|rebels?|fighters|insurgents?|combatants?|"
    r"guards?|guardsm[ae]n|militia\w*|dozos?|elements|commanders?|gatia|msa|cma|"
    r"members of(?! (?:the )?(?:[\w-]+ ){0,2}(?:community|communities|famil(?:y|ies)|ethnic|tribe|clan|village))|"
    r"hcua|platform|vehicles? of the|army vehicles?|brother in arms)\b",
    _F,
)


_NO_OBJECT = re.compile(r"(?:on|in|at|near|during|while|after|before|when|outside|inside)\b", _F)

CIVILIAN_WORDS = _CIVILIAN


def victim_side(text: str) -> Side | None:
    """'armed' or 'civilian' from the first violence verb's object (or passive subject); None if unclear."""
    found: list[tuple[int, str]] = []
    kill = _KILL.search(text)
    if kill is not None and not _NO_OBJECT.match(kill["w"]):  # "... and killed a militia member" decides
        found.append((-1, _with_tail(text, kill.end("w"), kill["w"])))
    for m in _ACTIVE.finditer(text):
        if m["w"].lower().startswith("by "):  # "beheaded by militants": the victim stands before the verb
            found.append((m.start(), " ".join(text[: m.start()].split()[-6:])))
        elif not _NO_OBJECT.match(m["w"]):  # "shot dead on his farm by militants": no object here
            found.append((m.start(), _with_tail(text, m.end("w"), m["w"])))
        break
    for m in _PASSIVE.finditer(text):
        found.append((m.start("w"), m["w"]))
        break
    for _, words in sorted(found):
        armed = _ARMED.search(words)
        civ = _CIVILIAN.search(words)
        if armed and (not civ or armed.start() <= civ.start()):
            return "armed"
        if civ:
            return "civilian"
    return None


def _with_tail(text: str, end: int, words: str) -> str:
    """The object's words, plus what completes a cut-off "members of" ("... of the Dawsahak community")."""
    if re.search(r"\bof$", words, _F) is None:
        return words
    tail = re.match(r"\s+(?:[\w'’/-]+\s+){0,3}[\w'’/-]+", text[end:])
    return words + tail.group() if tail else words
