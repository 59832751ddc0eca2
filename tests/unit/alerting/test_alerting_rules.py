"""Alert rules: validation at load, evaluation, threshold crossing, windows, areas, reload."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from sahelwatch.contracts import Actor, CanonicalIncident, IncidentRecord
from sahelwatch.errors import RulesError
from services.alerting.merge import absorb, new_incident
from services.alerting.rules import DEFAULT_RULES_PATH, RuleBook, alert_title, load_rules, parse_rules

NOW = datetime(2026, 11, 20, 23, 0, tzinfo=UTC)  # same as conftest
RecordFactory = Callable[..., IncidentRecord]

KATI = {"name": "Kati", "admin1": "Koulikoro", "latitude": 12.744, "longitude": -8.072}


def rules(*specs: dict[str, Any]) -> Any:
    return parse_rules({"rules": list(specs)})


def incident(record: RecordFactory, rid: str = "art-a:0", **fields: Any) -> CanonicalIncident:
    return new_incident(record(rid, **fields), NOW)


# --------------------------------------------------------------------------- validation


def test_default_rules_load() -> None:
    ruleset = load_rules()
    assert ruleset.names == ["deadly-incident", "near-bamako", "suicide-bombing", "security-advisory"]
    assert ruleset.source == str(DEFAULT_RULES_PATH)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"name": "r1", "fatalities_atleast": 5}, ["'r1'", "fatalities_atleast", "Extra inputs"]),
        ({"name": "r2", "sub_event_types": ["Car bomb"]}, ["'r2'", "sub_event_types", "Car bomb"]),
        ({"name": "r3", "severity": "urgent"}, ["'r3'", "severity"]),
        (
            {"name": "r4", "near": [{"name": "X", "lat": 95, "lon": 0, "radius_km": 5}]},
            ["'r4'", "near.0.lat"],
        ),
        ({"name": "r5", "levels": [{"at": 10}, {"at": 5}]}, ["'r5'", "strictly increasing"]),
        ({"name": "r6", "window": {"count": 1, "hours": 24}}, ["'r6'", "window.count"]),
        ({"name": "r7", "areas": [{"geojson": {"type": "Point", "coordinates": [0, 0]}}]}, ["'r7'", "areas"]),
        ({"severity": "info"}, ["rule #1", "field 'name'", "Field required"]),
        ({"name": "bad name!"}, ["field 'name'"]),
    ],
)
def test_invalid_rules_name_the_rule_and_field(spec: dict[str, Any], expected: list[str]) -> None:
    with pytest.raises(RulesError) as err:
        parse_rules({"rules": [spec]}, source="my.yaml")
    message = str(err.value)
    assert message.startswith("my.yaml: invalid alert rules: rule #1")
    for part in expected:
        assert part in message


def test_duplicate_names_and_bad_documents_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"rule #2 'a': field 'name': duplicate"):
        parse_rules({"rules": [{"name": "a"}, {"name": "a"}]})
    with pytest.raises(RulesError, match="'rules' list"):
        parse_rules(["not", "a", "mapping"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [ {name: x\n")
    with pytest.raises(RulesError, match="invalid YAML"):
        load_rules(bad)
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")


# --------------------------------------------------------------------------- evaluation


def test_default_rules_on_typical_incidents(record: RecordFactory, advisory: RecordFactory) -> None:
    ruleset = load_rules()
    ied = incident(record, fatalities=7)
    (alert,) = ruleset.evaluate(ied)
    assert (alert.rule, alert.severity, alert.follow_up) == ("deadly-incident", "warning", False)
    assert alert.title == "IED in Gao, 7 killed" and "7 killed (>= 5)" in alert.reason
    assert alert.incident_id == ied.incident_id and alert.incident_version == 1
    assert ruleset.evaluate(incident(record, fatalities=2)) == []

    kati = incident(record, location=KATI, fatalities=None)
    assert [a.rule for a in ruleset.evaluate(kati)] == ["near-bamako"]
    assert "from Bamako" in ruleset.evaluate(kati)[0].reason

    bomb = incident(record, sub_event_type="Suicide bomb", fatalities=1)
    assert [(a.rule, a.severity) for a in ruleset.evaluate(bomb)] == [("suicide-bombing", "critical")]

    (adv,) = ruleset.evaluate(new_incident(advisory("adv-a:0"), NOW))
    assert adv.rule == "security-advisory"
    assert adv.title == "Advisory: US Embassy — leave immediately (Mali)"


def test_alert_ids_are_stable_and_updates_realert_only_past_a_threshold(record: RecordFactory) -> None:
    ruleset = load_rules()
    v1 = incident(record, fatalities=7)
    (first,) = ruleset.evaluate(v1)
    assert ruleset.evaluate(v1)[0].alert_id == first.alert_id  # redelivery: same id

    v2, _ = absorb(v1, record("art-b:0", published=NOW, fatalities=12), NOW)
    assert v2.fatalities == 12 and ruleset.evaluate(v2, v1) == []  # still level 5..19

    v3, _ = absorb(v2, record("art-c:0", published=NOW + timedelta(days=1), fatalities=23), NOW)
    (follow,) = ruleset.evaluate(v3, v2)
    assert follow.follow_up and follow.severity == "critical" and follow.alert_id != first.alert_id
    assert follow.title.startswith("Update: IED in Gao, 23 killed")
    assert ruleset.evaluate(v3)[0].alert_id == follow.alert_id  # recomputed without previous: same id


def test_an_update_that_newly_matches_a_rule_is_a_follow_up(record: RecordFactory) -> None:
    ruleset = rules({"name": "near-kati", "near": [{"name": "Kati", "lat": 12.744, "lon": -8.072, "radius_km": 10}]})
    vague = incident(record, location={"name": "Koulikoro", "latitude": 13.5, "longitude": -7.0}, geo_precision=3)
    assert ruleset.evaluate(vague) == []
    sharp, _ = absorb(vague, record("art-b:0", location=KATI), NOW)
    (alert,) = ruleset.evaluate(sharp, vague)
    assert alert.follow_up and alert.rule == "near-kati"


def test_conditions_combine_with_and_lists_with_or(record: RecordFactory) -> None:
    ruleset = rules(
        {
            "name": "jnim-in-segou",
            "kind": "event",
            "event_types": ["Battles", "Explosions/Remote violence"],
            "actors": ["jnim", "Islamic State"],
            "admin1": ["Ségou"],
            "countries": ["ml"],
            "keywords": ["convoy"],
        }
    )
    segou = {"name": "Niono", "admin1": "Segou", "latitude": 14.25, "longitude": -5.99}
    hit = incident(record, location=segou)
    (alert,) = ruleset.evaluate(hit)
    assert "actor jnim" in alert.reason and "keyword 'convoy'" in alert.reason
    assert ruleset.evaluate(incident(record)) == []  # Gao region
    assert ruleset.evaluate(incident(record, location=segou, actors=[Actor(name="Dozo militias")])) == []
    assert ruleset.evaluate(incident(record, location=segou, summary="A bomb exploded.", evidence=[])) == []
    assert ruleset.evaluate(incident(record, location=segou, event_type="Protests", sub_event_type=None)) == []


def test_geojson_area_rule_inline_and_from_file(record: RecordFactory, tmp_path: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[-1, 15.5], [1, 15.5], [1, 17], [-1, 17], [-1, 15.5]]]}
    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "gao.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square}]})
    )
    path = tmp_path / "rules.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "rules": [
                    {"name": "inline", "areas": [{"name": "Gao box", "geojson": square}]},
                    {"name": "from-file", "areas": [{"file": "areas/gao.geojson"}]},
                ]
            }
        )
    )
    ruleset = load_rules(path)
    alerts = ruleset.evaluate(incident(record))
    assert [a.rule for a in alerts] == ["inline", "from-file"] and "inside Gao box" in alerts[0].reason
    assert ruleset.evaluate(incident(record, location=KATI)) == []
    assert ruleset.evaluate(incident(record, located=False)) == []


def test_windowed_rule_counts_incidents_in_a_region(record: RecordFactory) -> None:
    ruleset = rules({"name": "surge", "kind": "event", "severity": "critical", "window": {"count": 3, "hours": 24}})
    mopti = {"name": "Mopti", "admin1": "Mopti", "latitude": 14.49, "longitude": -4.2}
    day = date(2026, 11, 17)
    a = incident(record, "a:0", location=mopti, event_date=day)
    b = incident(record, "b:0", location={**mopti, "name": "Sevare"}, event_date=day)
    c = incident(record, "c:0", location={**mopti, "name": "Djenne"}, event_date=day)
    elsewhere = incident(record, "d:0", event_date=day)  # Gao
    last_week = incident(record, "e:0", location=mopti, event_date=day - timedelta(days=6))
    assert ruleset.evaluate(c, recent=[a, elsewhere, last_week]) == []
    (alert,) = ruleset.evaluate(c, recent=[a, b, elsewhere, last_week])
    assert alert.title == "3 incidents in Mopti within 24 h" and alert.severity == "critical"
    d = incident(record, "f:0", location=mopti, event_date=day)
    (again,) = ruleset.evaluate(d, recent=[a, b, c])
    assert again.alert_id == alert.alert_id  # cooldown: one alert per region per period


def test_disabled_rules_and_titles(record: RecordFactory) -> None:
    assert rules({"name": "off", "enabled": False}).evaluate(incident(record)) == []
    kidnap = incident(
        record,
        sub_event_type="Abduction/forced disappearance",
        event_type="Violence against civilians",
        fatalities=None,
        abducted=4,
        geo_precision=2,
    )
    assert alert_title(kidnap) == "Abduction near Gao, 4 abducted"


# --------------------------------------------------------------------------- reload


def test_rulebook_reloads_on_change_and_keeps_old_rules_when_invalid(tmp_path: Path, record: RecordFactory) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {name: everything}\n")
    book = RuleBook(path)
    assert book.current().names == ["everything"]

    def rewrite(text: str, bump: int) -> None:
        path.write_text(text)
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))

    rewrite("rules:\n  - {name: deadly, fatalities_at_least: 3}\n", 1)
    assert book.current().names == ["deadly"] and book.last_error is None
    rewrite("rules:\n  - {name: deadly, fatalities_at_least: -3}\n", 2)
    assert book.current().names == ["deadly"]
    assert book.last_error is not None and "'deadly'" in book.last_error and "fatalities_at_least" in book.last_error
    rewrite("rules:\n  - {name: fixed}\n", 3)
    assert book.current().names == ["fixed"] and book.last_error is None
    path.unlink()
    assert book.current().names == ["fixed"]


def test_rulebook_refuses_an_invalid_file_at_start(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - {name: x, kind: rumour}\n")
    with pytest.raises(RulesError, match=r"rule #1 'x': field 'kind'"):
        RuleBook(path)


def test_a_raised_advisory_realerts(advisory: RecordFactory) -> None:
    ruleset = load_rules()
    first = new_incident(advisory("adv-a:0", advisory={"issuer": "US Embassy", "level": "ordered departure"}), NOW)
    (alert,) = ruleset.evaluate(first)
    same_level, _ = absorb(
        first, advisory("adv-b:0", advisory={"issuer": "US Embassy", "level": "ordered departure"}), NOW
    )
    assert ruleset.evaluate(same_level, first) == []
    later = NOW + timedelta(days=2)
    raised, change = absorb(same_level, advisory("adv-c:0", published=later), NOW)
    assert change is not None and "advisory" in change.fields
    (update,) = ruleset.evaluate(raised, same_level)
    assert update.follow_up and update.alert_id != alert.alert_id
    assert update.title == "Update: Advisory: US Embassy — leave immediately (Mali)"
