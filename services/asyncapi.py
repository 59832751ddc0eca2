"""AsyncAPI documents of the four services, generated from their FastStream apps (``make asyncapi``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from sahelwatch.settings import Settings
from services.cli import service_app

# Building an app connects to nothing; these URLs only name the servers in the documents.
_DOC_SETTINGS = Settings(
    redis_url="redis://redis:6379/0",
    mongo_url="mongodb://mongo:27017/?replicaSet=rs0",
    consumer_name="replica-1",
)


def asyncapi_yaml(stage: str) -> str:
    """The stage's document with keys sorted: FastStream's channel order varies between runs."""
    return str(yaml.safe_dump(yaml.safe_load(_generated(stage)), sort_keys=True, allow_unicode=True))


def _generated(stage: str) -> str:
    app = service_app(stage, _DOC_SETTINGS)
    if stage == "ingest":
        from fastapi import FastAPI
        from faststream.specification import AsyncAPI

        assert isinstance(app, FastAPI)
        router = app.state.faststream_router
        return str(AsyncAPI(router.broker, title="sahelwatch ingest").to_specification().to_yaml())
    return str(app.schema.to_specification().to_yaml())  # type: ignore[attr-defined]


def write_asyncapi(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for stage in ("ingest", "extraction", "geocoding", "alerting"):
        path = dest / f"{stage}.yaml"
        path.write_text(asyncapi_yaml(stage))
        written.append(path)
    return written
