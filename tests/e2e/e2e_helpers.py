"""Waiting and metric reading shared by the end-to-end tests (importable: tests/e2e is on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx


def wait_until(condition: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll ``condition`` until it returns something truthy, and return that; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def metric(base_url: str, name: str, labels: str = "") -> float:
    """Sum of a metric's samples on a service's /metrics, optionally only those whose labels contain ``labels``."""
    total = 0.0
    for line in httpx.get(f"{base_url}/metrics", timeout=5).text.splitlines():
        sample, _, value = line.rpartition(" ")
        if sample == name or (sample.startswith(name + "{") and labels in sample):
            total += float(value)
    return total
