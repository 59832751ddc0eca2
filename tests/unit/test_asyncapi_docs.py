"""The committed AsyncAPI documents are what the services declare (regenerate: make asyncapi)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from services.asyncapi import asyncapi_yaml

DOCS = Path(__file__).resolve().parents[2] / "docs" / "asyncapi"


@pytest.mark.parametrize("stage", ["ingest", "extraction", "geocoding", "alerting"])
def test_asyncapi_document_is_current(stage: str) -> None:
    committed = yaml.safe_load((DOCS / f"{stage}.yaml").read_text())
    assert committed == yaml.safe_load(asyncapi_yaml(stage)), "run: make asyncapi"


def test_every_stream_payload_is_documented() -> None:
    text = "".join(asyncapi_yaml(s) for s in ("ingest", "extraction", "geocoding", "alerting"))
    for address in (
        "articles",
        "incidents.extracted",
        "incidents.geocoded",
        "incidents",
        "alerts",
        "dlq.alerting",
    ):
        assert f"address: {address}\n" in text, address
    for model in ("Article", "IncidentRecord", "CanonicalIncident", "Alert", "DeadLetter"):
        assert f"title: {model}\n" in text, model
