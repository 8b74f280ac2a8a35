"""``RateLimitMiddleware`` (every request) and ``RateLimit`` (a per-route dependency): sliding-window limits."""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
from collections.abc import Callable, Sequence
from typing import Literal

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import header_values, send_plain_response
from ._forwarded import TrustedProxies
from ._rate_limit_backends import MemoryRateLimitBackend, RateLimitBackend, RateLimitBackendError, RateLimitResult

__all__ = ("FailureMode", "RateLimit", "RateLimitMiddleware")

FailureMode = Literal["open", "closed"]
"""What to do when the backend is unreachable: ``"open"`` lets requests through, ``"closed"`` refuses them."""

logger = logging.getLogger("fasterapi_middleware.rate_limit")

_LOOPBACK = ("127.0.0.1", "::1")
_TOO_MANY_BODY = b'{"detail":"Too Many Requests"}'
_UNAVAILABLE_BODY = b'{"detail":"Rate limiting is unavailable"}'
_JSON = b"application/json"
_FAIL_CLOSED_RETRY_AFTER = "1"


@functools.lru_cache(maxsize=4096)
def _client_bucket(address: str) -> str:
    """The counter of an address: itself for IPv4, its /64 network for IPv6.

    One IPv6 host usually owns a whole /64 and can pick a new address per request; counting per address would
    hand it 2**64 budgets.
    """
    # PERF: cached (bounded); the same clients come back again and again.
    if ":" not in address:
        return address
    try:
        parsed = ipaddress.IPv6Address(address.split("%", 1)[0])
    except ValueError:
        return address
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(parsed) >> 64 << 64, 64)))


class _Limiter:
    """What the middleware and the dependency share: identify the client, count, report, survive outages."""

    __slots__ = (
        "_backend_down",
        "backend",
        "failure_mode",
        "forwarded_for_header",
        "key_func",
        "limit",
        "policy",
        "trusted_proxies",
        "window_seconds",
    )

    def __init__(
        self,
        owner: str,
        limit: int,
        window_seconds: float,
        backend: RateLimitBackend | None,
        forwarded_for_header: str | None,
        trusted_proxies: Sequence[str],
        key_func: Callable[[Request], str] | None,
        failure_mode: FailureMode,
    ) -> None:
        if limit < 1:
            raise ValueError(f"{owner}: the number of requests per window must be >= 1")
        if not window_seconds > 0:
            raise ValueError(f"{owner}: window_seconds must be > 0")
        if failure_mode not in ("open", "closed"):
            raise ValueError(f"{owner}: failure_mode must be 'open' or 'closed'")
        self.limit = limit
        self.window_seconds = float(window_seconds)
        self.backend: RateLimitBackend = backend if backend is not None else MemoryRateLimitBackend()
        self.forwarded_for_header = forwarded_for_header.lower().encode("latin-1") if forwarded_for_header else None
        self.trusted_proxies = TrustedProxies(trusted_proxies)
        if self.forwarded_for_header is not None and not self.trusted_proxies:
            raise ValueError(
                f"{owner}: forwarded_for_header needs trusted_proxies (the addresses of your proxies); "
                "otherwise every client could choose its own rate-limit key"
            )
        self.key_func = key_func
        self.failure_mode = failure_mode
        self.policy = f"{limit};w={math.ceil(self.window_seconds)}".encode("latin-1")
        self._backend_down = False

    def client_key(self, scope: Scope) -> str:
        if self.key_func is not None:
            return self.key_func(Request(scope))
        client = scope.get("client")
        peer = client[0] if client else None
        header = self.forwarded_for_header
        if header is not None:
            values = header_values(scope, header)
            if values:
                forwarded = self.trusted_proxies.client_from_forwarded_for(peer, values)
                if forwarded is not None:
                    return _client_bucket(forwarded)
        return _client_bucket(peer) if peer else "unknown"

    async def hit(self, key: str) -> RateLimitResult | None:
        """Count a request; ``None`` when the backend failed (the caller applies the failure mode)."""
        try:
            result = await self.backend.hit(key, self.limit, self.window_seconds)
        except RateLimitBackendError as exc:
            if not self._backend_down:
                self._backend_down = True
                action = "letting requests through" if self.failure_mode == "open" else "refusing requests"
                logger.error("Rate-limit backend unreachable, %s until it is back: %s", action, exc)
            return None
        if self._backend_down:
            self._backend_down = False
            logger.warning("Rate-limit backend reachable again; limits are enforced")
        return result

    def headers(self, result: RateLimitResult) -> list[tuple[bytes, bytes]]:
        """The ``RateLimit-*`` headers (and ``Retry-After`` when refused) describing ``result``."""
        # Clamped to the window: float sums such as `now + 60 - now` can come out a hair above 60, and the
        # ceiling of that would tell the client to wait a whole second longer than the window.
        seconds = math.ceil(min(result.reset_after, self.window_seconds))
        reset = b"%d" % seconds
        headers = [
            (b"ratelimit-limit", b"%d" % result.limit),
            (b"ratelimit-remaining", b"%d" % result.remaining),
            (b"ratelimit-reset", reset),
            (b"ratelimit-policy", self.policy),
        ]
        if not result.allowed:
            # Never "0": a client told to retry at once would come straight back into the limit.
            headers.append((b"retry-after", b"%d" % max(1, seconds)))
        return headers


class RateLimitMiddleware:
    """Limit every client to ``requests_per_minute`` requests per sliding window of ``window_seconds``.

    The window slides: at any moment, a client may have made at most the limit in the last ``window_seconds``.
    Over the limit the answer is ``429 Too Many Requests`` with ``Retry-After`` (seconds until a request is
    allowed again). Every answer carries ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` and
    ``RateLimit-Policy`` (IETF draft "RateLimit header fields for HTTP"). Only HTTP requests are counted.

    The client is ``scope["client"]``'s address (for IPv6, its /64 network: one host usually owns a whole /64
    and could otherwise take a new address per request). ``forwarded_for_header`` (e.g. ``"x-forwarded-for"``) is read
    only when the connection comes from one of ``trusted_proxies``; the client is then the rightmost address in
    it that is not a trusted proxy, because addresses further left are whatever the client wrote.

    Backends: :class:`MemoryRateLimitBackend` (default) counts per process, so every worker has its own counts;
    :class:`RedisRateLimitBackend` shares the counts between all workers and machines. When the backend is
    unreachable, ``failure_mode="open"`` (default) lets requests through uncounted and ``"closed"`` answers
    ``503``; either way it is logged once when the backend goes away and once when it is back.

    Args:
        app: The ASGI app to wrap.
        requests_per_minute: Requests allowed per window (the name matches the default 60-second window).
        window_seconds: Length of the sliding window.
        forwarded_for_header: A header carrying the client address set by your proxies.
        trusted_proxies: Addresses/CIDR networks of proxies whose ``forwarded_for_header`` is believed.
        backend: Where counts are kept; a new :class:`MemoryRateLimitBackend` by default.
        key_func: Computes the client key from the request instead (for example an API key or user ID).
        failure_mode: ``"open"`` or ``"closed"`` when the backend fails.
        headers: Add the ``RateLimit-*`` headers to allowed responses.

    Example:
        >>> backend = RedisRateLimitBackend("redis://localhost:6379/0")
        >>> app.add_middleware(RateLimitMiddleware, requests_per_minute=100, backend=backend)
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        requests_per_minute: int = 120,
        window_seconds: float = 60.0,
        forwarded_for_header: str | None = None,
        trusted_proxies: Sequence[str] = _LOOPBACK,
        backend: RateLimitBackend | None = None,
        key_func: Callable[[Request], str] | None = None,
        failure_mode: FailureMode = "open",
        headers: bool = True,
    ) -> None:
        self.app = app
        self._limiter = _Limiter(
            "RateLimitMiddleware",
            requests_per_minute,
            window_seconds,
            backend,
            forwarded_for_header,
            trusted_proxies,
            key_func,
            failure_mode,
        )
        self.requests_per_minute = requests_per_minute
        self.window_seconds = window_seconds
        self.add_headers = headers

    @property
    def backend(self) -> RateLimitBackend:
        """The backend that keeps the counts."""
        return self._limiter.backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "lifespan":
            await self.app(scope, receive, self._closing_send(send))
            return
        if scope_type != "http":
            await self.app(scope, receive, send)
            return
        limiter = self._limiter
        result = await limiter.hit(limiter.client_key(scope))
        head = scope["method"] == "HEAD"
        if result is None:
            if limiter.failure_mode == "closed":
                retry = [(b"retry-after", _FAIL_CLOSED_RETRY_AFTER.encode())]
                await send_plain_response(send, 503, _UNAVAILABLE_BODY, retry, content_type=_JSON, head=head)
                return
            await self.app(scope, receive, send)
            return
        encoded = limiter.headers(result)
        if not result.allowed:
            await send_plain_response(send, 429, _TOO_MANY_BODY, encoded, content_type=_JSON, head=head)
            return
        if not self.add_headers:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                # A route-level RateLimit already reported its (narrower) limit: one policy per response.
                if all(name.lower() != b"ratelimit-limit" for name, _ in headers):
                    headers.extend(encoded)
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _closing_send(self, send: Send) -> Send:
        backend = self._limiter.backend

        async def send_then_close(message: Message) -> None:
            if message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                # The backend's connections belong to the event loop that is about to end.
                await backend.close()
            await send(message)

        return send_then_close


class RateLimit:
    """A dependency that limits one route (or a group of routes) per client.

    Use it in ``dependencies=[...]`` or as a parameter default. By default each route that uses an instance has
    its own counter per client; give several routes the same ``bucket`` to share one. Over the limit it raises
    ``HTTPException(429)`` with ``Retry-After`` and the ``RateLimit-*`` headers; allowed responses get the
    ``RateLimit-*`` headers too. Client identification, backends and ``failure_mode`` work as in
    :class:`RateLimitMiddleware` (``"closed"`` raises ``HTTPException(503)``).

    Args:
        requests: Requests allowed per window.
        window_seconds: Length of the sliding window.
        backend: Where counts are kept; a new :class:`MemoryRateLimitBackend` by default.
        bucket: Name of the counter; defaults to the route's method and path template.
        forwarded_for_header: See :class:`RateLimitMiddleware`.
        trusted_proxies: See :class:`RateLimitMiddleware`.
        key_func: See :class:`RateLimitMiddleware`.
        failure_mode: ``"open"`` or ``"closed"`` when the backend fails.
        headers: Add the ``RateLimit-*`` headers to allowed responses.

    Example:
        >>> @app.post("/login", dependencies=[Depends(RateLimit(5, window_seconds=60))])
        ... async def login(): ...
    """

    def __init__(
        self,
        requests: int,
        window_seconds: float = 60.0,
        *,
        backend: RateLimitBackend | None = None,
        bucket: str | None = None,
        forwarded_for_header: str | None = None,
        trusted_proxies: Sequence[str] = _LOOPBACK,
        key_func: Callable[[Request], str] | None = None,
        failure_mode: FailureMode = "open",
        headers: bool = True,
    ) -> None:
        self._limiter = _Limiter(
            "RateLimit",
            requests,
            window_seconds,
            backend,
            forwarded_for_header,
            trusted_proxies,
            key_func,
            failure_mode,
        )
        self.bucket = bucket
        self.add_headers = headers

    @property
    def backend(self) -> RateLimitBackend:
        """The backend that keeps the counts."""
        return self._limiter.backend

    async def __call__(self, request: Request, response: Response) -> None:
        limiter = self._limiter
        scope = request.scope
        bucket = self.bucket
        if bucket is None:
            route = scope.get("route")
            path = getattr(route, "path", None) or scope.get("path", "")
            bucket = f"{scope.get('method', '')} {path}"
        result = await limiter.hit(f"{bucket}|{limiter.client_key(scope)}")
        if result is None:
            if limiter.failure_mode == "closed":
                raise HTTPException(503, "Rate limiting is unavailable", {"retry-after": _FAIL_CLOSED_RETRY_AFTER})
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in limiter.headers(result)}
        if not result.allowed:
            raise HTTPException(429, "Too Many Requests", headers)
        if self.add_headers:
            response.headers.update(headers)

    def __repr__(self) -> str:
        return f"RateLimit({self._limiter.limit}, window_seconds={self._limiter.window_seconds})"
