"""Real Redis and MongoDB for the whole test session (started here unless REDIS_URL/MONGO_URL are set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from sahelwatch import storage
from sahelwatch.localstack import LocalServers, free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServers]:
    started = LocalServers.start(
        tmp_path_factory.mktemp("servers"), os.environ.get("REDIS_URL"), os.environ.get("MONGO_URL")
    )
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
def alertmanager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Alertmanager (Debian package prometheus-alertmanager) on a free port; its base URL."""
    binary = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
    if not Path(binary).exists():
        pytest.fail("prometheus-alertmanager is not installed: apt-get install prometheus-alertmanager (make tools)")
    home = tmp_path_factory.mktemp("alertmanager")
    config = home / "alertmanager.yml"
    config.write_text("route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n")
    port = free_port()
    log_path = home / "alertmanager.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.path={home / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"alertmanager exited: {log_path.read_text()[-2000:]}")
        return httpx.get(base + "/-/ready", timeout=1).status_code == 200

    try:
        wait_for(ready, 30, "alertmanager /-/ready")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
async def mongo_db(servers: LocalServers) -> AsyncIterator[AsyncDatabase[storage.Doc]]:
    """A fresh database on the real mongod, dropped afterwards."""
    client = storage.connect(servers.mongo_url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


@pytest.fixture
async def redis_client(servers: LocalServers) -> AsyncIterator[Redis]:
    client = Redis.from_url(servers.redis_url)
    try:
        yield client
    finally:
        await client.aclose()
