from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.contracts import ActorType
from services.extraction.actors import ActorDictionary
from services.extraction.advisories import find_advisory
from services.extraction.places import find_places

from .conftest import ListIndex


def test_actor_aliases_and_types(actors: ActorDictionary) -> None:
    found = actors.find("Al-Qaeda-linked fighters ambushed FAMa troops and Russian mercenaries", 30)
    names = [a.name for a in found]
    assert names[:3] == ["JNIM", "Malian Armed Forces (FAMa)", "Wagner / Africa Corps"]
    assert found[0].actor_type is ActorType.rebel_group
    assert found[0].side == "perpetrator"


def test_agent_after_by_is_perpetrator(actors: ActorDictionary) -> None:
    found = actors.find("Two traders were shot by Dozo hunters.", 16)
    dozo = next(a for a in found if a.name == "Dozo militias")
    assert dozo.side == "perpetrator" and dozo.actor_type is ActorType.identity_militia


def test_operator_file_extends_dictionary(tmp_path: Path) -> None:
    extra = tmp_path / "more.yaml"
    extra.write_text(
        "actors:\n  - name: Katiba Serma\n    type: Rebel group\n    aliases: [Serma brigade]\n"
        "  - name: JNIM\n    aliases: [the Nusrat group]\n",
        encoding="utf-8",
    )
    d = ActorDictionary.load(extra)
    assert [a.name for a in d.find("The Serma brigade and the Nusrat group fought.")] == [
        "Katiba Serma",
        "JNIM",
    ]


def test_bad_operator_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - name: X\n    type: Aliens\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown type"):
        ActorDictionary.load(bad)


def places(text: str, index: ListIndex) -> list[tuple[str, str, float | None, str | None]]:
    return [
        (f.mention.name, f.mention.relation, f.mention.distance_km, f.mention.direction)
        for f in find_places(text, index.find_spans(text))
    ]


def test_relations(index: ListIndex) -> None:
    assert places("A bomb exploded 25 km from Gao.", index) == [("Gao", "distance", 25.0, None)]
    assert places("Clashes near Douentza left two dead.", index) == [("Douentza", "near", None, None)]
    assert places("The post lies north of Timbuktu.", index) == [("Timbuktu", "direction", None, "north")]
    assert places("Violence in the Tillaberi region.", index) == [("Tillaberi", "region", None, None)]
    assert places("Fighting spread across Niger.", index) == [("Niger", "country", None, None)]


def test_anchor_describing_a_town_is_not_a_second_place(index: ListIndex) -> None:
    assert places("Gunmen attacked Sevare, a town 12 km from Mopti, at dawn.", index) == [("Sevare", "in", None, None)]


def test_destination_and_speaker_place_dropped(index: ListIndex) -> None:
    assert places("The wounded were evacuated to Bamako.", index) == []
    assert places("Gunmen struck Boni, an official said from Bamako.", index) == [("Boni", "in", None, None)]


def test_admin_hint_and_fallback_name(index: ListIndex) -> None:
    found = find_places(
        "Shots were fired in Boni (Douentza, Mopti) overnight.",
        index.find_spans("Shots were fired in Boni (Douentza, Mopti) overnight."),
    )
    assert found[0].mention.admin_hint == "Douentza, Mopti"
    assert places("Gunmen raided the village of Tiguila-Sud at night.", index) == [("Tiguila-Sud", "in", None, None)]


def test_advisories() -> None:
    a = find_advisory("The U.S. Embassy urged citizens to leave the country immediately.")
    assert a is not None and a.advisory.level == "leave immediately" and a.advisory.issuer == "US Embassy"
    b = find_advisory("The army warned of a high risk of suicide attacks in the capital.")
    assert b is not None and b.advisory.level == "attack risk"
    assert find_advisory("Gunmen attacked the market.") is None


def test_generic_soldiers_follow_the_story_country(actors: ActorDictionary) -> None:
    assert [a.name for a in actors.find("Gunmen attacked soldiers.", country="Niger")] == [
        "Unidentified armed group",
        "Niger armed forces",
    ]
    assert [a.name for a in actors.find("Gunmen attacked soldiers.", country="Mali")][1] == (
        "Malian Armed Forces (FAMa)"
    )


def test_listed_unknown_name_after_a_known_town(index: ListIndex) -> None:
    assert [p[0] for p in places("Militants attacked posts in Boni and Tiguila on Friday.", index)] == [
        "Boni",
        "Tiguila",
    ]
