"""One incident's death toll from the figures its sentences give (the brief's conservative rule).

- the first current exact figure counts ("more than N" / "dozens" only when nothing exact is
  given; a superseded "had earlier said" figure only when nothing else is);
- a revised toll ("the toll rose to 31") replaces it;
- another party's toll told right after it is added ("killing one soldier" + "seven assailants
  were killed" = 8), a figure for a subset of the same parties is not ("two of its soldiers");
- a competing claim told elsewhere about other victims (300 "civilians" vs 203 "terrorists") is a
  rival count of the same dead: the lowest wins, the highest becomes ``fatalities_high``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.extraction.mentions import Mention


@dataclass
class Toll:
    fatalities: int | None = None
    high: int | None = None
    sentences: list[str] = field(default_factory=list)


def incident_toll(mentions: list[Mention]) -> Toll:
    with_figure = [m for m in mentions if m.casualties.killed is not None]
    figures = [m for m in with_figure if not m.casualties.earlier] or with_figure
    exact = [m for m in figures if not m.casualties.killed_bound]
    revised = [m for m in figures if m.casualties.revised]
    chosen = revised[-1:] or (exact or figures)[:1]
    if not chosen:
        return Toll()
    first = chosen[0]
    c = first.casualties
    assert c.killed is not None
    toll = Toll(c.killed, c.killed_high, [first.sentence.text])
    parties = set(c.parties)
    rivals: list[int] = []
    for m in exact:
        mc = m.casualties
        if m is first or mc.killed is None or not mc.parties or revised:
            continue
        near = abs(m.sentence.index - first.sentence.index) <= 2
        known = "other" not in mc.parties and "other" not in parties
        if near and known and not mc.parties & parties:
            toll.fatalities = (toll.fatalities or 0) + mc.killed
            parties |= mc.parties
            toll.sentences.append(m.sentence.text)
        elif not near and known and not mc.parties <= parties:
            rivals.append(mc.killed)
    if rivals and toll.fatalities is not None:
        low = min([toll.fatalities, *rivals])
        if low < toll.fatalities:
            toll.sentences.append(next(m.sentence.text for m in exact if m.casualties.killed == low))
        toll.high = max([toll.fatalities, *rivals, toll.high or 0])
        toll.fatalities = low
    others = [m.casualties.killed for m in exact if m.casualties.killed is not None]
    top = max([*others, *(x.casualties.killed_high or 0 for x in figures)])
    if toll.fatalities is not None and top > toll.fatalities and toll.high is None:
        toll.high = top
    if toll.high is not None and toll.fatalities is not None and toll.high <= toll.fatalities:
        toll.high = None
    return toll
