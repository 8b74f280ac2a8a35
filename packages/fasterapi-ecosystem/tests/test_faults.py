"""Fault suite: Redis and PostgreSQL killed and frozen (SIGSTOP/SIGCONT) under load, behind a real uvicorn.

Every request is bounded by a client timeout; the assertions count outcomes, never durations: no request may
hang, only documented statuses may come back (200; 503 with Retry-After for the database), and service must
resume by itself once the server is back. Each burst is a few dozen concurrent requests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import anyio
import httpx
import pytest
import redis.asyncio
import redis.exceptions

from fasterapi_ecosystem import RedisBroadcast
from fasterapi_testing.services import PostgresServer, RedisServer, serve_with_uvicorn

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
BURST = 24
# Far above any deadline of the app (1 s database, 0.5 s Redis): reaching it means a request hung.
CLIENT_TIMEOUT = 20.0
HUNG = "hung"


@pytest.fixture(scope="module")
def fault_redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="module")
def fault_postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="module")
def base_url(
    fault_redis: RedisServer, fault_postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    env = {"FAULT_REDIS_URL": fault_redis.url, "FAULT_DATABASE_URL": fault_postgres.url}
    log = tmp_path_factory.mktemp("faults") / "uvicorn.log"
    with serve_with_uvicorn("fault_app:app", app_dir=HERE, ready_path="/health", env=env, log_file=log) as url:
        yield url


@pytest.fixture
async def client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT, limits=limits, trust_env=False) as http:
        yield http


async def burst(client: httpx.AsyncClient, paths: list[str]) -> tuple[Counter[int | str], list[httpx.Response]]:
    """Send every path at once; count the statuses, and ``"hung"`` for requests that hit the client timeout."""
    outcomes: Counter[int | str] = Counter()
    responses: list[httpx.Response] = []

    async def one(path: str) -> None:
        try:
            response = await client.get(path)
        except httpx.TimeoutException:
            outcomes[HUNG] += 1
            return
        outcomes[response.status_code] += 1
        responses.append(response)

    async with anyio.create_task_group() as group:
        for path in paths:
            group.start_soon(one, path)
    return outcomes, responses


async def until_status(client: httpx.AsyncClient, path: str, status: int, header: tuple[str, str] | None = None) -> int:
    """Request ``path`` until it answers ``status`` (and ``header``); returns how many requests that took."""
    attempts = 0
    with anyio.fail_after(60):  # a hang guard
        while True:
            attempts += 1
            response = await client.get(path)
            if response.status_code == status and (header is None or response.headers.get(header[0]) == header[1]):
                return attempts
            await anyio.sleep(0.05)


def cached_paths() -> list[str]:
    return [f"/cached/{number % 6}" for number in range(BURST)]


# -- Redis behind the cache: it fails open, so every request is still answered 200 -------------------------------


async def test_cache_survives_redis_killed_under_load(client: httpx.AsyncClient, fault_redis: RedisServer) -> None:
    outcomes, _ = await burst(client, cached_paths())
    assert outcomes == {200: BURST}
    port = fault_redis.port
    fault_redis.kill()
    try:
        outcomes, responses = await burst(client, cached_paths())
        assert outcomes == {200: BURST}
        assert {response.headers["x-cache"] for response in responses} == {"MISS"}
    finally:
        fault_redis.start(port)
    # Back (empty): the first request after the back-off stores, a later one is a hit.
    await until_status(client, "/cached/99", 200, ("x-cache", "HIT"))
    outcomes, _ = await burst(client, cached_paths())
    assert outcomes == {200: BURST}


async def test_cache_survives_redis_frozen_under_load(client: httpx.AsyncClient, fault_redis: RedisServer) -> None:
    fault_redis.freeze()
    try:
        outcomes, responses = await burst(client, cached_paths())
    finally:
        fault_redis.thaw()
    assert outcomes == {200: BURST}  # no request waits past redis_timeout; none hangs
    assert {response.json()["number"] for response in responses} == set(range(6))
    await until_status(client, "/cached/98", 200, ("x-cache", "HIT"))
    outcomes, responses = await burst(client, cached_paths())
    assert outcomes == {200: BURST}
    assert "HIT" in {response.headers["x-cache"] for response in responses}


# -- PostgreSQL behind the session dependency: 503 with Retry-After, then recovery -------------------------------


def assert_unavailable(responses: list[httpx.Response]) -> None:
    for response in responses:
        if response.status_code == 503:
            assert response.headers["retry-after"] == "2"
            assert response.json() == {"detail": "Database unavailable"}


async def test_database_killed_under_load(client: httpx.AsyncClient, fault_postgres: PostgresServer) -> None:
    outcomes, _ = await burst(client, ["/db"] * BURST)
    assert outcomes == {200: BURST}
    port = fault_postgres.port
    fault_postgres.kill()
    try:
        outcomes, responses = await burst(client, ["/db"] * BURST)
        assert outcomes == {503: BURST}
        assert_unavailable(responses)
    finally:
        fault_postgres.start(port)
    await until_status(client, "/db", 200)
    outcomes, _ = await burst(client, ["/db"] * BURST)
    assert outcomes == {200: BURST}


async def test_database_frozen_under_load(client: httpx.AsyncClient, fault_postgres: PostgresServer) -> None:
    outcomes, _ = await burst(client, ["/db"] * BURST)
    assert outcomes == {200: BURST}
    fault_postgres.freeze()
    try:
        outcomes, responses = await burst(client, ["/db"] * BURST)
    finally:
        fault_postgres.thaw()
    assert outcomes == {503: BURST}
    assert_unavailable(responses)
    await until_status(client, "/db", 200)
    outcomes, _ = await burst(client, ["/db"] * BURST)
    assert outcomes == {200: BURST}


# -- Redis behind the broadcast: publishing is bounded, subscribers get messages again after SIGCONT ---------------


async def test_broadcast_survives_redis_frozen(fault_redis: RedisServer) -> None:
    async with (
        RedisBroadcast(fault_redis.url, channel_prefix="faults:", timeout=0.5, health_check_interval=0.5) as instance,
        instance.subscribe("news") as subscriber,
    ):
        fault_redis.freeze()
        try:
            failures = 0
            with anyio.fail_after(30):  # a hang guard: each publish gives up after `timeout`
                for _ in range(3):
                    try:
                        await instance.publish("news", "lost")
                    except (TimeoutError, redis.exceptions.RedisError):
                        failures += 1
            assert failures == 3
        finally:
            fault_redis.thaw()
        # Delivery is at most once: publish until a message gets through the (possibly re-established) subscription.
        with anyio.fail_after(60):
            while True:
                try:
                    await instance.publish("news", "back")
                except (TimeoutError, redis.exceptions.RedisError):
                    await anyio.sleep(0.05)
                    continue
                with anyio.move_on_after(0.5):
                    event = await subscriber.get()
                    if event.message == "back":
                        break
    client = redis.asyncio.Redis.from_url(fault_redis.url)
    try:
        [(_, count)] = await client.pubsub_numsub("faults:news")
        assert count == 0  # the subscription was released
    finally:
        await client.aclose()
