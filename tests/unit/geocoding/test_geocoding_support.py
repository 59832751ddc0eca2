"""Spelling tiers (exact / sound / variant / loose), the support a loose spelling needs, border
hints, and anchors written loosely. Made-up sentences and places; fixture gazetteer only."""

from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.contracts import Evidence, IncidentRecord, Location, PlaceMention
from sahelwatch.gazetteer import Gazetteer, build_gazetteer
from sahelwatch.gazetteer.names import phonetic, skeleton
from services.geocoding.hints import border_countries
from services.geocoding.resolve import Geocoder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gazetteer"
CODES = {"niger": "NE", "burkina faso": "BF", "burkinafaso": "BF", "burkina": "BF", "mali": "ML"}


@pytest.fixture(scope="module")
def with_niger() -> Geocoder:
    """The Mali and Burkina fixtures plus three Niger towns east of the Ménaka rectangle."""
    paths = [
        FIXTURES / "mali_fixture.txt",
        FIXTURES / "burkina_fixture.txt",
        FIXTURES / "neighbours" / "niger_fixture.txt",
    ]
    return Geocoder(build_gazetteer(paths, FIXTURES / "cercles.geojson", neighbours=False))


def resolve(geocoder: Geocoder, name: str, hint: str | None = None, **kwargs: object) -> Location | None:
    context = [PlaceMention(name=n) for n in kwargs.pop("context", ())]  # type: ignore[attr-defined]
    borders = kwargs.pop("borders", ())
    mention = PlaceMention(name=name, admin_hint=hint)
    return geocoder.resolve(mention, context, country_focus="ML", borders=borders)  # type: ignore[arg-type]


# ---------------------------------------------------------------- spelling keys and tiers


@pytest.mark.parametrize(
    ("a", "b"),
    [("tamalate", "tamalat"), ("guere", "gere"), ("thiam", "tiam"), ("tancoulle", "tankoule"), ("takaghat", "takarat")],
)
def test_phonetic_key_merges_french_and_english_spellings(a: str, b: str) -> None:
    assert phonetic(a) == phonetic(b)


def test_phonetic_key_keeps_a_word_initial_h() -> None:
    assert phonetic("tin hamma") != phonetic("tinama")  # "Tin-Hamma" is not "Tinama"


def test_skeleton_compares_consonants_only() -> None:
    assert skeleton(phonetic("tancoulle")) == skeleton(phonetic("tankouli")) == "tnkl"
    assert skeleton(phonetic("ogossagou")) == skeleton(phonetic("ogassagou"))
    assert skeleton(phonetic("inafarag")) != skeleton(phonetic("inafarak"))


def test_match_tiers(gazetteer: Gazetteer) -> None:
    assert {m.tier for m in gazetteer.lookup_matches("Timbuktu")} == {"exact"}
    assert gazetteer.lookup_matches("NTillit")[0].tier == "exact"  # Tamasheq prefix
    assert gazetteer.lookup_matches("Tagoulate")[0].tier == "sound"  # final silent e
    assert gazetteer.lookup_matches("Ogossagou")[0].tier == "variant"  # only a vowel differs
    assert {m.tier for m in gazetteer.lookup_matches("Sirakoro")} == {"loose"}  # head of a compound
    assert {m.tier for m in gazetteer.lookup_matches("Wendou")} == {"variant"}  # quarters of one village
    assert gazetteer.lookup_matches("Kologon")[0].tier == "exact"  # "-Habé" is a qualifier


def test_a_letter_off_in_a_short_name_is_only_a_guess(geocoder: Geocoder) -> None:
    assert {m.tier for m in geocoder.gazetteer.lookup_matches("Kambo")} == {"loose"}
    assert resolve(geocoder, "Kambo") is None  # "Kambou" in Kati, with nothing pointing there
    loc = resolve(geocoder, "Kambo", context=["Kati"])  # the article also names Kati, 27 km away
    assert loc is not None and loc.name == "Kambou"


# ---------------------------------------------------------------- support for loose spellings


def test_loose_spelling_needs_support(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Sirakoro") is None  # "Sirakoro Plantation", nothing else to back it
    loc = resolve(geocoder, "Sirakoro", context=["Kati"])
    assert loc is not None and loc.name == "Sirakoro Plantation"
    assert resolve(geocoder, "Sirakoro", context=["Timbuktu"]) is None  # 1000 km from the article


def test_misspelt_town_needs_no_support(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Timbutku")
    assert loc is not None and loc.name == "Timbuktu"


def test_quarters_of_a_village_are_the_village(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Wendou")
    assert loc is not None and loc.name is not None and loc.name.startswith("Wendou-")


# ---------------------------------------------------------------- anchors


def test_looser_spelling_must_be_close_to_its_anchor(geocoder: Geocoder) -> None:
    # Tin Tadéini is 53 km from Gourma-Rharous: a namesake could be that far, a loose spelling not
    loc = resolve(geocoder, "Tin-Tadayni", "Gourma-Rharous")
    assert loc is not None and (loc.name, loc.geo_precision) == ("Gourma-Rharous", 2)


def test_anchor_written_without_its_prefix_hyphens(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Tin Ouzzein", "the commune of NTahaka")  # unknown village, loosely written anchor
    assert loc is not None
    assert (loc.name, loc.latitude, loc.longitude, loc.geo_precision) == ("I-n-Tahaka", 16.17, -0.72, 2)


def test_unknown_village_in_a_region_named_like_its_capital_gets_the_region(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Tin Ouzzein", "Mopti")
    assert loc is not None and (loc.name, loc.geo_precision) == ("Mopti", 3)
    assert loc.feature_code == "ADM1"  # the region's centroid, never the town's point at precision 1


# ---------------------------------------------------------------- borders


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Gunmen attacked a camp near the Niger border on Monday.", ["NE"]),
        ("A post in Tazirt on the Algerian border was shelled.", ["DZ"]),
        ("Clashes in the area near the BurkinaFaso border.", ["BF"]),
        ("Fighting in the Mali-Niger border area.", ["ML", "NE"]),
        ("The convoy was ambushed near Mali's border with Burkina Faso.", ["ML", "BF"]),
        ("Des hommes armés ont attaqué un village près de la frontière nigérienne.", ["NE"]),
        ("Une attaque à la frontière avec le Burkina.", ["BF"]),
        ("Operations continued in the tri-border area.", ["ML", "BF", "NE"]),
        ("The gunmen fled toward the Niger border.", []),
        ("A border post in Gao was attacked.", []),
    ],
)
def test_border_countries(text: str, codes: list[str]) -> None:
    def country(name: str) -> str | None:
        return CODES.get(name.lower()) or {"algeria": "DZ"}.get(name.lower())

    assert border_countries(text, country) == codes


def test_border_distance_from_the_polygons(with_niger: Geocoder) -> None:
    borders = with_niger.gazetteer.borders
    near = borders.distance_km(15.9, 3.75, "NE")  # 27 km west of the Ménaka rectangle's east edge
    far = borders.distance_km(12.8, -8.0, "NE")
    assert near is not None and near < 30 and far is not None and far > 1000
    assert borders.distance_km(15.9, 3.75, "XX") is None


def test_border_hint_picks_the_spelling_next_to_that_border(with_niger: Geocoder) -> None:
    # two close spellings of "Intafarag": a well by the Niger border, a dune 700 km away
    near_niger = resolve(with_niger, "Intafarag", borders=["NE"])
    assert near_niger is not None and near_niger.name == "I-n-Tafarak"
    assert "border" in near_niger.candidates[0]["terms"]  # type: ignore[operator]
    assert all(c["name"] != "I-n-Tafara" for c in near_niger.candidates)


def test_border_hint_rejects_a_loose_spelling_far_from_it(with_niger: Geocoder) -> None:
    assert resolve(with_niger, "Sirakoro", context=["Kati"], borders=["NE"]) is None


def test_border_hint_from_the_record_evidence(with_niger: Geocoder) -> None:
    sentence = "Armed men attacked a camp in the area of Tagoulate near the Niger border on Sunday."
    record = IncidentRecord(
        trace_id="t1",
        record_id="a1:0",
        article_id="a1",
        place=PlaceMention(name="Tagoulate"),
        evidence=[Evidence(field="place", sentence=sentence)],
    )
    loc = with_niger.geocode(record).location
    assert loc is not None and loc.name == "Tagoulelt" and loc.latitude == 15.9
    assert "border" in loc.candidates[0]["terms"]  # type: ignore[operator]


def test_two_towns_joined_by_a_hyphen_give_the_likelier_one_as_near_it(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Sokolo-Diabaly")  # one unknown name, two known towns 16 km apart
    assert loc is not None and loc.geo_precision == 2 and loc.name in {"Sokolo", "Diabali"}
    assert resolve(geocoder, "Sokolo-Wuro") is None  # one half unknown: no guess
