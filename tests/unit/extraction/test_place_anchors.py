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
