"""MinHash LSH near-duplicates: syndicated copies found, other reports of the same event not."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ingest.clean import clean_text
from services.ingest.near_duplicates import NearDuplicateIndex, shingles

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def seed_text(name: str) -> str:
    return clean_text((SEEDS / name).read_text(encoding="utf-8"))


def reworded(text: str) -> str:
    """A syndicated copy: a new headline, a few words changed, a sentence dropped, chrome added."""
    lines = text.split("\n\n")
    body = "\n\n".join(lines[1:-1])
    for old, new in (
        ("coordinated insurgent attacks", "coordinated militant attacks"),
        ("Analysts say", "Analysts said"),
        ("a city in central Mali", "a town in central Mali"),
        ("is getting worse", "is worsening"),
        ("in recent months", "over recent months"),
    ):
        assert old in body
        body = body.replace(old, new)
    return f"Share this article\n\nMali: 18 killed in insurgent attacks\n\n{body}\n\nRead more: Mali news"


def test_lightly_reworded_copy_is_a_near_duplicate() -> None:
    index = NearDuplicateIndex()
    assert index.add("art-voa", seed_text("seed_001.txt")) is None
    assert index.add("art-copy", clean_text(reworded(seed_text("seed_001.txt")))) == "art-voa"


def test_other_report_of_the_same_event_is_not() -> None:
    index = NearDuplicateIndex()
    assert index.add("art-voa", seed_text("seed_001.txt")) is None
    for name in ("seed_000.txt", "seed_002.txt", "seed_003.txt", "seed_004.txt"):
        assert index.add(name, seed_text(name)) is None, name


def test_copy_of_a_copy_points_at_the_first() -> None:
    index = NearDuplicateIndex()
    original = seed_text("seed_004.txt")
    index.add("art-1", original)
    assert index.add("art-2", original.replace("Colonel Assimi Goita", "Col. Assimi Goita")) == "art-1"
    assert index.add("art-3", original.replace("heavy gunfire", "intense gunfire")) == "art-1"


def test_add_is_idempotent() -> None:
    index = NearDuplicateIndex()
    text = seed_text("seed_004.txt")
    index.add("art-1", text)
    assert index.add("art-2", text) == "art-1"
    assert index.add("art-2", text) == "art-1"  # redelivery: same answer, nothing re-indexed
    assert index.add("art-1", text) is None
    assert len(index) == 2


def test_signatures_round_trip_through_storage() -> None:
    first = NearDuplicateIndex()
    first.add("art-voa", seed_text("seed_001.txt"))
    stored = list(first.export())
    assert stored[0][0] == "art-voa"
    assert len(stored[0][1]) == first.num_perm and all(isinstance(v, int) for v in stored[0][1])

    rebuilt = NearDuplicateIndex()  # a restarted service
    for article_id, signature, duplicate_of in stored:
        rebuilt.add_signature(article_id, signature, duplicate_of)
    copy = clean_text(reworded(seed_text("seed_001.txt")))
    assert rebuilt.query(rebuilt.signature(copy)) == "art-voa"
    assert rebuilt.signature(copy) == first.signature(copy)  # deterministic across instances


def test_wrong_signature_length_refused() -> None:
    index = NearDuplicateIndex(num_perm=64)
    with pytest.raises(ValueError, match="num_perm=64"):
        index.add_signature("art-x", [1] * 128)


def test_empty_and_short_texts() -> None:
    index = NearDuplicateIndex()
    assert index.add("art-empty", "") is None
    assert index.add("art-empty-2", "  ...  ") is None
    assert shingles("Two words") == {b"two words"}
    assert index.add("art-short", "Five killed in Gao.") is None
    assert index.add("art-short-2", "five killed in gao") == "art-short"
