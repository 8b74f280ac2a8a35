from __future__ import annotations

import itertools
import logging
import socket
import threading
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest
import redis.asyncio
from redis.asyncio.cluster import RedisCluster

from fasterapi_core import Depends, Faster, FasterRouter, Header, PlainTextResponse, Response, StreamingResponse
from fasterapi_ecosystem import RedisCacheMiddleware, cache, invalidate_cache
from fasterapi_ecosystem._http_cache import StoredResponse, decode_entry
from fasterapi_testing import AsyncTestClient
from fasterapi_testing.services import RedisServer

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["redis", "cluster"])
async def redis_client(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """The suite runs against a standalone Redis (Lua scripts) and a real single-node Redis Cluster (plain
    commands, since its scripts cannot span hash slots)."""
    client: Any
    if request.param == "redis":
        client = redis.asyncio.Redis.from_url(request.getfixturevalue("redis_server").url)
    else:
        client = RedisCluster.from_url(request.getfixturevalue("redis_cluster_server").url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


def make_app(redis_client: redis.asyncio.Redis | str, **options: Any) -> tuple[Faster, Counter[str]]:
    """An app whose endpoints count their calls, behind the cache middleware."""
    app = Faster()
    calls: Counter[str] = Counter()
    serial = itertools.count()

    @app.api_route("/items/{item_id}", methods=["GET", "HEAD"])
    async def item(item_id: int, q: str = "") -> dict[str, Any]:
        calls["item"] += 1
        return {"item": item_id, "q": q, "serial": next(serial)}

    @app.post("/items/{item_id}")
    async def update(item_id: int) -> dict[str, Any]:
        calls["update"] += 1
        return {"updated": item_id}

    @app.get("/header/{name}")
    async def with_header(name: str, value: str) -> Response:
        calls[name] += 1
        return PlainTextResponse(f"{name} {next(serial)}", headers={name: value})

    @app.get("/status/{code}")
    async def status(code: int) -> Response:
        calls["status"] += 1
        return PlainTextResponse(str(next(serial)), status_code=code)

    @app.get("/cookie")
    async def cookie() -> Response:
        calls["cookie"] += 1
        response = PlainTextResponse(str(next(serial)))
        response.set_cookie("session", "secret")
        return response

    @app.get("/vary")
    async def vary(accept_language: str = Header("")) -> Response:
        calls["vary"] += 1
        return PlainTextResponse(f"{accept_language} {next(serial)}", headers={"vary": "Accept-Language"})

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        calls["stream"] += 1

        async def chunks() -> AsyncIterator[bytes]:
            for part in (b"one,", b"two,", b"three"):
                yield part

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/big")
    async def big(size: int) -> Response:
        calls["big"] += 1
        return Response(b"x" * size, media_type="application/octet-stream")

    @app.get("/etag")
    async def etag() -> Response:
        calls["etag"] += 1
        return PlainTextResponse("tagged", headers={"etag": '"v1"'})

    @app.get("/slow")
    async def slow() -> dict[str, int]:
        calls["slow"] += 1
        await anyio.sleep(0.3)
        return {"serial": next(serial)}

    @app.get("/flaky")
    async def flaky() -> dict[str, int]:
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise RuntimeError("first call fails")
        return {"serial": next(serial)}

    app.add_middleware(RedisCacheMiddleware, redis_client=redis_client, **options)
    return app, calls


async def get_twice(client: AsyncTestClient, url: str, **kwargs: Any) -> tuple[httpx.Response, httpx.Response]:
    return await client.get(url, **kwargs), await client.get(url, **kwargs)


async def test_miss_then_hit(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/items/1")
    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert "age" not in first.headers
    assert second.headers["age"] == "0"
    assert second.json() == first.json()
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["content-length"] == first.headers["content-length"]
    assert calls["item"] == 1


async def test_key_is_method_host_path_and_query(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        await client.get("/items/1?q=a")
        assert (await client.get("/items/1?q=a")).headers["x-cache"] == "HIT"
        assert (await client.get("/items/1?q=b")).headers["x-cache"] == "MISS"
        assert (await client.get("/items/2?q=a")).headers["x-cache"] == "MISS"
        other_host = await client.get("/items/1?q=a", headers={"host": "other.example"})
        assert other_host.headers["x-cache"] == "MISS"
        head = await client.head("/items/1?q=a")
        assert head.headers["x-cache"] == "HIT"
        assert head.content == b""
        assert int(head.headers["content-length"]) > 0
        post = await client.post("/items/1")
        assert "x-cache" not in post.headers
    assert calls["item"] == 4
    assert calls["update"] == 1


async def test_head_miss_is_not_stored(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        assert (await client.head("/items/5")).headers["x-cache"] == "MISS"
        assert (await client.get("/items/5")).headers["x-cache"] == "MISS"
        assert (await client.get("/items/5")).headers["x-cache"] == "HIT"
    assert calls["item"] == 2


@pytest.mark.parametrize("header", [{"authorization": "Bearer abc"}, {"cookie": "session=abc"}])
async def test_authorized_and_cookie_requests_bypass_the_cache(
    redis_client: redis.asyncio.Redis, header: dict[str, str]
) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        await client.get("/items/1")  # stored for anonymous requests
        first, second = await get_twice(client, "/items/1", headers=header)
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "MISS")
        assert first.json() != second.json()
        # ...and what they get is not stored for others either.
        await client.get("/items/9", headers=header)
        assert (await client.get("/items/9")).headers["x-cache"] == "MISS"
    assert calls["item"] == 5


async def test_authorized_requests_when_allowed_need_an_explicit_public_response(
    redis_client: redis.asyncio.Redis,
) -> None:
    app, calls = make_app(redis_client, allow_authorization=True)
    auth = {"authorization": "Bearer abc"}
    async with AsyncTestClient(app) as client:
        plain = await get_twice(client, "/items/1", headers=auth)
        assert [r.headers["x-cache"] for r in plain] == ["MISS", "MISS"]
        public = await get_twice(client, "/header/cache-control?value=public, max-age=60", headers=auth)
        assert [r.headers["x-cache"] for r in public] == ["MISS", "HIT"]


async def test_cookie_requests_when_allowed(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client, allow_cookies=True)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/items/1", headers={"cookie": "theme=dark"})
    assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")


async def test_set_cookie_responses_are_never_stored(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/cookie")
    assert second.headers["x-cache"] == "MISS"
    assert "session=secret" in second.headers["set-cookie"]
    assert first.text != second.text
    assert calls["cookie"] == 2
    for key in await redis_client.keys("*"):
        assert b"secret" not in (await redis_client.get(key) or b"")


@pytest.mark.parametrize("value", ["private", "no-store", "no-cache", "max-age=0", "private, max-age=60"])
async def test_response_directives_that_forbid_storing(redis_client: redis.asyncio.Redis, value: str) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/header/cache-control", params={"value": value})
    assert second.headers["x-cache"] == "MISS"
    assert first.text != second.text
    assert calls["cache-control"] == 2


async def test_response_max_age_sets_the_lifetime(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client, ttl=300)
    async with AsyncTestClient(app) as client:
        await client.get("/header/cache-control", params={"value": "max-age=1"})
        [key] = [k for k in await redis_client.keys("*") if b"cache-control" in k and not k.endswith(b"lock")]
        assert 0 < await redis_client.pttl(key) <= 1000
        await client.get("/header/cache-control", params={"value": "max-age=1, s-maxage=50"})
        ttls = [await redis_client.pttl(k) for k in await redis_client.keys("*") if not k.endswith(b"lock")]
        assert max(ttls) > 40_000
        await client.get("/header/expires", params={"value": "Thu, 01 Jan 1970 00:00:00 GMT"})
        assert (await client.get("/header/expires", params={"value": "0"})).headers["x-cache"] == "MISS"


async def test_default_ttl_and_seed_key_prefix(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client, ttl=120)
    async with AsyncTestClient(app) as client:
        await client.get("/items/1")
    [key] = await redis_client.keys("*")
    assert key.startswith(b"fasterapi:http:/items/1 ")
    assert 110_000 < await redis_client.pttl(key) <= 120_000
    entry = decode_entry(await redis_client.get(key))
    assert isinstance(entry, StoredResponse)
    assert entry.status == 200
    assert entry.lifetime == 120.0
    assert all(name != b"x-cache" for name, _ in entry.headers)


async def test_request_no_cache_refreshes_the_entry(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        first = await client.get("/items/1")
        refreshed = await client.get("/items/1", headers={"cache-control": "no-cache"})
        assert refreshed.headers["x-cache"] == "MISS"
        assert refreshed.json() != first.json()
        after = await client.get("/items/1")
        assert after.headers["x-cache"] == "HIT"
        assert after.json() == refreshed.json()
        pragma = await client.get("/items/1", headers={"pragma": "no-cache"})
        assert pragma.headers["x-cache"] == "MISS"
        max_age_zero = await client.get("/items/1", headers={"cache-control": "max-age=0"})
        assert max_age_zero.headers["x-cache"] == "MISS"
    assert calls["item"] == 4


async def test_request_no_store_is_served_but_stores_nothing(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        no_store = {"cache-control": "no-store"}
        assert (await client.get("/items/1", headers=no_store)).headers["x-cache"] == "MISS"
        assert (await client.get("/items/1")).headers["x-cache"] == "MISS"
        assert (await client.get("/items/1", headers=no_store)).headers["x-cache"] == "HIT"
    assert calls["item"] == 2


async def test_request_max_age_and_min_fresh(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client, ttl=60)
    async with AsyncTestClient(app) as client:
        await client.get("/items/1")
        assert (await client.get("/items/1", headers={"cache-control": "max-age=30"})).headers["x-cache"] == "HIT"
        assert (await client.get("/items/1", headers={"cache-control": "min-fresh=50"})).headers["x-cache"] == "HIT"
        too_fresh = await client.get("/items/1", headers={"cache-control": "min-fresh=61"})
        assert too_fresh.headers["x-cache"] == "MISS"


async def test_only_if_cached(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        miss = await client.get("/items/1", headers={"cache-control": "only-if-cached"})
        assert miss.status_code == 504
        assert miss.headers["x-cache"] == "MISS"
        await client.get("/items/1")
        hit = await client.get("/items/1", headers={"cache-control": "only-if-cached"})
        assert hit.status_code == 200
        assert hit.headers["x-cache"] == "HIT"
    assert calls["item"] == 1


async def test_vary_keeps_one_entry_per_variant(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        french = {"accept-language": "fr"}
        german = {"accept-language": "de"}
        fr1, fr2 = await get_twice(client, "/vary", headers=french)
        de1, de2 = await get_twice(client, "/vary", headers=german)
        none1, none2 = await get_twice(client, "/vary")
    assert [r.headers["x-cache"] for r in (fr1, fr2, de1, de2, none1, none2)] == ["MISS", "HIT"] * 3
    assert fr2.text.startswith("fr ")
    assert de2.text.startswith("de ")
    assert fr1.text == fr2.text
    assert de1.text == de2.text
    assert calls["vary"] == 3


async def test_vary_star_and_uncacheable_statuses_are_not_stored(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        star = await get_twice(client, "/header/vary", params={"value": "*"})
        not_found = await get_twice(client, "/status/404")
    assert [r.headers["x-cache"] for r in (*star, *not_found)] == ["MISS"] * 4
    assert calls["vary"] == 2
    assert calls["status"] == 2


async def test_streamed_response_is_replayed_with_a_length(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/stream")
    assert first.text == second.text == "one,two,three"
    assert second.headers["x-cache"] == "HIT"
    assert second.headers["content-length"] == "13"
    assert "transfer-encoding" not in second.headers
    assert calls["stream"] == 1


async def test_bodies_over_the_limit_stream_through_uncached(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client, max_body_bytes=1000)
    async with AsyncTestClient(app) as client:
        small = await get_twice(client, "/big", params={"size": 1000})
        large = await get_twice(client, "/big", params={"size": 1001})
    assert [r.headers["x-cache"] for r in small] == ["MISS", "HIT"]
    assert [r.headers["x-cache"] for r in large] == ["MISS", "MISS"]
    assert len(large[1].content) == 1001
    assert calls["big"] == 3


async def test_range_requests_neither_wait_nor_block_caching(redis_client: redis.asyncio.Redis) -> None:
    app = Faster()

    @app.get("/ranged")
    async def ranged(range: str = Header("")) -> Response:
        if range:
            return Response(b"pa", status_code=206, headers={"content-range": "bytes 0-1/7"})
        return Response(b"payload")

    app.add_middleware(RedisCacheMiddleware, redis_client=redis_client)
    async with AsyncTestClient(app) as client:
        partial = await client.get("/ranged", headers={"range": "bytes=0-1"})
        assert (partial.status_code, partial.headers["x-cache"]) == (206, "MISS")
        assert await redis_client.dbsize() == 0  # no lock left, no pass marker
        full = await get_twice(client, "/ranged")
    assert [r.headers["x-cache"] for r in full] == ["MISS", "HIT"]


async def test_if_none_match_on_a_hit_gets_304(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        await client.get("/etag")
        response = await client.get("/etag", headers={"if-none-match": 'W/"v0", "v1"'})
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["etag"] == '"v1"'
        assert response.headers["x-cache"] == "HIT"
        other = await client.get("/etag", headers={"if-none-match": '"v0"'})
        assert other.status_code == 200
        assert other.text == "tagged"


async def test_cache_header_name_is_configurable(redis_client: redis.asyncio.Redis) -> None:
    app, _ = make_app(redis_client, cache_header="X-Edge-Cache")
    async with AsyncTestClient(app) as client:
        _, hit = await get_twice(client, "/items/1")
    assert hit.headers["x-edge-cache"] == "HIT"
    assert "x-cache" not in hit.headers
    quiet, _ = make_app(redis_client, cache_header=None)
    async with AsyncTestClient(quiet) as client:
        assert "x-cache" not in (await client.get("/items/1")).headers


async def test_route_marks_with_the_cache_decorator_and_dependency(redis_client: redis.asyncio.Redis) -> None:
    app = Faster()
    calls: Counter[str] = Counter()

    @app.get("/marked")
    @cache(ttl=42)
    async def marked() -> dict[str, int]:
        calls["marked"] += 1
        return {"n": calls["marked"]}

    @app.get("/unmarked")
    async def unmarked() -> dict[str, int]:
        calls["unmarked"] += 1
        return {"n": calls["unmarked"]}

    @app.get("/own-max-age")
    async def own_max_age() -> Response:
        calls["own"] += 1
        return PlainTextResponse(str(calls["own"]), headers={"cache-control": "max-age=5"})

    router = FasterRouter(dependencies=[Depends(cache(ttl=7, statuses=[200, 404]).dependency)])

    @router.get("/router/{code}")
    async def routed(code: int) -> Response:
        calls["routed"] += 1
        return PlainTextResponse(str(calls["routed"]), status_code=code)

    app.include_router(router)
    app.add_middleware(RedisCacheMiddleware, redis_client=redis_client, ttl=None)
    async with AsyncTestClient(app) as client:
        assert [(await client.get("/marked")).headers["x-cache"] for _ in range(2)] == ["MISS", "HIT"]
        assert [(await client.get("/unmarked")).headers["x-cache"] for _ in range(2)] == ["MISS", "MISS"]
        assert [(await client.get("/own-max-age")).headers["x-cache"] for _ in range(2)] == ["MISS", "HIT"]
        assert [(await client.get("/router/404")).headers["x-cache"] for _ in range(2)] == ["MISS", "HIT"]
        assert [(await client.get("/router/500")).headers["x-cache"] for _ in range(2)] == ["MISS", "MISS"]
    ttls = {key.split(b" ")[0]: await redis_client.pttl(key) for key in await redis_client.keys("*")}
    assert 40_000 < ttls[b"fasterapi:http:/marked"] <= 42_000
    assert ttls[b"fasterapi:http:/own-max-age"] <= 5_000
    assert 5_000 < ttls[b"fasterapi:http:/router/404"] <= 7_000
    assert repr(cache(ttl=7, statuses=[404, 200])) == "cache(ttl=7, statuses=[200, 404])"
    with pytest.raises(ValueError, match="positive"):
        cache(ttl=0)


async def test_cache_dependency_without_the_middleware_warns(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/x", dependencies=[Depends(cache(ttl=3).dependency)])
    async def endpoint() -> str:
        return "x"

    with caplog.at_level(logging.WARNING, logger="fasterapi_ecosystem.cache"):
        async with AsyncTestClient(app) as client:
            assert (await client.get("/x")).status_code == 200
    assert "RedisCacheMiddleware is not installed" in caplog.text


async def get_concurrently(app: Faster, path: str, count: int) -> list[httpx.Response]:
    """``count`` concurrent GETs of ``path`` through one client; the responses in the order they finished."""
    results: list[httpx.Response] = []
    async with AsyncTestClient(app) as client:

        async def fetch() -> None:
            results.append(await client.get(path))

        async with anyio.create_task_group() as group:
            for _ in range(count):
                group.start_soon(fetch)
    return results


async def test_stampede_one_request_fills_the_others_wait(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    results = await get_concurrently(app, "/slow", 10)
    assert calls["slow"] == 1
    assert Counter(r.headers["x-cache"] for r in results) == {"MISS": 1, "HIT": 9}
    assert len({r.text for r in results}) == 1


async def test_waiters_give_up_after_stampede_wait(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client, stampede_wait=0.05)
    results = await get_concurrently(app, "/slow", 3)
    assert calls["slow"] == 3
    assert all(r.status_code == 200 for r in results)


async def test_uncacheable_urls_are_not_serialised(redis_client: redis.asyncio.Redis) -> None:
    app = Faster()
    inside = 0
    all_inside = anyio.Event()

    @app.get("/personal")
    async def personal() -> Response:
        nonlocal inside
        inside += 1
        if inside >= 4:
            all_inside.set()
        if inside > 1:
            with anyio.fail_after(1):
                await all_inside.wait()
        return PlainTextResponse("mine", headers={"cache-control": "private"})

    app.add_middleware(RedisCacheMiddleware, redis_client=redis_client, stampede_wait=30)
    async with AsyncTestClient(app) as client:
        # The first response leaves a pass marker: later concurrent requests do not wait for one another.
        assert (await client.get("/personal")).status_code == 200
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(client.get, "/personal")
    assert inside == 4


async def test_lock_is_released_when_the_app_fails(redis_client: redis.asyncio.Redis) -> None:
    # A lock left behind would make the next request wait the whole stampede_wait (an hour here): the guard
    # turns that into a failure instead of a hang.
    app, calls = make_app(redis_client, stampede_wait=3600)
    async with AsyncTestClient(app, raise_server_exceptions=False) as client:
        assert (await client.get("/flaky")).status_code == 500
        with anyio.fail_after(60):
            second = await client.get("/flaky")
        assert second.status_code == 200
        assert (await client.get("/flaky")).headers["x-cache"] == "HIT"
    assert calls["flaky"] == 2
    assert not [key for key in await redis_client.keys("*") if key.endswith(b" lock")]


async def test_invalidation_by_path_prefix(redis_client: redis.asyncio.Redis) -> None:
    app, calls = make_app(redis_client)
    async with AsyncTestClient(app) as client:
        for url in ("/items/1", "/items/1?q=x", "/items/10", "/items/2", "/vary", "/stream"):
            await client.get(url)
        assert await invalidate_cache(redis_client, "/items/1", exact=True) == 2
        assert (await client.get("/items/10")).headers["x-cache"] == "HIT"
        assert (await client.get("/items/1")).headers["x-cache"] == "MISS"
        assert await invalidate_cache(redis_client, "/items/") == 3
        assert (await client.get("/items/2")).headers["x-cache"] == "MISS"
        assert (await client.get("/stream")).headers["x-cache"] == "HIT"
        middleware = RedisCacheMiddleware(app, redis_client)
        assert await middleware.invalidate() > 0
        assert await redis_client.dbsize() == 0
    with pytest.raises(ValueError, match="start with"):
        await invalidate_cache(redis_client, "items")


async def test_configuration_is_checked(redis_server: RedisServer) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError

    decoding = redis.asyncio.Redis.from_url(redis_server.url, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        RedisCacheMiddleware(app, decoding)
    with pytest.raises(ValueError, match="ttl"):
        RedisCacheMiddleware(app, redis_server.url, ttl=0)
    await decoding.aclose()


# -- Redis failures: each test gets its own server, so that killing it affects nobody else -----------------------


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


async def test_redis_killed_mid_test(own_redis: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    app, calls = make_app(own_redis.url, retry_after=0.2)
    async with AsyncTestClient(app) as client:
        await client.get("/items/1")
        assert (await client.get("/items/1")).headers["x-cache"] == "HIT"
        port = own_redis.port
        own_redis.kill()
        with caplog.at_level(logging.WARNING, logger="fasterapi_ecosystem.cache"):
            down = [await client.get("/items/1") for _ in range(3)]
        assert [r.status_code for r in down] == [200, 200, 200]
        assert [r.headers["x-cache"] for r in down] == ["MISS"] * 3
        warnings = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
        assert len(warnings) == 1  # logged once, not per request
        own_redis.start(port)
        await anyio.sleep(0.25)  # retry_after
        assert (await client.get("/items/1")).headers["x-cache"] == "MISS"  # the restarted Redis is empty
        assert (await client.get("/items/1")).headers["x-cache"] == "HIT"
    assert calls["item"] == 5


class SilentServer:
    """Accepts TCP connections and never answers: a hung Redis."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self.connections:
            connection.close()


async def test_hung_redis_does_not_hang_requests() -> None:
    silent = SilentServer()
    try:
        client = redis.asyncio.Redis(host="127.0.0.1", port=silent.port)
        app, calls = make_app(client, redis_timeout=0.2)
        async with AsyncTestClient(app) as test_client:
            first = await test_client.get("/items/1")
            second = await test_client.get("/items/1")
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.headers["x-cache"] == second.headers["x-cache"] == "MISS"
        # One timeout, then the cache is bypassed for retry_after: the second request does not try Redis again.
        assert len(silent.connections) == 1
        assert calls["item"] == 2
        await client.aclose()
    finally:
        silent.close()


class MinimalRedisClient:
    """A redis-compatible client with only the basic commands (no pool, no scripts, no pipeline), talking to a
    real Redis through a connection of its own: what other redis-compatible clients offer."""

    def __init__(self, url: str) -> None:
        self._connection = redis.asyncio.Redis.from_url(url)
        self.commands: Counter[str] = Counter()

    async def get(self, name: str) -> bytes | None:
        self.commands["get"] += 1
        value: bytes | None = await self._connection.get(name)
        return value

    async def set(self, name: str, value: bytes | str, *, nx: bool = False, px: int | None = None) -> bool:
        self.commands["set"] += 1
        return bool(await self._connection.set(name, value, nx=nx, px=px))

    async def delete(self, *names: str | bytes) -> int:
        self.commands["delete"] += 1
        deleted: int = await self._connection.delete(*names)
        return deleted

    async def scan_iter(self, match: str, count: int) -> AsyncIterator[bytes]:
        async for key in self._connection.scan_iter(match=match, count=count):
            yield key

    async def aclose(self) -> None:
        await self._connection.aclose()


@pytest.fixture
async def minimal_client(redis_server: RedisServer) -> AsyncIterator[MinimalRedisClient]:
    client = MinimalRedisClient(redis_server.url)
    await client._connection.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


async def test_a_client_with_only_basic_commands_caches(minimal_client: MinimalRedisClient) -> None:
    app, calls = make_app(minimal_client)
    async with AsyncTestClient(app) as client:
        first, second = await get_twice(client, "/items/1")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
        assert first.json() == second.json()
        assert calls["item"] == 1
        # The fill lock was taken with SET NX and released with DEL: no lock is left behind.
        assert minimal_client.commands["delete"] == 1
        assert not [key async for key in minimal_client.scan_iter(match="* lock", count=100)]
        middleware = RedisCacheMiddleware(app, minimal_client)
        assert await middleware.invalidate("/items/", exact=False) == 1
        assert (await client.get("/items/1")).headers["x-cache"] == "MISS"
        assert calls["item"] == 2


async def test_a_client_with_only_basic_commands_coalesces_a_stampede(minimal_client: MinimalRedisClient) -> None:
    app, calls = make_app(minimal_client)
    async with AsyncTestClient(app) as client:
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(client.get, "/slow")
        assert calls["slow"] == 1
