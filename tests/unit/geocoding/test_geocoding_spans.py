from __future__ import annotations

from sahelwatch.gazetteer import Gazetteer
from sahelwatch.places import PlaceIndex


def spans(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    found = gazetteer.find_spans(text)
    assert all(text[s.start : s.end] == s.name for s in found)
    assert [s.start for s in found] == sorted(s.start for s in found)
    return [(s.name, s.kind) for s in found]


def test_implements_the_place_index_protocol(gazetteer: Gazetteer) -> None:
    index: PlaceIndex = gazetteer
    assert index.find_spans("") == []


def test_settlements_regions_and_countries(gazetteer: Gazetteer) -> None:
    text = "In the Mopti region, near Sévaré, an IED hit a convoy 15 km from Douentza in Mali and Burkina Faso."
    assert spans(gazetteer, text) == [
        ("Mopti", "admin1"),
        ("Sévaré", "settlement"),
        ("Douentza", "settlement"),
        ("Mali", "country"),
        ("Burkina Faso", "country"),
    ]


def test_french_text_and_hyphenated_names(gazetteer: Gazetteer) -> None:
    text = "Des hommes armés ont attaqué la région de Tombouctou et le cercle de Douentza, près de Ti-n-Zaouâtene."
    assert spans(gazetteer, text) == [
        ("Tombouctou", "admin1"),
        ("Douentza", "admin2"),
        ("Ti-n-Zaouâtene", "settlement"),
    ]


def test_longest_match_wins(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "Gunmen burned Ogassagou-Dogon on Sunday.") == [("Ogassagou-Dogon", "settlement")]


def test_only_capitalised_words(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "the mopti road and kati market") == []


def test_river_is_other(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "Bani was attacked. The Bani river rose.") == [
        ("Bani", "settlement"),
        ("Bani", "other"),
    ]


def test_sentence_initial_word_must_be_a_settlement(gazetteer: Gazetteer) -> None:
    # "Bèr" is only a marsh: fine inside a sentence, not as the first word of one.
    assert spans(gazetteer, "Soldiers reached Ber. Ber was calm.") == [("Ber", "other")]


def test_headline_capitals(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "GAO: fighters raided Ménaka.") == [
        ("GAO", "settlement"),
        ("Ménaka", "settlement"),
    ]


def test_stopwords_are_not_places(gazetteer: Gazetteer) -> None:
    # "Nord" and "Police" are villages in the fixture, and common words in news text.
    assert gazetteer.lookup("Police")
    assert spans(gazetteer, "The Police said the Nord axis was closed near Boni.") == [("Boni", "settlement")]


def test_part_of_an_unknown_hyphenated_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    assert spans(gazetteer, "Fighters shot a man in Bani-Zoumbou and in Kowa-Kati.") == []
    assert spans(gazetteer, "On the Mopti-Douentza road.") == [
        ("Mopti", "settlement"),
        ("Douentza", "settlement"),
    ]


def test_surname_after_a_given_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    text = "Spokesman Amadou Douentza said fighters of the Katiba Boni attacked Boni, near Camp Douentza."
    assert spans(gazetteer, text) == [("Boni", "settlement"), ("Douentza", "settlement")]


def test_first_word_of_an_unknown_name_is_not_a_place(gazetteer: Gazetteer) -> None:
    text = "Militants of Bani Ambassagou attacked Boni Koro and Boni Douentza; Boni MP resigned."
    assert spans(gazetteer, text) == [
        ("Boni", "settlement"),
        ("Douentza", "settlement"),
        ("Boni", "settlement"),
    ]


def test_a_major_town_before_an_unknown_quarter_is_still_a_place(gazetteer: Gazetteer) -> None:
    text = "Troops foiled a bombing in Kati Sananfara, a district of the garrison town."
    names = [s.name for s in gazetteer.find_spans(text)]
    assert "Kati" in names


def test_a_village_name_before_an_unknown_word_is_not_taken_alone(gazetteer: Gazetteer) -> None:
    text = "The convoy reached Boni Tessalit camp at dawn."
    assert "Boni" not in [s.name for s in gazetteer.find_spans(text)]
