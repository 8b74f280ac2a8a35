from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core import Depends, Faster, Request
from fasterapi_core.responses import PlainTextResponse
from fasterapi_middleware import (
    MemoryRateLimitBackend,
    RateLimit,
    RateLimitBackend,
    RateLimitBackendError,
    RateLimitMiddleware,
    RateLimitResult,
)
from fasterapi_testing import TestClient


class BrokenBackend:
    """A backend whose store is always unreachable, to exercise the failure modes."""

    def __init__(self) -> None:
        self.closed = False

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitResult:
        raise RateLimitBackendError("store unreachable")

    async def close(self) -> None:
        self.closed = True


def make_app(**options: Any) -> Faster:
    app = Faster()

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(RateLimitMiddleware, **options)
    return app


def test_requests_over_the_limit_get_429_with_retry_after() -> None:
    client = TestClient(make_app(requests_per_minute=3))
    for remaining in (2, 1, 0):
        response = client.get("/")
        assert response.status_code == 200
        assert response.headers["ratelimit-limit"] == "3"
        assert response.headers["ratelimit-remaining"] == str(remaining)
        assert response.headers["ratelimit-policy"] == "3;w=60"
        assert 0 < int(response.headers["ratelimit-reset"]) <= 60
    refused = client.get("/")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too Many Requests"}
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-remaining"] == "0"


def test_head_over_the_limit_has_no_body() -> None:
    client = TestClient(make_app(requests_per_minute=1))
    client.get("/")
    refused = client.head("/")
    assert refused.status_code == 429
    assert refused.content == b""


def test_clients_are_counted_separately() -> None:
    app = make_app(requests_per_minute=1)
    first = TestClient(app, client=("192.0.2.1", 1000))
    second = TestClient(app, client=("192.0.2.2", 1000))
    assert first.get("/").status_code == 200
    assert first.get("/").status_code == 429
    assert second.get("/").status_code == 200


@pytest.mark.anyio
async def test_the_window_slides(clock: Any, fill_window: Any) -> None:
    backend = MemoryRateLimitBackend(clock=clock)
    refused = await fill_window(backend, clock)
    assert refused.reset_after == pytest.approx(5)  # the first request leaves the window at t+10
    clock.now += 5
    assert (await backend.hit("k", 2, 10)).allowed  # the first one has left: one slot
    assert not (await backend.hit("k", 2, 10)).allowed
    clock.now += 4
    result = await backend.hit("k", 2, 10)  # the second one has left too
    assert result.allowed
    assert result.remaining == 0


@pytest.mark.anyio
async def test_refused_requests_are_not_counted(clock: Any) -> None:
    backend = MemoryRateLimitBackend(clock=clock)
    await backend.hit("k", 1, 10)
    for _ in range(5):
        clock.now += 1
        assert not (await backend.hit("k", 1, 10)).allowed
    clock.now += 5
    assert (await backend.hit("k", 1, 10)).allowed


@pytest.mark.anyio
async def test_idle_clients_are_forgotten(clock: Any) -> None:
    backend = MemoryRateLimitBackend(clock=clock)
    for number in range(100):
        await backend.hit(f"client-{number}", 5, 10)
    assert len(backend) == 100
    clock.now += 11
    await backend.hit("new", 5, 10)
    assert len(backend) == 1


def test_forwarded_for_from_an_untrusted_peer_is_ignored() -> None:
    # A client that rotates X-Forwarded-For values must not get a fresh budget each time.
    app = make_app(requests_per_minute=2, forwarded_for_header="x-forwarded-for")
    client = TestClient(app, client=("203.0.113.7", 1000))
    statuses = [client.get("/", headers={"x-forwarded-for": f"10.0.0.{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 429, 429]


def test_forwarded_for_from_a_trusted_proxy_uses_the_rightmost_untrusted_address() -> None:
    app = make_app(requests_per_minute=2, forwarded_for_header="x-forwarded-for", trusted_proxies=["10.0.0.0/8"])
    proxy = TestClient(app, client=("10.0.0.1", 1000))
    # The client prepends made-up addresses; the proxy appends the real one.
    statuses = [proxy.get("/", headers={"x-forwarded-for": f"1.1.1.{n}, 198.51.100.9"}).status_code for n in range(4)]
    assert statuses == [200, 200, 429, 429]
    other = proxy.get("/", headers={"x-forwarded-for": "198.51.100.10"})
    assert other.status_code == 200


def test_forwarded_for_needs_trusted_proxies() -> None:
    with pytest.raises(ValueError, match="trusted_proxies"):
        RateLimitMiddleware(PlainTextResponse("x"), forwarded_for_header="x-forwarded-for", trusted_proxies=())


def test_key_func_chooses_the_bucket() -> None:
    app = make_app(requests_per_minute=1, key_func=lambda request: request.headers.get("x-api-key", "anonymous"))
    client = TestClient(app)
    assert client.get("/", headers={"x-api-key": "a"}).status_code == 200
    assert client.get("/", headers={"x-api-key": "a"}).status_code == 429
    assert client.get("/", headers={"x-api-key": "b"}).status_code == 200


def test_headers_can_be_left_out() -> None:
    response = TestClient(make_app(requests_per_minute=5, headers=False)).get("/")
    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"requests_per_minute": 0}, "per window"),
        ({"window_seconds": 0}, "window_seconds"),
        ({"failure_mode": "sideways"}, "failure_mode"),
        ({"trusted_proxies": ["not-an-address"]}, "trusted proxy"),
    ],
)
def test_invalid_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RateLimitMiddleware(PlainTextResponse("x"), **options)


def test_backend_failure_fails_open_by_default(caplog: pytest.LogCaptureFixture) -> None:
    client = TestClient(make_app(backend=BrokenBackend()))
    with caplog.at_level("ERROR", logger="fasterapi_middleware.rate_limit"):
        responses = [client.get("/") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "ratelimit-limit" not in responses[0].headers
    # Logged once when the backend went away, not once per request.
    assert [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()] == [
        "Rate-limit backend unreachable, letting requests through until it is back: store unreachable"
    ]


def test_backend_failure_fails_closed_when_configured() -> None:
    response = TestClient(make_app(backend=BrokenBackend(), failure_mode="closed")).get("/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {"detail": "Rate limiting is unavailable"}


def test_backend_is_closed_at_shutdown() -> None:
    backend = BrokenBackend()
    with TestClient(make_app(backend=backend)):
        assert not backend.closed
    assert backend.closed


@pytest.mark.anyio
async def test_websockets_are_not_counted(asgi: SimpleNamespace) -> None:
    calls: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        calls.append(scope["type"])

    middleware = RateLimitMiddleware(app, requests_per_minute=1)
    for _ in range(3):
        await middleware(asgi.http_scope(scope_type="websocket"), asgi.receive, asgi.Recorder())
    assert calls == ["websocket"] * 3


def test_backends_satisfy_the_protocol() -> None:
    assert isinstance(MemoryRateLimitBackend(), RateLimitBackend)
    assert isinstance(BrokenBackend(), RateLimitBackend)


# -- per-route limits: the RateLimit dependency -------------------------------------------------------------------


def make_route_app() -> Faster:
    app = Faster()
    login_limit = RateLimit(2, window_seconds=60)
    shared = RateLimit(3, bucket="reports")

    @app.post("/login", dependencies=[Depends(login_limit)])
    async def login() -> dict[str, str]:
        return {"login": "ok"}

    @app.get("/free")
    async def free() -> dict[str, str]:
        return {"free": "ok"}

    @app.get("/items/{item_id}", dependencies=[Depends(login_limit)])
    async def item(item_id: int) -> dict[str, int]:
        return {"item": item_id}

    @app.get("/report/a", dependencies=[Depends(shared)])
    async def report_a() -> dict[str, str]:
        return {"report": "a"}

    @app.get("/report/b", dependencies=[Depends(shared)])
    async def report_b() -> dict[str, str]:
        return {"report": "b"}

    return app


def test_route_limit_applies_to_its_route_only() -> None:
    client = TestClient(make_route_app())
    first = client.post("/login")
    assert first.status_code == 200
    assert first.headers["ratelimit-limit"] == "2"
    assert first.headers["ratelimit-remaining"] == "1"
    assert client.post("/login").status_code == 200
    refused = client.post("/login")
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too Many Requests"}
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/free").status_code == 200


def test_route_limit_counts_per_route_template_not_per_url() -> None:
    client = TestClient(make_route_app())
    statuses = [client.get(f"/items/{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert client.post("/login").status_code == 200  # same instance, other route: its own counter


def test_routes_with_one_bucket_share_the_limit() -> None:
    client = TestClient(make_route_app())
    statuses = [client.get(path).status_code for path in ("/report/a", "/report/b", "/report/a", "/report/b")]
    assert statuses == [200, 200, 200, 429]


def test_route_limit_fails_closed_with_503() -> None:
    app = Faster()

    @app.get("/", dependencies=[Depends(RateLimit(5, backend=BrokenBackend(), failure_mode="closed"))])
    async def root() -> dict[str, str]:
        return {}

    response = TestClient(app).get("/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"


def test_route_limit_with_middleware_reports_one_policy() -> None:
    app = Faster()

    @app.get("/", dependencies=[Depends(RateLimit(2))])
    async def root(request: Request) -> dict[str, str]:
        return {}

    app.add_middleware(RateLimitMiddleware, requests_per_minute=100)
    response = TestClient(app).get("/")
    assert response.headers.get_list("ratelimit-limit") == ["2"]
    assert response.headers.get_list("ratelimit-policy") == ["2;w=60"]
    assert repr(RateLimit(2)) == "RateLimit(2, window_seconds=60.0)"


def test_ipv6_clients_are_counted_per_64_network() -> None:
    # One host owns a whole /64: new addresses in it must not mean new budgets.
    app = make_app(requests_per_minute=2)
    statuses = [TestClient(app, client=(f"2001:db8:1:2::{n:x}", 1000)).get("/").status_code for n in range(1, 5)]
    assert statuses == [200, 200, 429, 429]
    assert TestClient(app, client=("2001:db8:1:3::1", 1000)).get("/").status_code == 200
    mapped = [TestClient(app, client=("::ffff:192.0.2.1", 1)).get("/").status_code for _ in range(2)]
    assert mapped + [TestClient(app, client=("192.0.2.1", 1)).get("/").status_code] == [200, 200, 429]


# A clock value where the float sum `now + 60 - now` is 60.00000000000003: its ceiling used to be 61.
_ROUNDING_NOW = 223.57755396951174


def test_reset_never_exceeds_the_window_at_the_boundary(clock: Any) -> None:
    clock.now = _ROUNDING_NOW
    client = TestClient(make_app(requests_per_minute=1, backend=MemoryRateLimitBackend(clock=clock)))
    allowed = client.get("/")
    assert allowed.status_code == 200
    assert allowed.headers["ratelimit-reset"] == "60"
    refused = client.get("/")
    assert refused.status_code == 429
    assert refused.headers["ratelimit-reset"] == "60"
    assert refused.headers["retry-after"] == "60"


@pytest.mark.anyio
async def test_memory_backend_reset_is_at_most_the_window(clock: Any) -> None:
    clock.now = _ROUNDING_NOW
    backend = MemoryRateLimitBackend(clock=clock)
    assert (await backend.hit("k", 1, 60)).reset_after == 60
    assert (await backend.hit("k", 1, 60)).reset_after == 60


class OvershootingBackend:
    """A custom backend whose arithmetic reports a reset a hair past the window."""

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitResult:
        return RateLimitResult(False, limit, 0, window_seconds + 1e-9)

    async def close(self) -> None:
        pass


def test_headers_clamp_a_reset_past_the_window_from_any_backend() -> None:
    app = Faster()

    @app.get("/", dependencies=[Depends(RateLimit(1, window_seconds=30, backend=OvershootingBackend()))])
    async def root() -> dict[str, str]:
        return {"ok": "yes"}

    refused = TestClient(app).get("/")
    assert refused.status_code == 429
    assert (refused.headers["ratelimit-reset"], refused.headers["retry-after"]) == ("30", "30")
