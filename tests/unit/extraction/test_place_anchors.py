"""Anchors written into the located place's admin hint: "X, near Y", "X in the commune of Y"."""

from __future__ import annotations

from sahelwatch.contracts import PlaceMention
from services.extraction.places import find_places, hint_text

from .conftest import NAMES, ListIndex

INDEX = ListIndex({**NAMES, "Kerena": "settlement", "Mopti Region": "admin1", "Wadi Tel": "other"})


def hinted(text: str) -> list[tuple[str, str | None]]:
    return [(f.mention.name, f.mention.admin_hint) for f in find_places(text, INDEX.find_spans(text))]


def test_near_anchor_after_a_comma_locates_the_town_before_it() -> None:
    assert hinted("Gunmen burned the market in Kerena, near Niono.") == [("Kerena", "Niono")]


def test_anchor_and_region_both_kept_nearest_first() -> None:
    text = "A trader was shot in Wadi Tel, near Boni, Mopti Region, on Friday."
    assert hinted(text) == [("Wadi Tel", "Boni, Mopti Region")]


def test_distance_anchor_keeps_its_distance() -> None:
    text = "Herders were robbed in the area of Wuro-Tiam, about 40 km west of Hombori, on Monday."
    assert hinted(text) == [("Wuro-Tiam", "40 km west of Hombori")]


def test_unknown_village_in_a_commune_keeps_its_name_with_the_anchor() -> None:
    text = "Militants raided the village of Wuro-Tiam in the commune of Boni."
    assert hinted(text) == [("Wuro-Tiam", "Boni")]


def test_village_in_a_town_or_region_takes_it_as_hint() -> None:
    assert hinted("Two farmers died near the village of Kerena in Mopti Region.") == [("Kerena", "Mopti Region")]


def test_x_area_of_y_reads_the_unknown_name() -> None:
    assert hinted("Clashes were reported in the Wuro-Tiam area of Douentza.") == [("Wuro-Tiam", "Douentza")]


def test_two_towns_in_a_list_are_not_hints() -> None:
    assert hinted("Attacks hit Gao and Kidal on Monday.") == [("Gao", None), ("Kidal", None)]


def test_hint_text() -> None:
    assert hint_text(PlaceMention(name="Gao", relation="distance", distance_km=15, direction="north")) == (
        "15 km north of Gao"
    )
    assert hint_text(PlaceMention(name="Boni", relation="near", admin_hint="Douentza")) == "Boni, Douentza"


FEATURES = ListIndex({**NAMES, "Wadi Tel": "other", "Bir Kessa": "other", "Tin Amaras": "other"})


def places(text: str) -> list[tuple[str, str, str | None, str | None]]:
    found = find_places(text, FEATURES.find_spans(text))
    return [(f.mention.name, f.mention.relation, f.mention.direction, f.mention.admin_hint) for f in found]


def test_abbreviated_compass_direction_is_read_as_a_distance() -> None:
    assert places("Bandits robbed two traders 25 km SW of Niono on Friday.") == [
        ("Niono", "distance", "southwest", None)
    ]
    assert places("Shots were fired 12 km N. of Hombori.") == [("Hombori", "distance", "north", None)]


def test_wells_and_hills_between_two_names_are_places() -> None:
    assert places("Fighting was reported between Wadi Tel and Bir Kessa.")[0][:2] == ("Wadi Tel", "in")
    assert places("A truck hit a mine on the axis Tin Amaras and Bir Kessa.")[0][0] == "Tin Amaras"


def test_unknown_village_located_by_a_known_town_after_a_comma() -> None:
    assert hinted("Gunmen abducted a school teacher and his brother in Wuro-Gana, Mopti, on Sunday.")[0] == (
        "Wuro-Gana",
        None,
    )
    recs_place = places("Gunmen abducted a school teacher and his brother in Wuro-Gana, Mopti, on Sunday.")
    assert [p[0] for p in recs_place] == ["Wuro-Gana", "Mopti"]


def test_village_then_its_commune_after_a_comma() -> None:
    assert hinted("Militants shot a herder in Wuro-Gana, commune of Dalla Kanda, on Monday.") == [
        ("Wuro-Gana", "Dalla Kanda")
    ]


def test_unknown_place_with_a_distance_anchor_and_a_hedge() -> None:
    text = "Gunmen raided a camp in the area of Wuro-Gana about 20 km east of Gao."
    assert hinted(text) == [("Wuro-Gana", "20 km east of Gao")]
    text = "A convoy was ambushed on the Gao-Ansongo road at Wuro-Gana, 20 km SE of Boni."
    assert ("Wuro-Gana", "20 km southeast of Boni") in hinted(text)


def test_plural_villages_and_multiword_area_names() -> None:
    assert [p[0] for p in hinted("Militiamen attacked the villages of Dalla and Kerou on Sunday.")] == [
        "Dalla",
        "Kerou",
    ]
    assert hinted("Clashes were reported in the Tin Hassan area near the border.") == [("Tin Hassan", None)]


def test_a_parenthesis_that_is_not_a_place_is_no_hint() -> None:
    assert hinted("Gunmen attacked Boni (reportedly at dawn) on Monday.") == [("Boni", None)]
