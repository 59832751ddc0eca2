from __future__ import annotations

import pytest

from sahelwatch.contracts import Location, PlaceMention
from sahelwatch.gazetteer import Gazetteer
from services.geocoding.resolve import Geocoder


def resolve(geocoder: Geocoder, name: str, **kwargs: object) -> Location:
    context = kwargs.pop("context", ())
    focus = kwargs.pop("country_focus", None)
    location = geocoder.resolve(PlaceMention(name=name, **kwargs), context, country_focus=focus)  # type: ignore[arg-type]
    assert location is not None
    return location


def test_town_itself(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kati")
    assert (loc.name, loc.latitude, loc.longitude, loc.geo_precision) == ("Kati", 12.74, -8.07, 1)
    assert (loc.admin1, loc.admin2, loc.country, loc.country_code) == ("Koulikoro", "Kati", "Mali", "ML")
    assert loc.gazetteer_id == "geonames:9000004"
    assert loc.feature_code == "PPLA2"


def test_choice_is_explained(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kati")
    scores = [c["score"] for c in loc.candidates]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert loc.score == scores[0]
    assert {c["gazetteer_id"] for c in loc.candidates} >= {"geonames:9000004", "geonames:9000005"}
    terms = loc.candidates[0]["terms"]
    assert isinstance(terms, dict) and {"prior", "name"} <= terms.keys()


def test_homonym_chosen_by_admin_hint(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kati", admin_hint="Tombouctou")
    assert (loc.latitude, loc.longitude, loc.admin1) == (16.11, -3.73, "Tombouctou")
    assert "admin_hint" in loc.candidates[0]["terms"]  # type: ignore[operator]


def test_homonym_chosen_by_town_hint(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Sokolo", admin_hint="Ogassagou-Dogon").latitude == 13.78


def test_homonym_chosen_by_closeness_to_other_places(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Sokolo").latitude == 14.73  # alone: the one with a population
    context = [PlaceMention(name="Ogassagou-Dogon"), PlaceMention(name="Bani"), PlaceMention(name="Sokolo")]
    loc = resolve(geocoder, "Sokolo", context=context)
    assert (loc.latitude, loc.admin1) == (13.78, "Mopti")


def test_homonym_chosen_by_country_focus(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Boni", country_focus="Burkina Faso").country_code == "BF"
    assert resolve(geocoder, "Boni", country_focus="ML").country_code == "ML"
    assert resolve(geocoder, "Boni", country_hint="Burkina").country_code == "BF"


def test_village_before_river_of_the_same_name(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Bani")
    assert (loc.feature_code, loc.latitude, loc.geo_precision) == ("PPL", 13.1, 1)


def test_river_only_has_no_point(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Baoulé")
    assert (loc.latitude, loc.longitude, loc.geo_precision, loc.feature_code) == (None, None, 3, "STM")
    assert (loc.country_code, loc.admin1, loc.admin2) == ("ML", None, None)


def test_intermittent_stream_is_near_its_point(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Ti Samet")  # a Sahel wadi names the camps along it
    assert (loc.latitude, loc.longitude, loc.geo_precision, loc.admin1) == (15.17, 1.02, 2, "Gao")


def test_marsh_only_is_near_its_point(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Ber")
    assert (loc.name, loc.latitude, loc.geo_precision, loc.admin1) == ("Bèr", 16.83, 2, "Tombouctou")


SPELLINGS = [
    ("Tombouctou", "Timbuktu"),
    ("Sevare", "Sévaré"),
    ("SÉVARÉ", "Sévaré"),
    ("Tin Zaouatene", "Ti-n-Zaouâtene"),
]


@pytest.mark.parametrize(("spelling", "name"), SPELLINGS)
def test_spelling_variants(geocoder: Geocoder, spelling: str, name: str) -> None:
    loc = resolve(geocoder, spelling)
    assert (loc.name, loc.geo_precision) == (name, 1)


def test_fuzzy_spelling_resolves_with_lower_score(geocoder: Geocoder) -> None:
    fuzzy = resolve(geocoder, "Ogossagou")
    exact = resolve(geocoder, "Ogassagou-Dogon")
    assert fuzzy.name is not None and fuzzy.name.startswith("Ogassagou-")
    assert fuzzy.geo_precision == 1 and fuzzy.latitude == pytest.approx(13.96, abs=0.01)
    assert fuzzy.score is not None and exact.score is not None and fuzzy.score < exact.score
    assert resolve(geocoder, "Tinzaouatine").name == "Ti-n-Zaouâtene"


@pytest.mark.parametrize("relation", ["near", "distance", "direction"])
def test_relative_location_gives_the_anchor_with_precision_2(geocoder: Geocoder, relation: str) -> None:
    loc = resolve(geocoder, "Bamako", relation=relation, distance_km=15.0, direction="north")
    assert (loc.name, loc.latitude, loc.longitude, loc.geo_precision) == ("Bamako", 12.65, -8.0, 2)
    assert loc.admin1 == "Bamako"


def test_region_only_gives_polygon_centroid(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Mopti", relation="region")
    assert (loc.name, loc.admin1, loc.geo_precision, loc.country_code) == ("Mopti", "Mopti", 3, "ML")
    assert loc.latitude == pytest.approx(14.9757, abs=1e-3)
    assert loc.longitude == pytest.approx(-2.9655, abs=1e-3)


def test_region_only_without_polygons_gives_adm1_point(bare_gazetteer: Gazetteer) -> None:
    loc = Geocoder(bare_gazetteer).resolve(PlaceMention(name="Gao Region", relation="region"))
    assert loc is not None
    assert (loc.latitude, loc.longitude, loc.geo_precision, loc.admin1) == (16.5, 0.5, 3, "Gao")


def test_region_named_as_plain_place(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "région de Tombouctou")
    assert (loc.admin1, loc.geo_precision, loc.feature_code) == ("Tombouctou", 3, "ADM1")


def test_cercle_named_as_region_gives_its_town_nearby(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Douentza", relation="region")  # "in the Douentza region"
    assert (loc.feature_code, loc.geo_precision, loc.latitude, loc.admin2) == ("PPLA2", 2, 15.0, "Douentza")
    cercle = resolve(geocoder, "Douentza Cercle", relation="region")
    assert (cercle.feature_code, cercle.geo_precision) == ("ADM2", 2)
    assert (cercle.latitude, cercle.longitude) == (15.15, -2.55)  # centroid of the Douentza rectangle


def test_new_region_not_in_the_polygons(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Ménaka", relation="region")
    assert (loc.admin1, loc.latitude, loc.longitude) == ("Ménaka", 16.0, 2.5)  # ADM1 feature point
    town = resolve(geocoder, "Ménaka")
    assert (town.admin1, town.admin2) == ("Ménaka", "Ménaka")  # current region, cercle from polygons


@pytest.mark.parametrize("relation", ["country", "in"])
def test_country_only_has_no_point(geocoder: Geocoder, relation: str) -> None:
    loc = resolve(geocoder, "Mali", relation=relation)
    assert (loc.country, loc.country_code, loc.latitude, loc.longitude) == ("Mali", "ML", None, None)
    assert loc.geo_precision == 3


@pytest.mark.parametrize("relation", ["in", "near", "region", "distance"])
def test_unknown_place_stays_unresolved(geocoder: Geocoder, relation: str) -> None:
    assert geocoder.resolve(PlaceMention(name="Atlantis", relation=relation)) is None  # type: ignore[arg-type]
    assert geocoder.resolve(PlaceMention(name=" - ", relation=relation)) is None  # type: ignore[arg-type]


def test_admin_names_without_polygons(bare_gazetteer: Gazetteer) -> None:
    loc = Geocoder(bare_gazetteer).resolve(PlaceMention(name="Douentza"))
    assert loc is not None
    assert (loc.admin1, loc.admin2, loc.latitude) == ("Mopti", "Douentza", 15.0)


def test_approximate_spelling_abroad_stays_unresolved(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Diabaly").name == "Diabali"  # no country known: the Mali village
    assert geocoder.resolve(PlaceMention(name="Diabaly"), country_focus="BF") is None
    assert resolve(geocoder, "Diabali", country_focus="BF").name == "Diabali"  # exact name: kept


def test_homonyms_sharing_an_alternate_name_prefer_the_closest_spelling(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Dialloube")  # an alternate name of both; "Dialoubé" is one letter off
    assert (loc.name, loc.admin1) == ("Dialoubé", "Mopti")


def test_town_before_the_cercle_of_the_same_name(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kati")  # "Kati Cercle" has 950,000 people; the town's point wins
    assert loc.feature_code == "PPLA2"
    cercle = resolve(geocoder, "Cercle de Kati")  # part of a region: the cercle polygon's centroid
    assert (cercle.geo_precision, cercle.admin2, cercle.latitude) == (2, "Kati", 12.75)
