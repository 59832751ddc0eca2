"""Detection and typology rules for short, note-like reports (sentences written for these tests)."""

from __future__ import annotations

import pytest

from services.extraction.events import classify_sentence, has_target
from services.extraction.extract import extract_records
from services.extraction.victims import victim_side

from .conftest import ListIndex, make_article


def one(text: str, index: ListIndex) -> tuple[str | None, str | None, str | None]:
    recs = extract_records(make_article(text), index)
    assert len(recs) == 1, [(r.sub_event_type, r.place) for r in recs]
    r = recs[0]
    return r.event_type, r.sub_event_type, r.place.name if r.place else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a vehicle hit by gunfire is an attack even when nobody is named as hurt
        (
            "On Tuesday a bus of the transport company was hit by gunfire near Hombori.",
            ("Violence against civilians", "Attack", "Hombori"),
        ),
        # uncovered graves are killings
        (
            "On Monday three mass graves were discovered near Tessalit by a human rights team.",
            ("Violence against civilians", "Attack", "Tessalit"),
        ),
        # a new armed group founded in several towns is one event
        (
            "On Friday a new militia was said to have been formed in Mopti, Sevare and Douentza to defend herders.",
            ("Strategic developments", "Change to group/activity", "Mopti"),
        ),
        # a defused device, told passively
        (
            "On Sunday militants hid an explosive device near the market of Niono; the device was found and "
            "defused by the army.",
            ("Strategic developments", "Disrupted weapons use", "Niono"),
        ),
        # residents capturing thieves are a mob
        (
            "On Monday residents of Ansongo caught two thieves in the market and handed them to the police.",
            ("Riots", "Mob violence", "Ansongo"),
        ),
        # a mortar round that exploded is shelling, not a bomb
        (
            "On Tuesday two mortar rounds fired at the camp exploded near Tessalit without causing damage.",
            ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Tessalit"),
        ),
        # a truck on a mine is a landmine event, not a generic attack
        (
            "On Friday two traders died when their truck drove on a mine near Ansongo.",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Ansongo"),
        ),
        # "destroyed by an IED" is an explosion, not a destroyed IED
        (
            "On Friday an army truck was destroyed by an IED near Boni, wounding two soldiers.",
            ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Boni"),
        ),
    ],
)
def test_detection_and_type(text: str, expected: tuple[str, str, str], index: ListIndex) -> None:
    assert one(text, index) == expected


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("On Monday teachers in Segou held a peaceful march to demand their wages.", "Peaceful protest"),
        (
            "On Monday nurses staged a sit-in at the hospital of Kati. Police dispersed them with tear gas.",
            "Protest with intervention",
        ),
        (
            "On Monday students in Kidal burned tyres and threw stones in protest against the arrest of a teacher.",
            "Violent demonstration",
        ),
        # the arrest they protest against is the cause, not the event
        ("On Monday women marched in Gao in protest against the arrest of two local leaders.", "Peaceful protest"),
        (
            "On Monday former fighters encircled the governorate building in Gao to demand their integration.",
            "Peaceful protest",
        ),
    ],
)
def test_protests_typed_by_what_happened(text: str, sub: str, index: ListIndex) -> None:
    assert one(text, index)[1] == sub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # property only, nobody hurt
        (
            "On Thursday gunmen attacked and burned the town hall and a school in Douentza.",
            ("Strategic developments", "Looting/property destruction"),
        ),
        (
            "On Thursday six lorries were set on fire near Boni by gunmen. There were no reports of clashes.",
            ("Strategic developments", "Looting/property destruction"),
        ),
        # an attack on positions is a battle even when "people" died
        (
            "On Monday at least six people, four of them militiamen, died in an attack by gunmen on militia "
            "positions in Menaka.",
            ("Battles", "Armed clash"),
        ),
        # members of a community are civilians
        (
            "On Monday militiamen killed five members of the Bozo community near Diafarabe.",
            ("Violence against civilians", "Attack"),
        ),
        # mortar fire with an exchange of gunfire is a clash
        (
            "On Monday militants fired mortar rounds at the camp in Kidal and exchanged heavy gunfire with the guards.",
            ("Battles", "Armed clash"),
        ),
    ],
)
def test_typology(text: str, expected: tuple[str, str], index: ListIndex) -> None:
    assert one(text, index)[:2] == expected


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the road's ends: one record, at the first
        ("On Monday gunmen attacked a bus on the Gao-Ansongo road, killing two passengers.", "Gao"),
        ("On Monday gunmen attacked a bus on the axis Boni and Hombori, killing two passengers.", "Boni"),
        # a precise place beats the road's ends
        (
            "On Monday a convoy was attacked on the Douentza-Boni axis near Hombori, killing one soldier.",
            "Hombori",
        ),
        # the town of an office is not the event's place
        (
            "On Monday gunmen abducted the mayor of Boni at a checkpoint outside Douentza.",
            "Douentza",
        ),
        # "Kidal's Tessalit area": the possessor locates the place
        ("On Monday two bodies were found in Kidal's Tessalit area.", "Tessalit"),
        # the office's town yields to the road the event happened on
        (
            "On Monday the sub-prefect of Boni was abducted on the road towards Douentza by gunmen.",
            "Douentza",
        ),
    ],
)
def test_route_and_office_places(text: str, place: str, index: ListIndex) -> None:
    assert one(text, index)[2] == place


def test_news_with_two_towns_keeps_two_incidents(index: ListIndex) -> None:
    text = (
        "On Monday militants attacked an army post in Boni, killing four soldiers.\n"
        "On Tuesday gunmen killed three villagers in Niono."
    )
    recs = extract_records(make_article(text), index)
    assert sorted(r.place.name for r in recs if r.place) == ["Boni", "Niono"]


def test_negated_trigger_does_not_fire() -> None:
    assert [h.sub_event_type for h in classify_sentence("There were no reports of fighting.")] == []
    assert "Armed clash" in [
        h.sub_event_type for h in classify_sentence("No one was hurt and the attack was repelled.")
    ]


def test_vehicle_is_a_target() -> None:
    assert has_target("A truck was hit by gunfire.")
    assert not has_target("It was hit by gunfire.")


def test_community_members_are_civilians() -> None:
    assert victim_side("Gunmen killed three members of the Dogon community.") == "civilian"
    assert victim_side("Gunmen killed three members of the militia.") == "armed"


def test_operation_against_militants_is_a_clash(index: ListIndex) -> None:
    text = "On Monday the army carried out a military operation against militants near Boni."
    assert one(text, index)[:2] == ("Battles", "Armed clash")


def test_members_of_a_community_cut_off_by_the_object_window() -> None:
    text = "Gunmen attacked a truck carrying three members of the Bozo fishing community."
    assert victim_side(text) == "civilian"


def test_placeless_note_keeps_its_weapon_sentence(index: ListIndex) -> None:
    recs = extract_records(make_article("An army truck was hit by an IED. Two soldiers wounded."), index)
    assert [(r.sub_event_type, r.injured, r.place) for r in recs] == [("Remote explosive/landmine/IED", 2, None)]


def test_place_words_after_the_verb_are_not_its_object() -> None:
    text = "A Soninke trader was shot dead in his shop by jihadist militants."
    assert victim_side(text) == "civilian"


def test_unknown_place_after_attack_on(index: ListIndex) -> None:
    recs = extract_records(make_article("On Monday the attack on Wuro-Kessa killed a herder."), index)
    assert [(r.place.name if r.place else None, r.fatalities) for r in recs] == [("Wuro-Kessa", 1)]


def test_placeless_incident_takes_the_only_place_the_report_names(index: ListIndex) -> None:
    text = (
        "A grenade was thrown at the militia headquarters; two guards were wounded.\n"
        "The incident is part of fighting in the Koulikoro region since 2019."
    )
    recs = extract_records(make_article(text), index)
    assert [(r.sub_event_type, r.place.name if r.place else None) for r in recs] == [("Grenade", "Koulikoro")]
    two = text.replace("since 2019.", "and around Gao since 2019.")
    assert [r.place for r in extract_records(make_article(two), index)] == [None]
