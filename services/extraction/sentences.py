"""Sentence splitting with character offsets (no I/O, no models).

Line breaks always end a sentence (news text keeps headlines, captions and paragraphs on their
own lines); inside a line, ``.!?`` followed by a capital or a quote ends one, except after common
abbreviations ("Gen.", "Col.", "U.S.", "a.m.") and initials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int


_ABBREV = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "col",
        "lt",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "st",
        "mt",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.n",
        "a.m",
        "p.m",
        "e.g",
        "i.e",
        "etc",
        "vs",
        "approx",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "govt",
        "min",
        "sen",
        "rep",
    }
)
_LINE_RE = re.compile(r"[^\n]+")
_END_RE = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9À-Ý])")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    paragraph = 0
    prev_end = 0
    for line in _LINE_RE.finditer(text):
        if text.count("\n", prev_end, line.start()) > 1 or not out:
            paragraph += 1
        prev_end = line.end()
        base = line.start()
        s = line.group()
        cut = 0
        for m in _END_RE.finditer(s):
            before = _WORD_BEFORE_RE.search(s, 0, m.start())
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            _emit(out, text, base + cut, base + m.end(), paragraph)
            cut = m.end()
        _emit(out, text, base + cut, line.end(), paragraph)
    return out


def _emit(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(len(out), start, end, text[start:end], paragraph))
