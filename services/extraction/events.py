"""Event detection and ACLED classification of one sentence, by ordered trigger rules.

Each rule is (sub-event type, trigger regex, strength). Specific weapons beat generic violence
("a vehicle-borne suicide attack" is a Suicide bomb, not an Armed clash); strategic verbs that
neutralise a weapon beat the weapon ("defused an IED" is Disrupted weapons use). Generic words
("attack", "killed") are resolved by who the victims are: soldiers/posts make an Armed clash,
villagers make Violence against civilians / Attack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sahelwatch.contracts import SUB_EVENT_TYPES, EventType
from services.extraction.lowered import lowered, on_lowered
from services.extraction.victims import victim_side

_F = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class EventHit:
    sub_event_type: str
    event_type: EventType
    trigger: str
    start: int
    strength: float  # 1.0 unambiguous, lower for generic words


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b", _F)


# (sub-event type, trigger, strength); order is priority when several fire in one sentence
_RULES: list[tuple[str, re.Pattern[str], float]] = [
    (
        "Disrupted weapons use",
        _rx(
            r"(?:defused|defusing|dismantled|deactivated|neutrali[sz]ed|destroyed|found|discovered|"
            r"seized)\s+(?!by\b)(?:\w+\s+){0,3}"
            r"(?:ieds?|improvised explosive devices?|explosive devices?|mines?|landmines?|bombs?|explosives?|"
            r"grenades?|weapons caches?|arms caches?|caches?|ied[- ]making|ied[- ]manufactur\w*)|"
            r"defused|(?:ieds?|mines?|bombs?|devices?|grenades?|explosives?) (?:was|were) (?:\w+ )?"
            r"(?:discovered|found|spotted|detected) and (?:\w+ )?(?:defused|destroyed|neutrali[sz]ed|"
            r"dismantled)|(?:thwarted|foiled|prevented|averted|repelled|failed)\s+(?:\w+\s+){0,3}(?:car bomb|"
            r"bomb|suicide|"
            r"kamikaze)[\w -]*|(?:car bomb|bomb|suicide|kamikaze)[\w -]{0,20}(?:was|were) (?:thwarted|foiled|"
            r"defused|prevented)|"
            r"désamorcé\w*|déjoué\w*|attentat déjoué"
        ),
        1.0,
    ),
    (
        "Suicide bomb",
        _rx(
            r"suicide[- ](?:bomb\w*|attack\w*|car|vehicle|truck|motorbike|vest)|suicide bomber|kamikaze\w*|"
            r"vbieds?|"
            r"vehicle[- ]borne|(?:car|vehicle|truck)[- ]bombs?|car[- ]bombing|booby[- ]trapped (?:car|vehicle|"
            r"truck)|attentat[- ]suicide|"
            r"véhicule piégé"
        ),
        1.0,
    ),
    (
        "Air/drone strike",
        _rx(
            r"(?:killed|hit|struck|targeted|bombed) by (?:\w+ )?(?:drones?|aircraft|helicopters?|jets?|"
            r"warplanes?)|"
            r"drone strikes?|drone attacks?|air ?strikes?|aerial (?:strikes?|bombardment|bombing|attack)|"
            r"air raids?|"
            r"(?:helicopter|aircraft|jets?|drones?|planes?) (?:\w+ )?(?:struck|fired|bombed|strafed|targeted|"
            r"attacked)|"
            r"bombed by|frappes? (?:aérienne|de drone)s?|(?:the|a) strikes? (?:on|killed|hit|targeted)"
        ),
        1.0,
    ),
    (
        "Remote explosive/landmine/IED",
        _rx(
            r"ieds?(?![- ](?:making|manufactur\w*|material\w*|components?|factory|workshop))|"
            r"improvised explosive|roadside bombs?|landmines?|land mines?|"
            r"(?:on|by|over) (?:a|an) (?:\w+ )?mine(?! (?:site|workers?|owners?))|mine blast|(?:hit|struck|ran over|"
            r"triggered|detonated) "
            r"(?:a|an)\s+(?:\w+\s+){0,2}(?:mine|explosive|bomb)|mine explosion|explosive devices?|(?:vehicle|"
            r"truck|bus|car) "
            r"(?:hit|struck|ran over) (?:a|an) |exploded|explosions?|detonations?|blasts?|engins? explosifs?|"
            r"mines? artisanales?|"
            r"a sauté sur"
        ),
        0.95,
    ),
    ("Grenade", _rx(r"grenades?"), 0.95),
    (
        "Shelling/artillery/missile attack",
        _rx(r"shell(?:ing|ed|s)|mortars?|rockets?|artillery|missiles?|obus|tirs? de mortiers?|roquettes?"),
        0.9,
    ),
    (
        "Abduction/forced disappearance",
        _rx(
            r"kidnapp\w*|abduct\w*|taken hostage|took (?:\w+ ){0,3}hostage|hostage[- ]taking|"
            r"forced disappearance|"
            r"enlev\w+|enlèvement|rapt|pris en otage"
        ),
        0.95,
    ),
    ("Sexual violence", _rx(r"raped|rapes?|sexual violence|sexual assault|viols?|violées?"), 0.9),
    (
        "Arrests",
        _rx(
            r"arrested|arrests?|detained|apprehended|rounded up|taken into custody|interpell\w+|arrêtée?s?|"
            r"arrestations?"
        ),
        0.85,
    ),
    (
        "Government regains territory",
        _rx(
            r"(?:army|troops|forces|soldiers|fama|military)\s+(?:\w+\s+){0,3}(?:retook|recaptured|"
            r"regained control|"
            r"took back|reclaimed|liberated)|reprise? (?:le contrôle|de)"
        ),
        0.9,
    ),
    (
        "Non-state actor overtakes territory",
        _rx(
            r"(?:militants?|jihadists?|rebels?|insurgents?|fighters|jnim|cma|fla|csp\w*|islamists?|"
            r"armed groups?)\s+"
            r"(?:\w+\s+){0,3}(?:seized|captured|took control|overran|taken control|"
            r"took over)\s+(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+)?"
            r"(?:town|city|village|camp|base|locality|control|(?-i:[A-Z])\w+)"
        ),
        0.9,
    ),
    (
        "Non-violent transfer of territory",
        _rx(
            r"(?:took|taken|taking|takes) possession of|handed over|handover|withdr[ae]w\w* from|(?:its|"
            r"their) withdrawal from|"
            r"departure from|"
            r"left (?:the|its) (?:camp|base)|retrocession|rétrocession|leaves base"
        ),
        0.7,
    ),
    (
        "Headquarters or base established",
        _rx(
            r"(?:set up|established|opened|installed) (?:a |its |"
            r"their )?(?:new )?(?:base|camp|headquarters|outpost)"
        ),
        0.8,
    ),
    (
        "Agreement",
        _rx(
            r"(?:signed|reached|concluded|agreed (?:on|to)) (?:a |an |the )?(?:\w+ )?(?:agreement|accord|deal|"
            r"ceasefire|"
            r"cease-fire|truce)|intercommunal dialogue|reconciliation (?:meeting|forum)"
        ),
        0.6,
    ),
    ("Other", _rx(r"threatened|intimidat\w+|menac[ée]\w*"), 0.5),
    (
        "Change to group/activity",
        _rx(
            r"(?:founded|formed|created|launched) (?:a |an )?(?:new )?(?:[\w-]+ ){0,4}(?:group|militia|movement|"
            r"coalition|alliance)|(?:was|were|ha(?:ve|s|d) been) (?:\w+ ){0,3}(?:founded|formed|created)|"
            r"closed down schools|"
            r"blockades?|blocus|imposed (?:a )?(?:curfew|blockade)|"
            r"declared a blockade"
        ),
        0.6,
    ),
    (
        "Looting/property destruction",
        _rx(
            r"loot\w*|pillag\w*|plunder\w*|torched|set (?:on )?fire|set ablaze|burn(?:ed|t|ing)(?! to death|"
            r" alive)|"
            r"destroyed|ransacked|stole|stolen|rustl\w+|made off with|incendi\w+|saccag\w+|robb(?:ed|ery|ing)|"
            r"extort\w*|stripped|seized (?:\w+ ){0,3}(?:vehicles?|cars?|trucks?|motorbikes?|motorcycles?|"
            r"belongings|livestock|cattle|ambulance|pick-?ups?|goods|money|phones?)"
        ),
        0.6,
    ),
    (
        "Excessive force against protesters",
        _rx(
            r"(?:fired|opened fire) on (?:the )?(?:protesters|demonstrators|crowd)|"
            r"(?:protesters|demonstrators) (?:were )?(?:shot|killed)"
        ),
        0.95,
    ),
    ("Protest with intervention", _rx(r"(?:dispersed|tear gas|teargas|baton)\w*"), 0.5),
    (
        "Violent demonstration",
        _rx(
            r"riot\w*|violent (?:demonstrat|protest)\w*|emeutes?|émeutes?|burn(?:ed|t|ing) (?:\w+ )?(?:tires|tyres)|"
            r"(?:set up|erected|built) (?:\w+ )?barricades|threw stones|stone[- ]throwing|pneus brûlés"
        ),
        0.85,
    ),
    (
        "Mob violence",
        _rx(
            r"mob|lynch\w*|vigilante justice|(?:youths?|residents|locals|villagers|inhabitants|population|crowds?)"
            r"(?: \w+){0,4} (?:captured|apprehended|caught|seized|overpowered|chased|repulsed|repelled|"
            r"fought off) (?:\w+ ){0,3}(?:bandits?|thie(?:f|ves)|robbers?|burglars?)"
        ),
        0.8,
    ),
    (
        "Peaceful protest",
        _rx(
            r"protest(?:s|ers?|ed|ing)?|demonstrat(?:ors?|ions?|ed)|marched|rall(?:y|ied)|"
            r"sit-in|(?:peaceful|protest|silent) march(?:es)?|(?:held|staged|organi[sz]ed|led) (?:a |an )?"
            r"(?:\w+ ){0,2}(?:march|rally|strike)|(?:went|took) to the streets?|"
            r"(?:encircled|surrounded|occupied|blocked (?:access to|the entrance of)) (?:\w+ ){0,5}"
            r"(?:governorate|town hall|city hall|prefecture|mayor's office|ministry|courthouse|parliament)|"
            r"manifestants?|manifestations?|marche"
        ),
        0.7,
    ),
    (
        "Armed clash",
        _rx(
            r"clash\w*|fighting|fought|ambush\w*|gunfights?|firefights?|exchanges? of fire|exchanged fire|"
            r"battles?|skirmish\w*|repelled|repulsed|came under fire|harassing fire|"
            r"affrontements?|accrochages?|embuscades?|combats?|stormed|overran|returned fire|retaliated|"
            r"fought back|riposted|(?:inter)?communal (?:clashes|fighting)|"
            r"(?:military|security|army|joint|ground|counter-?\w+|combing|clearing|sweep) operations? "
            r"(?:\w+ ){0,2}(?:against|targeting|on)"
        ),
        0.8,
    ),
    (
        "Attack",
        _rx(
            r"massacr\w*|executed|executions?|summarily|slaughter\w*|assassinat\w*|shot dead|gunned down|"
            r"murder\w*|beheaded|exécut(?:é|ée|és|ées|ion|ions)|tués? par balles?|tortur\w*|beaten|mistreat\w*|"
            r"ill-treat\w*|"
            r"mutilat\w*|flogged|whipped|abused|stabb(?:ed|ing)|stab wounds?|"
            r"(?:mass |communal |common )?graves? (?:\w+ ){0,2}(?:were|was|have been|has been) (?:\w+ )?"
            r"(?:uncovered|discovered|found|unearthed)|(?:uncovered|discovered|found|unearthed) (?:\w+ ){0,3}"
            r"(?:mass |communal |common )graves?|(?:bodies|corpses) (?:\w+ ){0,4}(?:were|was) (?:\w+ )?"
            r"(?:found|discovered|recovered)|found dead"
        ),
        0.85,
    ),
    (
        "*attack",
        _rx(
            r"attack(?:s|ed|ers)?|assault\w*|incursion|raid(?:s|ed)?|offensive|struck|strikes?|killed|killing|"
            r"kills|"
            r"dead|died|deaths?|attaqu\w*|attentats?|tué\w*|neutrali[sz]ed|targeted|wounded|injured|"
            r"opened fire|fired (?:on|at)|shot|gunfire|gunshots?"
        ),
        0.5,
    ),
]

_CIVILIAN_TARGET = re.compile(
    r"\b(?:civilians?|villagers?|residents?|villages?|hamlets?|market|mosque|church|worshippers?|traders?|"
    r"farmers?|herders?|passengers?|women|children|families|wedding|displaced|teachers?|school|civils|"
    r"villageois|"
    r"chiefs?|"
    r"pharmacy|population|people|activists?|journalists?|protesters|demonstrators|students)\b",
    _F,
)
_MILITARY_TARGET = re.compile(
    r"\b(?:soldiers?|troops?|army|military|post|base|camp|garrison|convoy|patrol|checkpoint|gendarmes?|"
    r"gendarmerie|"
    r"police|peacekeepers?|helmets|barracks|fama|forces|militaires|soldats|wagner|mercenar\w+|positions?|"
    r"militants?|jihadis\w*|terrorists?|rebels?|fighters|insurgents?|assailants|attackers)\b",
    _F,
)
_ARMED_PERPETRATOR = re.compile(
    r"\b(?:gunmen|armed men|militants?|jihadis\w*|terrorists?|assailants|attackers|extremists?|islamists?|"
    r"bandits?|"
    r"insurgents?|militias?|dozos?|hunters|soldiers|troops|army|forces|fighters|jnim|gsim|isgs|mercenar\w+|"
    r"wagner)\b",
    _F,
)


# "no reports of clashes", "without fighting": the word names what did not happen
_NEGATED = re.compile(r"\b(?:no|without|nor|sans|aucun\w*)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

_ANY_TRIGGER = re.compile(
    r"\b(?:kill|attack|land|counter|dead|die|death|clash|fight|fought|ambush|bomb|explo|mine|ied|drone|"
    r"strike|struck|shell|"
    r"mortar|"
    r"rocket|missile|artillery|grenade|kidnap|abduct|hostage|arrest|detain|apprehend|custody|loot|pillag|"
    r"burn|"
    r"torch|fire|ablaze|seiz|took|protest|demonstr|march|rall|riot|mob|lynch|massacr|execut|assassin|shot|"
    r"gun|"
    r"raid|assault|incursion|offensive|wound|injur|thwart|foil|defus|dismantl|rape|sexual|withdr|possession|"
    r"handover|handed|leaves base|departure|left|blockade|rob|extort|strip|destroy|ransack|stole|rustl|"
    r"made off|overran|stormed|battle|"
    r"skirmish|repel|repuls|slaughter|murder|behead|tortur|beat|stab|detonat|blast|threat|intimidat|menac|"
    r"agreement|accord|ceasefire|cease-fire|truce|dialogue|reconciliation|founded|formed|created|launched|"
    r"closed down|mistreat|abuse|mutilat|flog|whip|target|"
    r"neutrali|kamikaze|suicide|vbied|air|recaptur|retook|regain|liberat|captur|set up|establish|"
    r"attaqu|attentat|tu[ée]|bless|enlev|embusc|affront|accroch|combat|manifest|émeute|emeute|frappe|obus|"
    r"roquette|engin|désamor|déjou|interpell|arrêt|arrestation|incendi|saccag|exécut|viol|blocus|rapt|otage|"
    r"marche|sit-in|dispers|tear|baton|overtak|control|grave|bodies|corpse|tire|tyre|barricade|stone|street|"
    r"encircl|surround|occupied|blocked|caught|chase|fought off|unearth|defus|pneus|operation)",
    re.IGNORECASE,
)


_LOWERED = [on_lowered(rx) for _, rx, _ in _RULES]
_ANY_TRIGGER_LOWERED = on_lowered(_ANY_TRIGGER)


def classify_sentence(text: str) -> list[EventHit]:
    """Every trigger in ``text``, strongest rule first. '*attack' hits are generic (resolved later)."""
    hits: list[EventHit] = []
    low = lowered(text)
    if low is not None and _ANY_TRIGGER_LOWERED is not None:
        if _ANY_TRIGGER_LOWERED.search(low) is None:
            return hits
    elif _ANY_TRIGGER.search(text) is None:
        return hits
    for (sub, rx, strength), fast in zip(_RULES, _LOWERED, strict=True):
        found = fast.finditer(low) if fast is not None and low is not None else rx.finditer(text)
        m = next((x for x in found if not _NEGATED.search(text, max(0, x.start() - 30), x.start())), None)
        if m is None:
            continue
        et: EventType = SUB_EVENT_TYPES.get(sub, "Battles")
        hits.append(EventHit(sub, et, text[m.start() : m.end()], m.start(), strength))
    return hits


def resolve_generic(text: str, civilians_killed: bool, soldiers_or_militants_killed: bool) -> tuple[str, EventType]:
    """An attack without a weapon word: against soldiers/posts it is a clash, against villagers an attack."""
    if civilians_killed and not soldiers_or_militants_killed:
        return "Attack", "Violence against civilians"
    if soldiers_or_militants_killed and not civilians_killed:
        return "Armed clash", "Battles"
    side = victim_side(text)
    if side == "armed":
        return "Armed clash", "Battles"
    if side == "civilian":
        return "Attack", "Violence against civilians"
    if soldiers_or_militants_killed:
        return "Armed clash", "Battles"
    civ = _CIVILIAN_TARGET.search(text) is not None
    mil = _MILITARY_TARGET.search(text) is not None
    if mil and not civ:
        return "Armed clash", "Battles"
    if civ and not mil:
        return "Attack", "Violence against civilians"
    if civ and mil:
        return "Armed clash", "Battles"
    if _CIVIL_VEHICLE.search(text) and not mil:
        return "Attack", "Violence against civilians"  # a bus or a truck shot at: its passengers are the victims
    return "Attack" if _ARMED_PERPETRATOR.search(text) else "Armed clash", (
        "Violence against civilians" if _ARMED_PERPETRATOR.search(text) else "Battles"
    )


def pick(hits: list[EventHit]) -> EventHit | None:
    """The hit that decides the sentence's type: the first specific rule, else the generic one."""
    specific = [h for h in hits if h.sub_event_type != "*attack"]
    if not specific:
        return hits[0] if hits else None
    # an arrest verb before a weapon word ("arrested the mastermind of the suicide attack") is an arrest
    arrests = [h for h in specific if h.sub_event_type == "Arrests"]
    others = [h for h in specific if h.sub_event_type != "Arrests"]
    if arrests and others and arrests[0].start < min(h.start for h in others):
        return arrests[0]
    return specific[0]


# a vehicle or a driver hit by gunfire is an attack even when nobody is named as a victim
_THING_TARGET = re.compile(
    r"\b(?:vehicles?|trucks?|cars?|buses|bus|minibus|pick-?ups?|motorbikes?|motorcycles?|drivers?|boats?|"
    r"pinasses?|convoys?)\b",
    _F,
)


_CIVIL_VEHICLE = re.compile(
    r"\b(?:buses|bus|minibus\w*|trucks?|lorr(?:y|ies)|cars?|taxis?|drivers?|motorbikes?|motorcycles?|boats?|"
    r"pinasses?)\b",
    _F,
)


def has_target(text: str) -> bool:
    return (
        _CIVILIAN_TARGET.search(text) is not None
        or _MILITARY_TARGET.search(text) is not None
        or _THING_TARGET.search(text) is not None
    )
