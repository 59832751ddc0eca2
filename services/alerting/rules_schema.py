"""The alert rules file format: pydantic models, validated when the file is loaded.

Within one rule every condition given must hold (AND); within a list condition any item may
match (OR). A rule with no condition matches every incident.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sahelwatch.contracts import SUB_EVENT_TYPES, EventType, Kind

Severity = Literal["info", "warning", "critical"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NearPoint(_Strict):
    """Within ``radius_km`` of a named point."""

    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0, le=2000)


class Area(_Strict):
    """A GeoJSON area of interest: a file (relative to the rules file) or inline GeoJSON."""

    name: str | None = None
    file: str | None = None
    geojson: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Area:
        if (self.file is None) == (self.geojson is None):
            raise ValueError("give exactly one of 'file' or 'geojson'")
        return self


class Level(_Strict):
    """A fatality threshold; crossing a higher one re-alerts (a follow-up)."""

    at: int = Field(ge=0)
    severity: Severity | None = None


class Window(_Strict):
    """At least ``count`` matching incidents in the same region (admin1) within ``hours``."""

    count: int = Field(ge=2)
    hours: float = Field(gt=0)
    cooldown_hours: float | None = Field(
        default=None, gt=0, description="One alert per region per period; default: hours."
    )


class RuleSpec(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    description: str | None = None
    severity: Severity = "warning"
    enabled: bool = True
    kind: Kind | None = None
    event_types: list[EventType] = Field(default_factory=list)
    sub_event_types: list[str] = Field(default_factory=list)
    fatalities_at_least: int | None = Field(default=None, ge=0)
    levels: list[Level] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list, description="Substring of a normalised actor name.")
    admin1: list[str] = Field(default_factory=list, description="Region names (accents ignored).")
    countries: list[str] = Field(default_factory=list, description="ISO-3166 alpha-2 codes.")
    keywords: list[str] = Field(default_factory=list, description="Whole words in summary/evidence/place.")
    near: list[NearPoint] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    window: Window | None = None

    @field_validator("sub_event_types")
    @classmethod
    def _known_sub_events(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in SUB_EVENT_TYPES]
        if unknown:
            raise ValueError(f"unknown sub-event type(s) {unknown}; expected ACLED names such as 'Suicide bomb'")
        return value

    @field_validator("countries")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if len(v) != 2 or not v.isalpha()]
        if bad:
            raise ValueError(f"expected two-letter country codes, got {bad}")
        return [v.upper() for v in value]

    @model_validator(mode="after")
    def _levels(self) -> RuleSpec:
        ats = [level.at for level in self.levels]
        if ats != sorted(set(ats)):
            raise ValueError("levels: 'at' values must be strictly increasing")
        if ats and self.fatalities_at_least is not None and ats[0] != self.fatalities_at_least:
            raise ValueError("levels: the first level must equal fatalities_at_least")
        if self.window is not None and self.levels:
            raise ValueError("window: a windowed rule cannot have fatality levels")
        return self

    def thresholds(self) -> list[Level]:
        """Fatality levels, lowest first (``fatalities_at_least`` alone is one level)."""
        if self.levels:
            return list(self.levels)
        if self.fatalities_at_least is not None:
            return [Level(at=self.fatalities_at_least)]
        return []


class RulesFile(_Strict):
    version: int = 1
    rules: list[dict[str, Any]]
