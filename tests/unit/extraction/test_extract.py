"""End to end on short articles written for these tests."""

from __future__ import annotations

from datetime import date

from sahelwatch.contracts import Kind
from services.extraction.extract import extract_records

from .conftest import ListIndex, make_article


def test_one_incident_with_all_fields(index: ListIndex) -> None:
    art = make_article(
        "Roadside bomb kills soldiers near Gao\n"
        "Four Malian soldiers were killed and six wounded on Wednesday when their vehicle hit an IED "
        "near Gao, the army said.\n"
        "Militants first struck the region in 2012."
    )
    recs = extract_records(art, index)
    assert len(recs) == 1
    r = recs[0]
    assert r.record_id == "a1:0" and r.trace_id == "t-1" and r.article == "/tmp/a1.txt"
    assert (r.event_type, r.sub_event_type) == ("Explosions/Remote violence", "Remote explosive/landmine/IED")
    assert (r.fatalities, r.injured) == (4, 6)
    assert (r.event_date, r.time_precision) == (date(2024, 3, 13), 1)
    assert r.place is not None and (r.place.name, r.place.relation) == ("Gao", "near")
    assert r.location is None
    assert "Malian Armed Forces (FAMa)" in [a.name for a in r.actors]
    assert {e.field for e in r.evidence} >= {"event_type", "fatalities", "event_date", "place"}
    assert r.summary == "IED near Gao, 4 killed, 6 injured"
    assert 0.5 < r.confidence <= 1.0


def test_several_incidents_one_per_place_and_day(index: ListIndex) -> None:
    art = make_article(
        "Gunmen killed seven villagers in Boni on Tuesday.\n\n"
        "Separately, the army said on Thursday that it had arrested 12 suspects in Niono.\n\n"
        "In 2019, a massacre in Mopti left 160 dead."
    )
    recs = extract_records(art, index)
    assert [(r.place.name if r.place else None, r.sub_event_type) for r in recs] == [
        ("Boni", "Attack"),
        ("Niono", "Arrests"),
    ]
    assert recs[0].fatalities == 7 and recs[1].fatalities is None
    assert [r.record_id for r in recs] == ["a1:0", "a1:1"]


def test_toll_across_parties_and_sentences(index: ListIndex) -> None:
    art = make_article(
        "Jihadists attacked an army post in Hombori on Sunday, killing three soldiers.\n"
        "Eleven assailants were also killed, the army said."
    )
    r = extract_records(art, index)[0]
    assert r.fatalities == 14 and r.sub_event_type == "Armed clash"


def test_revised_toll_and_earlier_toll(index: ListIndex) -> None:
    art = make_article(
        "Twenty civilians were killed in an attack on Diafarabe on Monday.\n"
        "A local official had earlier said 12 people were killed."
    )
    assert extract_records(art, index)[0].fatalities == 20


def test_advisory_record(index: ListIndex) -> None:
    art = make_article("On March 12, the US Embassy urged its citizens to leave Mali immediately.")
    recs = extract_records(art, index)
    assert len(recs) == 1 and recs[0].kind is Kind.advisory
    assert recs[0].advisory is not None and recs[0].advisory.level == "leave immediately"
    assert recs[0].event_date == date(2024, 3, 12)


def test_no_publication_date_inferred_from_text_lowers_confidence(index: ListIndex) -> None:
    text = "Photo: the camp on May 2, 2024.\nGunmen killed two herders near Kidal on Tuesday."
    with_pub = extract_records(make_article(text, "2024-05-03"), index)[0]
    without = extract_records(make_article(text, None), index)[0]
    assert without.event_date == with_pub.event_date == date(2024, 4, 30)
    assert without.confidence < with_pub.confidence


def test_kidnapping_fatalities_null_and_abducted_counted(index: ListIndex) -> None:
    art = make_article("Gunmen kidnapped three engineers near Ansongo on Friday.")
    r = extract_records(art, index)[0]
    assert r.sub_event_type == "Abduction/forced disappearance"
    assert r.fatalities is None and r.abducted == 3


def test_country_level_report_folds_into_the_town(index: ListIndex) -> None:
    art = make_article(
        "At least 15 soldiers killed in Niger\n"
        "Militants on motorbikes attacked an army patrol near the town of Tessalit on Thursday."
    )
    recs = extract_records(art, index)
    assert len(recs) == 1 and recs[0].place is not None and recs[0].place.name == "Tessalit"
    assert recs[0].fatalities == 15


def test_nothing_from_background_or_sport(index: ListIndex) -> None:
    art = make_article(
        "The national team will play in Bamako. Their coach has a more attacking style.\n"
        "Since 2012 the conflict has killed thousands."
    )
    assert extract_records(art, index) == []


def test_deterministic(index: ListIndex) -> None:
    art = make_article("Gunmen killed two traders in Gao on Monday. A drone strike hit Kidal on Tuesday.")
    a = [r.model_dump() for r in extract_records(art, index)]
    b = [r.model_dump() for r in extract_records(art, index)]
    assert a == b and len(a) == 2


def test_unknown_village_near_a_known_town_keeps_the_town_as_anchor(index: ListIndex) -> None:
    art = make_article("On Monday gunmen attacked the village of Wuro-Kessou, near Douentza, killing two herders.")
    r = extract_records(art, index)[0]
    assert r.place is not None and (r.place.name, r.place.admin_hint) == ("Wuro-Kessou", "Douentza")


def test_unknown_village_alone_is_kept_by_name(index: ListIndex) -> None:
    art = make_article("On Monday gunmen burned the village of Wuro-Kessou.")
    r = extract_records(art, index)[0]
    assert r.place is not None and r.place.name == "Wuro-Kessou"
    assert r.sub_event_type == "Looting/property destruction"


def test_spelling_variants_of_one_place_are_one_incident(index: ListIndex) -> None:
    spans = ListIndex({"Tessalit": "settlement", "Tessalite": "settlement"})
    art = make_article(
        "A drone strike hit Tessalit on Sunday, killing 9 people.\nThe strike on Tessalite destroyed a market."
    )
    assert len(extract_records(art, spans)) == 1


def test_arrest_and_clash_in_one_town_are_two_events(index: ListIndex) -> None:
    art = make_article(
        "Jihadists ambushed an army patrol in Gao on Tuesday, killing four soldiers.\n\n"
        "Police in Gao later arrested three traders accused of smuggling fuel."
    )
    assert [r.sub_event_type for r in extract_records(art, index)] == ["Armed clash", "Arrests"]


def test_dateline_date_is_not_the_event_date(index: ListIndex) -> None:
    art = make_article(
        "Bamako, March 14 (Reuters) - Rebels clashed with troops near Kidal on Tuesday, killing eight fighters."
    )
    r = extract_records(art, index)[0]
    assert r.event_date == date(2024, 3, 12)
    assert r.place is not None and r.place.name == "Kidal"


def test_mention_of_an_old_deal_is_not_an_agreement(index: ListIndex) -> None:
    art = make_article(
        "Fighting resumed near Kidal on Tuesday after the junta ended a 2015 peace deal, killing 3 rebels."
    )
    assert extract_records(art, index)[0].sub_event_type == "Armed clash"


def test_region_toll_told_apart_from_a_town_incident_stays_its_own(index: ListIndex) -> None:
    art = make_article(
        "Eight soldiers were killed on Monday in the central region of Segou, the army said.\n\n"
        "Their convoy hit a mine before being ambushed.\n\n"
        "Officials praised the troops.\n\n"
        "Separately, French troops said they had captured fighters in Tessalit on Sunday."
    )
    recs = extract_records(art, index)
    regions = [r for r in recs if r.place is not None and r.place.relation == "region"]
    assert len(regions) == 1 and regions[0].place is not None and regions[0].place.name == "Segou"
    assert regions[0].fatalities == 8 and regions[0].sub_event_type == "Armed clash"


def test_a_superseded_toll_is_used_when_it_is_the_only_one(index: ListIndex) -> None:
    art = make_article("A source had earlier said seven soldiers were killed in an ambush near Menaka on Monday.")
    assert extract_records(art, index)[0].fatalities == 7


def test_revised_toll_replaces_the_first_figure(index: ListIndex) -> None:
    art = make_article(
        "Gunmen killed 12 villagers in Boni on Monday.\n"
        "By Tuesday the death toll had risen to 31, a local official said."
    )
    assert extract_records(art, index)[0].fatalities == 31


def test_french_article(index: ListIndex) -> None:
    art = make_article(
        "Trois soldats ont été tués et cinq blessés lorsque leur véhicule a sauté sur une mine près de Gao, le 12 mars."
    )
    r = extract_records(art, index)[0]
    assert r.sub_event_type == "Remote explosive/landmine/IED"
    assert (r.fatalities, r.injured, r.event_date) == (3, 5, date(2024, 3, 12))


def test_advisory_area_is_not_the_issuing_country(index: ListIndex) -> None:
    idx = ListIndex({"United States": "country", "Mali": "country"})
    art = make_article("The United States Embassy urged its citizens to leave Mali immediately.")
    r = extract_records(art, idx)[0]
    assert r.advisory is not None and r.advisory.area == "Mali" and r.advisory.issuer == "US Embassy"


def test_town_comma_region_is_one_place_with_a_hint(index: ListIndex) -> None:
    art = make_article("On Monday gunmen attacked an army post in Niono, Segou, killing two soldiers.")
    recs = extract_records(art, index)
    assert len(recs) == 1 and recs[0].place is not None
    assert (recs[0].place.name, recs[0].place.admin_hint) == ("Niono", "Segou")


def test_between_two_towns_is_one_incident(index: ListIndex) -> None:
    art = make_article("On Monday an IED hit a truck between Boni and Hombori, killing the driver and 2 passengers.")
    recs = extract_records(art, index)
    assert [r.place.name for r in recs if r.place] == ["Boni"]


def test_listed_towns_are_separate_incidents(index: ListIndex) -> None:
    art = make_article("On Monday militants attacked army posts in Douentza, Sevare and Niono.")
    assert [r.place.name for r in extract_records(art, index) if r.place] == ["Douentza", "Sevare", "Niono"]


def test_competing_claims_lowest_wins_subsets_are_not_added(index: ListIndex) -> None:
    art = make_article(
        "A rights group says soldiers killed 150 villagers in Boni on Monday.\n\n"
        "Witnesses described the scene.\n\n"
        "Residents buried the dead.\n\n"
        "The army said on Tuesday it had killed 90 terrorists in Boni on Monday."
    )
    r = extract_records(art, index)[0]
    assert (r.fatalities, r.fatalities_high) == (90, 150)
    art2 = make_article(
        "Rebels said they killed 20 soldiers and lost 4 fighters near Kidal on Monday.\n"
        "The army confirmed that two of its soldiers were killed."
    )
    assert extract_records(art2, index)[0].fatalities == 24


def test_undated_report_gets_the_publication_week(index: ListIndex) -> None:
    r = extract_records(make_article("Gunmen killed two herders near Kidal."), index)[0]
    assert (r.event_date, r.time_precision) == (date(2024, 3, 15), 2)
    r2 = extract_records(make_article("Gunmen killed two herders near Kidal.", None), index)[0]
    assert (r2.event_date, r2.time_precision) == (None, None)


def test_empty_and_odd_input_gives_no_records_and_no_error(index: ListIndex) -> None:
    for text in ["", "   \n\n", "Gao", "مالي قتل 5 جنود", "On February 30, gunmen killed 3 in Gao."]:
        recs = extract_records(make_article(text), index)
        assert all(r.record_id.startswith("a1:") for r in recs)
    assert extract_records(make_article(""), index) == []
