from __future__ import annotations

from datetime import date

import pytest

from services.extraction.dates import find_dates
from services.extraction.events import classify_sentence, pick, resolve_generic
from services.extraction.history import is_background


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("A vehicle-borne suicide attack hit the camp gate.", "Suicide bomb"),
        ("Their truck struck an IED on the road.", "Remote explosive/landmine/IED"),
        ("A landmine exploded under a bus.", "Remote explosive/landmine/IED"),
        ("Engineers defused an explosive device near the bridge.", "Disrupted weapons use"),
        ("A drone strike hit a wedding party.", "Air/drone strike"),
        ("Mortar rounds fell on the airport.", "Shelling/artillery/missile attack"),
        ("Gunmen kidnapped four aid workers.", "Abduction/forced disappearance"),
        ("Soldiers arrested twelve suspects in a sweep.", "Arrests"),
        ("The patrol was ambushed by militants.", "Armed clash"),
        ("Gunmen massacred villagers at dawn.", "Attack"),
        ("Militants looted shops and torched granaries.", "Looting/property destruction"),
        ("Police arrested the man behind the suicide bombing.", "Arrests"),
        ("Rebels seized the town of Anefis.", "Non-state actor overtakes territory"),
        ("The army took possession of the camp.", "Non-violent transfer of territory"),
        ("Hundreds of protesters marched through the city.", "Peaceful protest"),
        ("Une embuscade a visé un convoi.", "Armed clash"),
        ("Jihadists seized the army base after the garrison fled.", "Non-state actor overtakes territory"),
        ("The army recaptured the town after a week.", "Government regains territory"),
        ("JNIM declared a blockade on fuel convoys.", "Change to group/activity"),
        ("Security forces carried out mass arrests in the market.", "Arrests"),
    ],
)
def test_sub_event_rules(text: str, sub: str) -> None:
    top = pick(classify_sentence(text))
    assert top is not None and top.sub_event_type == sub


def test_generic_attack_resolved_by_victims() -> None:
    assert resolve_generic("Gunmen attacked an army post.", False, False)[0] == "Armed clash"
    assert resolve_generic("Gunmen attacked the village.", False, False)[0] == "Attack"
    assert resolve_generic("Men attacked.", True, False) == ("Attack", "Violence against civilians")


PUB = date(2024, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        "Militants seized the north in 2012.",
        "Last year's massacre killed 40 people.",
        "Armed groups have repeatedly attacked army posts since 2015.",
        "The region has been the scene of violence for years.",
        "Insurgents could attack the capital, officials fear.",
    ],
)
def test_background(text: str) -> None:
    assert is_background(text, PUB, find_dates(text, PUB))


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed 5 soldiers on Wednesday.",
        "On March 2, 2024, a mine killed two drivers.",
        "Nine soldiers were killed in an area regularly targeted by jihadists.",
    ],
)
def test_news(text: str) -> None:
    dates = find_dates(text, PUB)
    assert not is_background(text, PUB, dates, counted="killed" in text)
