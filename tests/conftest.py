"""Real Redis and MongoDB for the whole test session (started here unless REDIS_URL/MONGO_URL are set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from sahelwatch import storage
from sahelwatch.localstack import LocalServers

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
