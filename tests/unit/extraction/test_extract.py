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
        "Militants first struck the region in 2012.")
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
        "In 2019, a massacre in Mopti left 160 dead.")
    recs = extract_records(art, index)
    assert [(r.place.name if r.place else None, r.sub_event_type) for r in recs] == [
        ("Boni", "Attack"), ("Niono", "Arrests")]
    assert recs[0].fatalities == 7 and recs[1].fatalities is None
    assert [r.record_id for r in recs] == ["a1:0", "a1:1"]


def test_toll_across_parties_and_sentences(index: ListIndex) -> None:
    art = make_article(
        "Jihadists attacked an army post in Hombori on Sunday, killing three soldiers.\n"
        "Eleven assailants were also killed, the army said.")
    r = extract_records(art, index)[0]
    assert r.fatalities == 14 and r.sub_event_type == "Armed clash"


def test_revised_toll_and_earlier_toll(index: ListIndex) -> None:
    art = make_article(
        "Twenty civilians were killed in an attack on Diafarabe on Monday.\n"
        "A local official had earlier said 12 people were killed.")
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
        "Militants on motorbikes attacked an army patrol near the town of Tessalit on Thursday.")
    recs = extract_records(art, index)
    assert len(recs) == 1 and recs[0].place is not None and recs[0].place.name == "Tessalit"
    assert recs[0].fatalities == 15


def test_nothing_from_background_or_sport(index: ListIndex) -> None:
    art = make_article("The national team will play in Bamako. Their coach has a more attacking style.\n"
                       "Since 2012 the conflict has killed thousands.")
    assert extract_records(art, index) == []


def test_deterministic(index: ListIndex) -> None:
    art = make_article("Gunmen killed two traders in Gao on Monday. A drone strike hit Kidal on Tuesday.")
    a = [r.model_dump() for r in extract_records(art, index)]
    b = [r.model_dump() for r in extract_records(art, index)]
    assert a == b and len(a) == 2
