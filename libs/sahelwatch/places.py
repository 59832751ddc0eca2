"""What extraction needs from a gazetteer: where known place names stand in a text.

The gazetteer (sahelwatch.gazetteer) implements ``PlaceIndex``; extraction depends only on this
protocol, so its grammar can be tested with a handful of names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

PlaceKind = Literal["settlement", "admin1", "admin2", "country", "other"]


@dataclass(frozen=True, slots=True)
class PlaceSpan:
    start: int
    end: int
    name: str  # the words as they stand in the text
    kind: PlaceKind  # the most likely kind of feature this name denotes


class PlaceIndex(Protocol):
    def find_spans(self, text: str) -> list[PlaceSpan]:
        """Known place names in ``text``, longest match first, non-overlapping, in text order."""
        ...
