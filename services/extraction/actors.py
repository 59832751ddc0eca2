"""A maintained dictionary of Sahel actors (``actors.yaml``) and finding them in a sentence.

Operators extend it with their own YAML (same format) passed to ``ActorDictionary.load``.
Aliases compile to one regex; the longest alias wins at a position, so "Malian Armed Forces"
is not read as "forces".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sahelwatch.contracts import Actor, ActorType

_GENERIC_STATE = frozenset(
    {
        "the army",
        "the military",
        "soldiers",
        "troops",
        "armed forces",
        "security forces",
        "gendarmes",
        "gendarmerie",
        "police",
        "national guard",
    }
)
_BY_AGENT = re.compile(r"\b(?:by|par)\s+(?:the\s+|suspected\s+|alleged\s+|presumed\s+)*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ActorSpan:
    start: int
    end: int
    name: str


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    actor_type: ActorType | None
    aliases: tuple[str, ...]


class ActorDictionary:
    """Actors and their aliases; ``find`` lists the actors a sentence names, in text order."""

    def __init__(self, entries: Iterable[ActorEntry]) -> None:
        self.entries: dict[str, ActorEntry] = {}
        for e in entries:
            old = self.entries.get(e.name)
            if old is not None:
                e = ActorEntry(e.name, e.actor_type or old.actor_type, old.aliases + e.aliases)
            self.entries[e.name] = e
        alias_to: dict[str, str] = {}
        exact: dict[str, str] = {}
        for e in self.entries.values():
            for a in (e.name, *e.aliases):
                if len(a) > 1 and a.isupper():
                    exact[a] = e.name
                else:
                    alias_to.setdefault(a.lower(), e.name)
        self._lower = alias_to
        self._exact = exact
        parts = [re.escape(a) for a in sorted(alias_to, key=len, reverse=True)]
        self._rx_ci = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
        parts_cs = [re.escape(a) for a in sorted(exact, key=len, reverse=True)]
        self._rx_cs = re.compile(r"(?<![\w-])(?:" + "|".join(parts_cs) + r")(?![\w-])") if parts_cs else None

    @classmethod
    def load(cls, extra: str | Path | Iterable[str | Path] | None = None) -> ActorDictionary:
        """The packaged ``actors.yaml`` plus any operator files (later files add aliases / actors)."""
        text = resources.files("services.extraction").joinpath("actors.yaml").read_text(encoding="utf-8")
        entries = list(_parse(yaml.safe_load(text), "actors.yaml"))
        if extra is None:
            paths: list[str | Path] = []
        else:
            paths = [extra] if isinstance(extra, str | Path) else list(extra)
        for p in paths:
            entries.extend(_parse(yaml.safe_load(Path(p).read_text(encoding="utf-8")), str(p)))
        return cls(entries)

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for m in self._rx_ci.finditer(text):
            spans.append((m.start(), m.end(), self._lower[m.group().lower()]))
        if self._rx_cs is not None:
            for m in self._rx_cs.finditer(text):
                if not any(s < m.end() and m.start() < e for s, e, _ in spans):
                    spans.append((m.start(), m.end(), self._exact[m.group()]))
        spans.sort()
        return spans

    def _national(self, name: str, words: str, country: str | None) -> str:
        """ "soldiers" in a Niger story are Niger's forces, not Mali's (when the dictionary has them)."""
        if country is None or country == "Mali" or words.lower() not in _GENERIC_STATE:
            return name
        entry = self.entries.get(name)
        if entry is None or entry.actor_type is not ActorType.state_forces:
            return name
        local = f"{country} armed forces"
        return local if local in self.entries else name

    def spans(self, text: str) -> list[ActorSpan]:
        """Where actors are named in ``text`` (a place name inside "Katiba Macina" is not a place)."""
        return [ActorSpan(s, e, n) for s, e, n in self._spans(text)]

    def find(
        self,
        text: str,
        trigger_at: int | None = None,
        spans: list[ActorSpan] | None = None,
        country: str | None = None,
    ) -> list[Actor]:
        """Actors named in ``text``; side is guessed from word order around the trigger."""
        found = [(a.start, a.end, a.name) for a in spans] if spans is not None else self._spans(text)
        out: list[Actor] = []
        seen: set[str] = set()
        for s, e, name in found:
            name = self._national(name, text[s:e], country)
            if name in seen:
                continue
            seen.add(name)
            entry = self.entries[name]
            side: str = "unknown"
            if _BY_AGENT.search(text, max(0, s - 30), s):
                side = "perpetrator"
            elif entry.actor_type is ActorType.civilians:
                side = "target"
            elif trigger_at is not None:
                side = "perpetrator" if s < trigger_at else "target"
            out.append(Actor(name=name, actor_type=entry.actor_type, side=side, mention=text[s:e]))
        return out


def _parse(data: Any, where: str) -> Iterable[ActorEntry]:
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ValueError(f"{where}: expected a mapping with an 'actors' list")
    types = {t.value.lower(): t for t in ActorType}
    for i, item in enumerate(data["actors"]):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ValueError(f"{where}: actors[{i}] needs a 'name'")
        t = item.get("type")
        if t is not None and str(t).lower() not in types:
            raise ValueError(f"{where}: actors[{i}] has unknown type {t!r} (use one of ACLED's actor types)")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list):
            raise ValueError(f"{where}: actors[{i}].aliases must be a list")
        yield ActorEntry(item["name"], types[str(t).lower()] if t is not None else None, tuple(str(a) for a in aliases))
