from __future__ import annotations

import pytest

from sahelwatch.gazetteer.names import (
    compact,
    display_admin,
    head_alias,
    normalize,
    phonetic,
    strip_admin_words,
    tamasheq_stem,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sévaré", "sevare"),
        ("Ségou-Ville", "segou ville"),
        ("Ti-n-Zaouâtene", "ti n zaouatene"),
        ("N’Tillit", "n tillit"),
        ("  TOMBOUCTOU ", "tombouctou"),
        ("Cercle d’ Abeïbara", "cercle d abeibara"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_compact_joins_spacing_variants() -> None:
    assert compact("Tin Zaouatene") == compact("Ti-n-Zaouâtene") == "tinzaouatene"


def test_admin_words() -> None:
    assert strip_admin_words("Kati Cercle") == "kati"
    assert strip_admin_words("Cercle de Kangaba") == "kangaba"
    assert strip_admin_words("Mopti Region") == "mopti"
    assert strip_admin_words("Région de Tombouctou") == "tombouctou"
    assert display_admin("Cercle d’ Abeïbara") == "Abeïbara"
    assert display_admin("Ménaka Region") == "Ménaka"


def test_head_alias_only_for_qualifiers() -> None:
    assert head_alias("ogassagou dogon") == "ogassagou"
    assert head_alias("in ekar ouest") == "in ekar"
    assert head_alias("bourem inaly") is None


def test_phonetic_spellings_meet() -> None:
    assert phonetic("dialloube") == phonetic("dyaloube")
    assert phonetic("gnimignama") == phonetic("nyiminyama")
    assert phonetic("diabaly") == phonetic("diabali")
    assert phonetic("kati") != phonetic("kari")


def test_tamasheq_stem() -> None:
    assert tamasheq_stem("ntillit") == tamasheq_stem("i n tillit", spaced=True) == "tillit"
    assert tamasheq_stem("niono", spaced=True) is None
