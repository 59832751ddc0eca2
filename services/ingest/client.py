"""``sahelwatch ingest PATH...``: post article files and folders to a running ingest service."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from services.ingest.normalise import iter_article_paths

_CONTENT_TYPES = {".json": "application/json", ".html": "text/html", ".htm": "text/html"}


def content_type(path: Path) -> str:
    return _CONTENT_TYPES.get(path.suffix.lower(), "text/plain; charset=utf-8")


def post_paths(base_url: str, paths: Sequence[Path], timeout: float = 30.0) -> list[tuple[Path, int, Any]]:
    """POST every article file under ``paths``; returns (path, HTTP status, JSON answer) per file."""
    results: list[tuple[Path, int, Any]] = []
    with httpx.Client(base_url=base_url, timeout=timeout) as client:
        for path in iter_article_paths(paths):
            response = client.post("/articles", content=path.read_bytes(), headers={"content-type": content_type(path)})
            try:
                body: Any = response.json()
            except json.JSONDecodeError:
                body = response.text
            results.append((path, response.status_code, body))
    return results
