from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from fasterapi_testing.services import postgres_server_fixture, redis_server_fixture

# One real Redis and one real PostgreSQL for the whole run, on free ports, always stopped.
redis_server = redis_server_fixture()
# A Redis Cluster of one node owning every hash slot: the cluster protocol without three servers.
redis_cluster_server = redis_server_fixture(cluster=True)
postgres_server = postgres_server_fixture()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def redis_client(redis_server) -> AsyncIterator[redis.asyncio.Redis]:
    client = redis.asyncio.Redis.from_url(redis_server.url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()
