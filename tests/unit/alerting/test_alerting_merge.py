"""Merge policy: which reports are the same incident, and how the canonical incident evolves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sahelwatch.contracts import Actor, Evidence, IncidentRecord
from sahelwatch.geo import haversine_km
from services.alerting.merge import (
    absorb,
    best_match,
    candidate_window,
    incident_id_for,
    merge_all,
    new_incident,
    report_count,
    same_incident,
)

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # same as conftest
RecordFactory = Callable[..., IncidentRecord]

LATER = datetime(2026, 11, 19, 15, 0, tzinfo=UTC)


def test_haversine_bamako_to_kati() -> None:
    assert 13 < haversine_km(12.65, -8.0, 12.744, -8.072) < 14


def test_new_incident_keeps_fields_and_derives_a_stable_id(record: RecordFactory) -> None:
    rec = record("art-a:0")
    inc = new_incident(rec, NOW)
    assert inc.incident_id == incident_id_for("art-a:0") == new_incident(rec, NOW + timedelta(1)).incident_id
    assert inc.incident_id.startswith("inc-") and len(inc.incident_id) == 20
    assert (inc.version, inc.fatalities, inc.fatalities_high) == (1, 2, 2)
    assert [s.record_id for s in inc.sources] == ["art-a:0"]
    assert inc.sources[0].outlet == "outlet-art-a"
    assert inc.first_seen_at == inc.updated_at == NOW


def test_same_attack_reported_by_two_outlets_is_merged(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    other = record(
        "art-b:3",
        location={"name": "Gao", "latitude": 16.30, "longitude": -0.02},
        sub_event_type="Remote explosive/landmine/IED",
        summary="Two Malian soldiers died after a roadside bomb exploded near Gao.",
        actors=[Actor(name="Malian Armed Forces (FAMa)")],
    )
    score = same_incident(other, inc)
    assert score is not None and score.score >= 0.5
    assert "same day" in score.reasons and score.distance_km is not None and score.distance_km < 5
    assert best_match(other, [inc]) is inc


def test_same_place_on_different_days_is_never_merged(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    three_days_later = record("art-b:0", event_date=date(2026, 11, 20))
    next_day_no_corroboration = record(
        "art-c:0",
        event_date=date(2026, 11, 18),
        actors=[],
        fatalities=5,
        summary="Blast in Gao.",
        evidence=[],
    )
    assert same_incident(three_days_later, inc) is None
    assert same_incident(next_day_no_corroboration, inc) is None


def test_one_day_apart_merges_only_when_corroborated(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    overnight = record("art-b:0", event_date=date(2026, 11, 18))  # same actors, same toll
    score = same_incident(overnight, inc)
    assert score is not None and "dates one day apart" in score.reasons


def test_sixty_km_apart_is_not_merged(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    far = record("art-b:0", location={"name": "Somewhere", "latitude": 16.27 + 0.54, "longitude": -0.04})
    assert 55 < haversine_km(16.27, -0.04, 16.81, -0.04) < 65
    assert same_incident(far, inc) is None


def test_different_event_families_and_kinds_are_not_merged(record: RecordFactory, advisory: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    protest = record("art-b:0", event_type="Protests", sub_event_type="Peaceful protest")
    assert same_incident(protest, inc) is None
    assert same_incident(advisory("adv-x:0"), inc) is None


def test_two_incidents_of_one_article_stay_apart(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    assert same_incident(record("art-a:1"), inc) is None


def test_week_precision_overlaps_a_day_in_that_week(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    vague = record("art-b:0", event_date=date(2026, 11, 19), precision=2)
    far_week = record("art-c:0", event_date=date(2026, 11, 1), precision=2)
    assert same_incident(vague, inc) is not None
    assert same_incident(far_week, inc) is None


def test_region_only_report_needs_corroboration(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    region = {"name": "Gao", "latitude": 16.5, "longitude": 0.5}
    bare = record("art-b:0", location=region, geo_precision=3, actors=[], fatalities=None, summary=None, evidence=[])
    corroborated = record("art-c:0", location=region, geo_precision=3)
    assert same_incident(bare, inc) is None
    assert same_incident(corroborated, inc) is not None
    other_region = record("art-d:0", location={**region, "admin1": "Mopti"}, geo_precision=3)
    assert same_incident(other_region, inc) is None


def test_toll_raised_by_a_later_report_makes_version_two_with_a_change(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    later = record("art-b:0", published=LATER, fatalities=7)
    updated, change = absorb(inc, later, NOW + timedelta(hours=1))
    assert change is not None
    assert (updated.version, updated.fatalities, updated.fatalities_high) == (2, 7, 7)
    assert change.version == 2 and change.record_id == "art-b:0"
    assert change.fields["fatalities"] == [2, 7] and change.fields["fatalities_high"] == [2, 7]
    assert updated.changes == [change]
    assert [s.record_id for s in updated.sources] == ["art-a:0", "art-b:0"]
    assert (inc.version, inc.fatalities, len(inc.sources)) == (1, 2, 1)  # input untouched


def test_concurrent_reports_keep_the_lowest_toll_and_the_highest_as_high(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0", fatalities=5), NOW)
    same_morning = record("art-b:0", published=datetime(2026, 11, 18, 11, 0, tzinfo=UTC), fatalities=3)
    updated, change = absorb(inc, same_morning, NOW)
    assert (updated.fatalities, updated.fatalities_high) == (3, 5)
    assert change is not None and change.fields["fatalities"] == [5, 3]


def test_stale_or_lower_later_reports_never_lower_the_toll(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0", published=LATER, fatalities=10), NOW)
    stale = record("art-b:0", published=datetime(2026, 11, 17, 20, 0, tzinfo=UTC), fatalities=4)
    updated, _ = absorb(inc, stale, NOW)
    assert (updated.fatalities, updated.fatalities_high) == (10, 10)
    partial = record("art-c:0", published=LATER + timedelta(days=1), fatalities=2)
    updated, _ = absorb(updated, partial, NOW)
    assert updated.fatalities == 10


def test_sharper_place_and_date_update_the_incident(record: RecordFactory) -> None:
    vague = record(
        "art-a:0", location={"name": "Gao", "latitude": 16.5, "longitude": 0.5}, geo_precision=3, precision=2
    )
    inc = new_incident(vague, NOW)
    sharp = record("art-b:0", published=LATER, location={"name": "Tabankort", "latitude": 16.3, "longitude": 0.1})
    updated, change = absorb(inc, sharp, NOW)
    assert change is not None and updated.version == 2
    assert updated.location is not None and updated.location.name == "Tabankort"
    assert updated.location.geo_precision == 1 and updated.time_precision == 1
    assert set(change.fields) >= {"location", "time_precision"}
    assert change.fields["location"][1]["name"] == "Tabankort"  # type: ignore[index]


def test_reabsorbing_a_known_record_changes_nothing(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    later = record("art-b:0", published=LATER, fatalities=7)
    once, _ = absorb(inc, later, NOW)
    twice, change = absorb(once, later, NOW + timedelta(hours=5))
    assert change is None and twice is once
    again, change = absorb(once, record("art-a:0"), NOW + timedelta(hours=5))
    assert change is None and again == once


def test_adding_a_source_without_new_facts_keeps_the_version(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    echo = record("art-b:0", evidence=[Evidence(field="location", sentence="The blast hit near Gao.")])
    updated, change = absorb(inc, echo, NOW + timedelta(minutes=5))
    assert change is None and updated.version == 1 and len(updated.sources) == 2
    assert updated.updated_at == NOW + timedelta(minutes=5) and len(updated.evidence) == 2


def test_advisories_merge_with_advisories_of_the_same_issuer(advisory: RecordFactory) -> None:
    first = new_incident(advisory("adv-a:0"), NOW)
    repeat = advisory("adv-b:0", event_date=date(2026, 11, 20))
    other_issuer = advisory("adv-c:0", advisory={"issuer": "French Embassy", "level": "leave", "area": "Mali"})
    months_later = advisory("adv-d:0", event_date=date(2027, 2, 1))
    assert same_incident(repeat, first) is not None
    assert same_incident(other_issuer, first) is None
    assert same_incident(months_later, first) is None


def test_merge_all_is_order_independent(record: RecordFactory, advisory: RecordFactory) -> None:
    records = [
        record("art-a:0"),
        record("art-b:0", published=LATER, fatalities=7),
        record("art-b:1", location={"name": "Mopti", "admin1": "Mopti", "latitude": 14.49, "longitude": -4.2}),
        record("art-c:0", event_date=date(2026, 11, 12)),
        advisory("adv-a:0"),
        advisory("adv-b:0", published=LATER),
    ]
    forward = merge_all(records, NOW)
    backward = merge_all(list(reversed(records)), NOW)
    assert [i.model_dump() for i in forward] == [i.model_dump() for i in backward]
    groups = sorted(sorted(s.record_id for s in i.sources) for i in forward)
    assert groups == [["adv-a:0", "adv-b:0"], ["art-a:0", "art-b:0"], ["art-b:1"], ["art-c:0"]]
    gao = next(i for i in forward if len(i.sources) == 2 and i.kind.value == "event")
    assert gao.incident_id == incident_id_for("art-a:0") and gao.fatalities == 7 and gao.version == 2


def test_candidate_window_covers_the_merge_windows(record: RecordFactory, advisory: RecordFactory) -> None:
    low, high = candidate_window(record("art-a:0"))
    assert low is not None and high is not None and low < date(2026, 11, 1) and high > date(2026, 12, 2)
    assert candidate_window(record("art-a:0", event_date=None, published=None)) == (None, None)
    low, high = candidate_window(advisory("adv-a:0"))
    assert (low, high) == (date(2026, 11, 10), date(2026, 11, 24))


def test_undated_reports_merge_only_in_the_same_town_with_agreeing_tolls(record: RecordFactory) -> None:
    def undated(rid: str, **fields: object) -> IncidentRecord:
        base: dict[str, object] = {"event_date": None, "published": None, "actors": [], "summary": None}
        return record(rid, **{**base, "evidence": [], **fields})

    inc = new_incident(undated("art-a:0", fatalities=132), NOW)
    assert same_incident(undated("art-b:0", fatalities=160), inc) is not None
    assert same_incident(undated("art-c:0", fatalities=21), inc) is None  # toll contradicts
    town_20km_away = {"name": "Elsewhere", "latitude": 16.27 + 0.18, "longitude": -0.04}
    assert same_incident(undated("art-d:0", fatalities=132, location=town_20km_away), inc) is not None
    assert same_incident(undated("art-e:0", fatalities=140, location=town_20km_away), inc) is None


def test_two_named_villages_the_same_day_need_more_than_generic_actors(record: RecordFactory) -> None:
    generic = [Actor(name="Unidentified Armed Group (Mali)"), Actor(name="Civilians (Mali)")]
    village = {"name": "Village A", "latitude": 16.27, "longitude": -0.04}
    other_village = {"name": "Village B", "latitude": 16.27 + 0.18, "longitude": -0.04}  # 20 km north
    inc = new_incident(record("art-a:0", location=village, actors=generic, fatalities=3, summary=None), NOW)
    twin = record("art-b:0", location=other_village, actors=generic, fatalities=5, summary=None, evidence=[])
    assert same_incident(twin, inc) is None
    near_town = record("art-c:0", location=other_village, geo_precision=2, actors=generic, fatalities=5)
    assert same_incident(near_town, inc) is not None  # "near Village B": may well be the same attack
    different_type = record(
        "art-d:0",
        location=village,
        event_type="Battles",
        sub_event_type="Armed clash",
        summary=None,
        evidence=[],
    )
    assert same_incident(different_type.model_copy(update={"actors": generic, "fatalities": 9}), inc) is None
    assert same_incident(different_type.model_copy(update={"fatalities": 3}), inc) is not None  # same toll


def test_syndicated_copies_keep_their_url_but_count_as_one_report(record: RecordFactory) -> None:
    inc = new_incident(record("art-a:0"), NOW)
    assert inc.report_count == 1
    copy = record("art-a-copy:0", duplicate_of="art-a")
    inc, _ = absorb(inc, copy, NOW)
    assert [s.url for s in inc.sources] == ["https://example.org/art-a:0", "https://example.org/art-a-copy:0"]
    assert inc.sources[1].duplicate_of == "art-a"
    assert inc.report_count == 1
    inc, _ = absorb(inc, record("art-b:0"), NOW)
    assert inc.report_count == 2
    # a copy of an article whose own report is not among the sources is still one report
    inc, _ = absorb(inc, record("art-c-copy:0", duplicate_of="art-c"), NOW)
    assert inc.report_count == 3


def test_report_count_groups_copies_with_their_original(record: RecordFactory) -> None:
    sources = [
        new_incident(record(rid, **({"duplicate_of": dup} if dup else {})), NOW).sources[0]
        for rid, dup in [("a:0", None), ("b:0", "a"), ("c:0", "a"), ("d:0", None)]
    ]
    assert report_count(sources) == 2
    assert report_count([]) == 0
