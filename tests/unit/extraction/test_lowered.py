"""Rules matched on the lowered sentence find what the IGNORECASE rules find."""

from __future__ import annotations

import re

from services.extraction.events import _RULES, classify_sentence
from services.extraction.lowered import lowered, on_lowered


def test_rules_reading_capitals_keep_their_case_sensitive_form() -> None:
    assert on_lowered(re.compile(r"\b(?:seized|took) (?-i:[A-Z])\w+", re.IGNORECASE)) is None
    assert on_lowered(re.compile(r"\bState Department", re.IGNORECASE)) is None
    fast = on_lowered(re.compile(r"\bambush\w*", re.IGNORECASE))
    assert fast is not None and not fast.flags & re.IGNORECASE


def test_same_hits_as_the_case_insensitive_rules() -> None:
    text = "On Monday JNIM Militants AMBUSHED an army convoy near Boni and Seized Hombori."
    hits = {(h.sub_event_type, h.trigger, h.start) for h in classify_sentence(text)}
    slow = set()
    for sub, rx, _ in _RULES:
        m = rx.search(text)
        if m is not None:
            slow.add((sub, m.group(), m.start()))
    assert hits == slow
    assert ("Armed clash", "AMBUSHED", text.index("AMBUSHED")) in hits


def test_text_whose_lowering_moves_offsets_uses_the_original_rules() -> None:
    text = "İnhabitants said gunmen ambushed a convoy."
    assert lowered(text) is None
    assert [h.trigger for h in classify_sentence(text) if h.sub_event_type == "Armed clash"] == ["ambushed"]
