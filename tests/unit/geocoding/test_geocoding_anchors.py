"""Anchors and hints next to a name ("X, near Y", "X, 60 km south of Y", "X, Kidal Region"), the
tie-breakers between namesakes, and the spelling rules they rely on. Fixture gazetteer only."""

from __future__ import annotations

from sahelwatch.contracts import Evidence, IncidentRecord, Location, PlaceMention
from sahelwatch.gazetteer import Gazetteer
from sahelwatch.gazetteer.names import phonetic
from services.geocoding.hints import HintPart, anchor_radius, split_hint
from services.geocoding.resolve import Geocoder


def resolve(geocoder: Geocoder, name: str, hint: str | None = None, **kwargs: object) -> Location | None:
    context = kwargs.pop("context", ())
    return geocoder.resolve(PlaceMention(name=name, admin_hint=hint), context, country_focus="ML")  # type: ignore[arg-type]


def test_split_hint_reads_towns_regions_and_distances() -> None:
    assert split_hint("Sokoura, Mopti Region") == [HintPart("Sokoura"), HintPart("Mopti Region")]
    assert split_hint("about 60 km south of Gourma-Rharous") == [HintPart("Gourma-Rharous", 60.0)]
    assert split_hint("(Douentza, Mopti)") == [HintPart("Douentza"), HintPart("Mopti")]
    assert split_hint("near Niono") == [HintPart("Niono")]
    assert anchor_radius(None) == 60.0 and anchor_radius(60.0) == 115.0


def test_village_near_an_anchor_is_the_namesake_next_to_it(geocoder: Geocoder) -> None:
    near_douentza = resolve(geocoder, "Kerena", "Douentza")
    near_kati = resolve(geocoder, "Kerena", "Kati")
    assert near_douentza is not None and near_kati is not None
    assert (near_douentza.latitude, near_douentza.geo_precision) == (15.05, 1)  # 8 km, not the one 43 km off
    assert "anchor" in near_douentza.candidates[0]["terms"]  # type: ignore[operator]
    assert near_kati.latitude == 12.8


def test_no_namesake_near_the_anchor_gives_the_anchor_at_precision_2(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kerena", "Boni")  # the nearest Kérena is 100 km from Boni
    assert loc is not None
    assert (loc.name, loc.latitude, loc.longitude, loc.geo_precision) == ("Boni", 15.03, -1.98, 2)
    assert loc.candidates[0]["terms"] == {"anchor_fallback": 1.0}
    assert {c["name"] for c in loc.candidates[1:]} == {"Kérena"}  # the namesakes set aside, explained


def test_unknown_village_with_anchor_gives_the_anchor(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Wuro-Nguel", "Douentza")
    assert loc is not None and (loc.name, loc.geo_precision) == ("Douentza", 2)
    assert resolve(geocoder, "Wuro-Nguel") is None  # no anchor: stays unresolved, never a guess


def test_distance_anchor_allows_the_stated_distance(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kerena", "about 100 km east of Sevare")  # 15.05 is ~140 km from Sévaré
    assert loc is not None and (loc.name, loc.latitude) == ("Kérena", 15.05)
    assert resolve(geocoder, "Kerena", "Sevare").name == "Sévaré"  # type: ignore[union-attr]


def test_looser_spelling_is_accepted_only_near_its_anchor(geocoder: Geocoder) -> None:
    assert resolve(geocoder, "Tin-Tadayni") is None  # ratio 80: too far a spelling on its own
    loc = resolve(geocoder, "Tin-Tadayni", "60 km south of Gourma-Rharous")
    assert loc is not None and (loc.name, loc.latitude, loc.geo_precision) == ("Tin Tadéini", 16.42, 2)


def test_unrelated_name_near_an_anchor_is_not_fuzzy_matched(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Tabankort", "Gourma-Rharous")
    assert loc is not None and loc.name == "Gourma-Rharous"  # not "Tin Tadéini", 51 km away


def test_region_hint_without_namesake_in_it_gives_the_region(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kerena", "Kidal Region")
    assert loc is not None and (loc.name, loc.geo_precision) == ("Kidal", 3)
    in_mopti = resolve(geocoder, "Kerena", "Mopti Region")
    assert in_mopti is not None and in_mopti.admin1 == "Mopti" and in_mopti.geo_precision == 1


def test_namesakes_of_a_context_place_all_count_when_equally_likely(geocoder: Geocoder) -> None:
    # Dioura has two namesakes, neither more likely: the Sokolo next to either one is chosen.
    loc = resolve(geocoder, "Sokolo", context=[PlaceMention(name="Dioura")])
    assert loc is not None and "near_context" in loc.candidates[0]["terms"]  # type: ignore[operator]


def test_conflict_region_breaks_an_exact_tie_but_not_a_spelling(geocoder: Geocoder) -> None:
    loc = resolve(geocoder, "Kerena")
    assert loc is not None and loc.admin1 == "Mopti"  # not the namesake in Koulikoro
    assert loc.candidates[0]["terms"]["conflict_area"] == 0.03  # type: ignore[index]


def test_ghain_spellings_meet() -> None:
    assert phonetic("takaghat") == phonetic("takarat")
    assert phonetic("gourma rharous") == phonetic("gourma rarous")
    assert phonetic("kati") != phonetic("kari")


def test_tamasheq_name_without_hyphens_is_a_span(gazetteer: Gazetteer) -> None:
    spans = gazetteer.find_spans("Gunmen attacked NTahaka on Monday.")
    assert [(s.name, s.kind) for s in spans] == [("NTahaka", "settlement")]


def test_hyphenated_pair_of_known_towns_gives_both(gazetteer: Gazetteer) -> None:
    spans = gazetteer.find_spans("An IED hit a convoy on the Douentza-Boni axis.")
    assert [s.name for s in spans] == ["Douentza", "Boni"]


def test_country_named_as_a_border_does_not_set_the_focus(geocoder: Geocoder) -> None:
    sentence = "Gunmen attacked Tin-Tadaini near the Burkina Faso border on Monday."
    record = IncidentRecord(
        trace_id="t", record_id="a:0", article_id="a", place=PlaceMention(name="Tin-Tadaini"),
        evidence=[Evidence(field="location", sentence=sentence)],
    )  # fmt: skip
    loc = geocoder.geocode(record).location
    assert loc is not None and loc.name == "Tin Tadéini"  # a Mali spelling variant, not dropped as foreign


def test_a_single_locality_or_well_can_anchor_an_unknown_place(geocoder: Geocoder) -> None:
    # "Wuro-Nguel, 20 km east of Tin Tadéini": no town of that name, one locality: it stands in
    loc = resolve(geocoder, "Wuro-Nguel", "20 km east of Tin Tadeini")
    assert loc is not None
    assert (loc.name, loc.latitude, loc.longitude, loc.geo_precision) == ("Tin Tadéini", 16.42, -1.75, 2)
    assert resolve(geocoder, "Wuro-Nguel", "20 km east of I-n-Tafarak") is not None


def test_conflict_regions_are_a_setting(gazetteer: Gazetteer) -> None:
    # an operator following fighting in Koulikoro: the tie now goes the other way
    moved = Geocoder(gazetteer, conflict_regions=["Koulikoro Region"])
    loc = moved.resolve(PlaceMention(name="Kerena"), (), country_focus="ML")
    assert loc is not None and loc.admin1 == "Koulikoro"
    assert Geocoder(gazetteer, conflict_regions=[]).resolve(PlaceMention(name="Kerena"), (), country_focus="ML")
