"""Case-insensitive rules run as case-sensitive patterns over the lowered sentence.

Python's ``re`` gives up its literal prefix scan under IGNORECASE, so a long alternation of
trigger words costs about twice as much; lowering the sentence once and matching case-sensitively
finds the same spans (when lowering keeps every offset, checked by the caller).
"""

from __future__ import annotations

import re


def on_lowered(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` without IGNORECASE, or None when it reads capitals (``(?-i:...)``, capital literals)."""
    literal = re.sub(r"\\[A-Za-z]", "", rx.pattern)
    if "(?-i:" in rx.pattern or re.search(r"[A-ZÀ-Ý]", literal):
        return None
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


def lowered(text: str) -> str | None:
    """``text`` lowered, or None when lowering would move offsets (a few Unicode letters)."""
    low = text.lower()
    return low if len(low) == len(text) else None
