"""Configuration from the environment (prefix ``SAHELWATCH_``; ``REDIS_URL`` / ``MONGO_URL`` as is).

Validated when built: a bad value stops the service at start with a message naming the variable.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sahelwatch.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = PROJECT_ROOT.parent / "shared"

SERVICE_PORTS = {"ingest": 8000, "extraction": 8001, "geocoding": 8002, "alerting": 8003}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAHELWATCH_", extra="ignore")

    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL", "SAHELWATCH_REDIS_URL"))
    mongo_url: str | None = Field(default=None, validation_alias=AliasChoices("MONGO_URL", "SAHELWATCH_MONGO_URL"))
    mongo_db: str = "sahelwatch"
    state_dir: Path = Field(default=Path(".sahelwatch"), description="Local stack data, logs and pids.")

    host: str = "127.0.0.1"
    port: int | None = Field(default=None, ge=1, le=65535, description="HTTP port; default per service.")
    consumer_name: str | None = Field(default=None, description="Redis consumer name; default host-pid.")

    max_attempts: int = Field(default=3, ge=1, description="Failures before a message is dead-lettered.")
    reclaim_idle_ms: int = Field(default=30_000, ge=100, description="Pending this long: reclaimed.")
    polling_interval_ms: int = Field(
        default=100, ge=1, description="Longest a read blocks waiting for new messages (XREADGROUP BLOCK)."
    )
    batch_max: int = Field(
        default=32, ge=1, le=1000, description="Most messages a stage reads and handles together (XREADGROUP COUNT)."
    )
    stream_maxlen: int = Field(default=1_000_000, ge=1000, description="Approximate cap per stream.")
    max_article_bytes: int = Field(default=2_000_000, ge=1000)

    feeds: list[str] = Field(default_factory=list, description="RSS/Atom feed URLs ingest polls (JSON list).")
    feed_interval_s: float = Field(default=300.0, ge=1.0, description="Seconds between two polls of the feeds.")

    gazetteer_path: Path | None = Field(default=None, description="GeoNames dump(s); default: shared dev data.")
    admin_polygons_path: Path | None = None
    countries: list[str] = Field(
        default_factory=lambda: ["ML", "BF", "NE"],
        description="Countries watched (ISO codes): offline gazetteer scope without a GeoNames dump.",
    )
    conflict_regions: list[str] | None = Field(
        default=None,
        description="Regions where the watched conflicts are fought (JSON list): a namesake there wins an "
        "exact tie; default: central and northern Mali, northern and eastern Burkina Faso, western Niger.",
    )
    actors_path: Path | None = Field(default=None, description="Extra actor dictionary (YAML).")
    rules_path: Path | None = Field(default=None, description="Alert rules (YAML).")
    alertmanager_url: str | None = None
    webhook_urls: list[str] = Field(default_factory=list)
    webhook_secret: str | None = None

    @field_validator("feeds")
    @classmethod
    def _feed_urls(cls, value: list[str]) -> list[str]:
        bad = [url for url in value if not url.startswith(("http://", "https://"))]
        if bad:
            raise ValueError(f"feed URLs must start with http:// or https://: {', '.join(bad)}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("mongo_url")
    @classmethod
    def _mongo_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("mongodb://", "mongodb+srv://")):
            raise ValueError("must start with mongodb:// or mongodb+srv://")
        return value

    def service_port(self, service: str) -> int:
        return self.port or SERVICE_PORTS[service]

    def default_gazetteer(self) -> Path | None:
        if self.gazetteer_path is not None:
            return self.gazetteer_path
        shared = SHARED_DIR / "gazetteer" / "ML.txt"
        return shared if shared.exists() else None

    def default_admin_polygons(self) -> Path | None:
        if self.admin_polygons_path is not None:
            return self.admin_polygons_path
        shared = SHARED_DIR / "gazetteer" / "mali_adm2_cercles.geojson"
        return shared if shared.exists() else None


def load_settings() -> Settings:
    """Build settings from the environment; a bad value raises ConfigError naming it."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc
