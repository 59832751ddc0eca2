"""Incident-level type decisions (ACLED coding rules), on sentences written for these tests."""

from __future__ import annotations

import pytest

from services.extraction.extract import extract_records
from services.extraction.victims import victim_side

from .conftest import ListIndex, make_article


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Gunmen killed a shopkeeper in the market.", "civilian"),
        ("Gunmen shot dead a police officer at the checkpoint.", "armed"),
        ("Three herdsmen were killed by militiamen.", "civilian"),
        ("Two soldiers were wounded by sniper fire.", "armed"),
        ("Something happened.", None),
    ],
)
def test_victim_side(text: str, side: str | None) -> None:
    assert victim_side(text) == side


def sub_type(text: str, index: ListIndex) -> str | None:
    recs = extract_records(make_article(text), index)
    assert len(recs) == 1, recs
    return recs[0].sub_event_type


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "On Monday militants ambushed an army convoy near Boni with an IED followed by small arms fire, "
            "killing three soldiers.",
            "Armed clash",
        ),
        (
            "On Monday an IED struck a bus near Boni, killing three passengers.",
            "Remote explosive/landmine/IED",
        ),
        ("On Monday gunmen abducted and executed four traders near Boni.", "Attack"),
        ("On Monday gunmen abducted four traders near Boni.", "Abduction/forced disappearance"),
        ("On Monday soldiers arrested and tortured six herders in Boni.", "Attack"),
        ("On Monday gunmen assassinated a militia leader in Boni.", "Armed clash"),
        ("On Monday gunmen seized a vehicle of an aid group in Gao.", "Looting/property destruction"),
        ("On Monday a car bomb was thwarted at the gate of the Kati camp.", "Disrupted weapons use"),
        ("On Monday the army took possession of the camp in Ansongo.", "Non-violent transfer of territory"),
        ("On Monday gunmen attacked the village of Boni and residents returned fire.", "Armed clash"),
        ("On Monday gunmen abducted two militiamen near Boni.", "Armed clash"),
        ("On Monday French forces raided a camp near Menaka and arrested four suspects.", "Armed clash"),
        ("On Monday gunmen shot at a bus near Boni, killing a trader.", "Attack"),
    ],
)
def test_incident_types(text: str, sub: str, index: ListIndex) -> None:
    assert sub_type(text, index) == sub
