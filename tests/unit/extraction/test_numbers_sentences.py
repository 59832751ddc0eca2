from __future__ import annotations

import pytest

from services.extraction.numbers import is_vague, parse_number
from services.extraction.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("1,250", 1250),
        ("three", 3),
        ("twenty-four", 24),
        ("ninety nine", 99),
        ("a dozen", 12),
        ("dozens", 12),
        ("two hundred", 200),
        ("quinze", 15),
        ("une dizaine", 10),
    ],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_vague_plurals_are_bounds_but_a_dozen_is_a_count() -> None:
    assert is_vague("dozens")
    assert is_vague("hundreds")
    assert not is_vague("a dozen")


def test_sentences_keep_abbreviations_and_offsets() -> None:
    text = "Col. Keita said the U.S. team left. Gunmen struck Boni.\nA new line"
    sents = split_sentences(text)
    assert [s.text for s in sents] == [
        "Col. Keita said the U.S. team left.",
        "Gunmen struck Boni.",
        "A new line",
    ]
    assert all(text[s.start : s.end] == s.text for s in sents)


def test_blank_line_starts_a_new_paragraph() -> None:
    sents = split_sentences("One thing happened.\n\nAnother thing.")
    assert sents[0].paragraph != sents[1].paragraph
