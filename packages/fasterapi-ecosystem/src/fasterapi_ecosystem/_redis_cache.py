"""``RedisCacheMiddleware``: a shared HTTP response cache in Redis; ``cache`` marks routes; ``invalidate_cache``."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

import anyio
import redis.asyncio
import redis.exceptions

from fasterapi_core.middleware.base import BaseHTTPMiddleware
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._http_cache import (
    DEFAULT_KEY_PREFIX,
    HOP_BY_HOP_HEADERS,
    PassMarker,
    RequestHeaders,
    StoredResponse,
    VaryIndex,
    base_key,
    decode_entry,
    delta_seconds,
    encode_entry,
    etag_matches,
    freshness_lifetime,
    parse_cache_control,
    variant_key,
    vary_names,
)
from ._redis_commands import _decodes_responses, _PlainCommands, _ScriptedCommands
from ._route_cache import _MIDDLEWARE_SCOPE_KEY, RouteCache, _route_cache, cache, invalidate_cache, logger

__all__ = ("RedisCacheMiddleware", "RouteCache", "cache", "invalidate_cache")

# How long a key whose response could not be stored is fetched without request coalescing.
_PASS_TTL_MS: Final = 10_000
_FIRST_POLL: Final = 0.005
_MAX_POLL: Final = 0.05
_REDIS_ERRORS: Final = (redis.exceptions.RedisError, OSError, TimeoutError)
# Headers a 304 carries from the stored response (RFC 9110 §15.4.5).
_NOT_MODIFIED_HEADERS: Final = frozenset(
    {b"cache-control", b"content-location", b"date", b"etag", b"expires", b"vary", b"last-modified"}
)


class _Unavailable(Exception):
    """Redis failed or timed out; the request goes on without the cache."""


class _Capture:
    """The response of a miss, collected while it streams to the client, and what to do with it."""

    __slots__ = ("body", "headers", "lifetime", "names", "size", "status", "storable")

    def __init__(self) -> None:
        self.storable = False
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.size = 0
        self.lifetime = 0.0
        self.names: tuple[str, ...] = ()


class RedisCacheMiddleware(BaseHTTPMiddleware):
    """A shared HTTP cache (RFC 9111) in Redis for ``GET`` responses: every worker and machine shares it.

    What is stored: responses to ``methods`` (``GET``) with a status in ``cacheable_statuses`` and a body of at
    most ``max_body_bytes``, for the lifetime they state (``Cache-Control: s-maxage``/``max-age``,
    ``Expires``), else the route's :func:`cache` ``ttl``, else ``ttl`` (``None``: only responses that state a
    lifetime or whose route is marked are stored). Never stored: responses with ``Cache-Control: no-store``,
    ``private`` or ``no-cache``, with ``Set-Cookie``, or with ``Vary: *``.

    Requests that carry ``Authorization`` or cookies bypass the cache (neither served nor stored) unless
    ``allow_authorization``/``allow_cookies`` is set; even then a response to an authorized request is stored
    only if it says ``public``, ``s-maxage`` or ``must-revalidate`` (RFC 9111 §3.5). ``Vary`` is honoured:
    each combination of the listed request headers is its own entry.

    Request directives: ``no-cache`` (or ``Pragma: no-cache``) fetches a fresh response and stores it;
    ``no-store`` serves from the cache but stores nothing; ``max-age``/``min-fresh`` limit the age of a cached
    answer; ``only-if-cached`` gets ``504`` on a miss. ``HEAD`` is answered from the cached ``GET``; a matching
    ``If-None-Match`` gets ``304``. Hits carry ``Age``; every response to a cacheable method carries
    ``X-Cache: HIT`` or ``MISS``.

    Stampede protection: on a miss one request (holding a short Redis lock) computes the response while the
    others poll for it for up to ``stampede_wait`` seconds, then go to the app themselves. A key whose response
    could not be stored is fetched without waiting for a while, so uncacheable routes are never serialised.

    If Redis is down or slow (each call is bounded by ``redis_timeout``), requests go to the app uncached; the
    failure is logged once and Redis is retried after ``retry_after`` seconds. Errors never reach the client.

    Any redis-compatible async client works: with a ``redis.asyncio.Redis`` (one server) lookups and stores are
    Lua scripts, atomic and one round trip each; with anything else (``redis.asyncio.RedisCluster``, whose
    scripts cannot span hash slots, or another client with async ``get``, ``set(..., nx=, px=)`` and
    ``delete``) they are plain commands.

    Args:
        app: The ASGI app to wrap.
        redis_client: A ``redis.asyncio.Redis`` or ``RedisCluster`` client or another redis-compatible client
            (returning bytes, not decoded text), or a ``redis://`` URL (the middleware then owns the client and
            closes it when the application shuts down).
        ttl: Default freshness lifetime in seconds for responses that state none; ``None`` stores only those
            that state one or whose route is marked with :func:`cache`.
        key_prefix: Prefix of every Redis key (see :func:`invalidate_cache`).
        methods: The methods whose responses are cached.
        cacheable_statuses: The statuses stored.
        max_body_bytes: Larger responses are streamed through and not stored.
        allow_authorization: Cache requests that carry ``Authorization`` (see above).
        allow_cookies: Cache requests that carry cookies; personalised responses must then say ``Vary: Cookie``
            or ``Cache-Control: private``.
        cache_header: The response header telling ``HIT`` or ``MISS``; ``None`` to send none.
        stampede_wait: Seconds a request waits for another one filling the same entry.
        lock_timeout: Seconds after which a filler's lock expires (a crashed worker cannot block a key longer).
        redis_timeout: Seconds each Redis call may take before the request goes on without the cache.
        retry_after: Seconds the cache stays bypassed after a Redis failure.
        use_scripts: Use Lua scripts (``True``) or plain commands (``False``); by default scripts exactly when
            the client is a ``redis.asyncio.Redis``.

    Example:
        >>> client = redis.asyncio.Redis.from_url("redis://localhost:6379/0")
        >>> app.add_middleware(RedisCacheMiddleware, redis_client=client, ttl=60)
    """

    def __init__(
        self,
        app: ASGIApp,
        redis_client: Any,
        *,
        ttl: float | None = 300,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        methods: Iterable[str] = ("GET",),
        cacheable_statuses: Iterable[int] = (200,),
        max_body_bytes: int = 1_048_576,
        allow_authorization: bool = False,
        allow_cookies: bool = False,
        cache_header: str | None = "X-Cache",
        stampede_wait: float = 2.0,
        lock_timeout: float = 30.0,
        redis_timeout: float = 0.5,
        retry_after: float = 1.0,
        use_scripts: bool | None = None,
    ) -> None:
        super().__init__(app)
        self._owns_client = isinstance(redis_client, str)
        if isinstance(redis_client, str):
            redis_client = redis.asyncio.Redis.from_url(
                redis_client, socket_timeout=redis_timeout, socket_connect_timeout=redis_timeout
            )
        if _decodes_responses(redis_client):
            raise ValueError("RedisCacheMiddleware needs a Redis client with decode_responses=False")
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be a positive number of seconds, or None")
        self.redis = redis_client
        self.ttl = ttl
        self.key_prefix = key_prefix
        self.methods = frozenset(method.upper() for method in methods)
        self.cacheable_statuses = frozenset(cacheable_statuses)
        self.max_body_bytes = max_body_bytes
        self.allow_authorization = allow_authorization
        self.allow_cookies = allow_cookies
        self.cache_header = cache_header.lower().encode("latin-1") if cache_header else None
        self.stampede_wait = stampede_wait
        self.lock_ms = max(1, int(lock_timeout * 1000))
        self.redis_timeout = redis_timeout
        self.retry_after = retry_after
        self._down_until = 0.0
        self._down = False
        if use_scripts is None:
            use_scripts = isinstance(redis_client, redis.asyncio.Redis)
        self._commands = _ScriptedCommands(redis_client) if use_scripts else _PlainCommands(redis_client)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan" and self._owns_client:
            await self.app(scope, receive, self._closing_send(send))
            return
        await super().__call__(scope, receive, send)

    def _closing_send(self, send: Send) -> Send:
        """Close the client this middleware created from a URL when the application shuts down."""

        async def send_and_close(message: Message) -> None:
            if message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                await self.redis.aclose()
            await send(message)

        return send_and_close

    async def invalidate(self, path_prefix: str = "/", *, exact: bool = False) -> int:
        """Delete this cache's entries for paths starting with ``path_prefix``; see :func:`invalidate_cache`."""
        return await invalidate_cache(self.redis, path_prefix, key_prefix=self.key_prefix, exact=exact)

    # -- Redis calls, bounded and fail-open -------------------------------------------------------------------

    async def _redis(self, call: Callable[[], Awaitable[Any]]) -> Any:
        try:
            # PERF: asyncio.timeout costs a fraction of an anyio cancel scope; redis.asyncio is asyncio-only anyway.
            async with asyncio.timeout(self.redis_timeout):
                result = await call()
        except _REDIS_ERRORS as exc:
            self._mark_down(exc)
            raise _Unavailable from exc
        if self._down:
            self._down = False
            logger.info("Redis cache is available again")
        return result

    def _mark_down(self, exc: BaseException) -> None:
        self._down_until = time.monotonic() + self.retry_after
        if not self._down:
            self._down = True
            logger.warning(
                "Redis cache unavailable (%s: %s): requests go to the app uncached; retrying in %g s",
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    async def _lookup(self, key: str, token: str, take_lock: bool) -> tuple[int, bytes | None]:
        result: tuple[int, bytes | None] = await self._redis(
            lambda: self._commands.lookup(key, token, self.lock_ms, take_lock)
        )
        return result

    async def _release(self, key: str, token: str) -> None:
        # Shielded: a cancelled request still frees the key; on failure the lock expires by itself.
        with anyio.CancelScope(shield=True), contextlib.suppress(_Unavailable):
            await self._redis(lambda: self._commands.release(key + " lock", token))

    # -- request handling ---------------------------------------------------------------------------------------

    async def dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve from the cache, or call the app and store its response."""
        method: str = scope["method"]
        is_head = method == "HEAD"
        if method not in self.methods and not (is_head and "GET" in self.methods):
            await self.app(scope, receive, send)
            return
        scope[_MIDDLEWARE_SCOPE_KEY] = self
        headers = RequestHeaders(scope.get("headers", ()))
        if (
            (headers.authorization and not self.allow_authorization)
            or (headers.cookie and not self.allow_cookies)
            or time.monotonic() < self._down_until
        ):
            await self._forward(scope, receive, send, headers, None, None, "")
            return
        directives = parse_cache_control(headers.cache_control)
        if not headers.cache_control and headers.pragma is not None and b"no-cache" in headers.pragma.lower():
            directives["no-cache"] = None
        fresh_only = "no-cache" in directives or delta_seconds(directives.get("max-age")) == 0
        may_store = not is_head and "no-store" not in directives
        # Conditional and range requests get request-specific answers (304, 206) on a miss: they never hold up
        # other requests, and what they get says nothing about whether the URL is cacheable.
        may_coalesce = (
            may_store and headers.if_none_match is None and not headers.if_modified_since and not headers.range
        )
        host = (headers.host or b"").decode("latin-1").lower()
        if not host and scope.get("server"):
            host = "{}:{}".format(*scope["server"])
        key = base_key(
            self.key_prefix,
            "GET" if is_head else method,
            scope.get("scheme", "http"),
            host,
            scope.get("path", "/"),
            scope.get("query_string", b"").decode("latin-1"),
        )
        primary = key
        token = secrets.token_hex(8)
        locked = False
        if not fresh_only:
            try:
                stored, key, locked = await self._find(key, primary, token, headers, may_coalesce)
            except _Unavailable:
                await self._forward(scope, receive, send, headers, None, None, "")
                return
            if stored is not None and self._usable(stored, directives):
                if locked:
                    await self._release(key, token)
                await self._send_hit(stored, scope, send, headers)
                return
        if "only-if-cached" in directives:
            if locked:
                await self._release(key, token)
            await self._send_gateway_timeout(send)
            return
        store_key = key if may_store else None
        await self._forward(scope, receive, send, headers, store_key, primary, token if locked else "")

    async def _find(
        self, key: str, primary: str, token: str, headers: RequestHeaders, may_coalesce: bool
    ) -> tuple[StoredResponse | None, str, bool]:
        """Look ``key`` up, following a vary index and waiting for a concurrent filler.

        Returns the stored response (or ``None``), the key it lives at (or should be stored at), and whether
        this request took the fill lock.
        """
        deadline: float | None = None
        delay = _FIRST_POLL
        followed_index = False
        # PERF: a key is first probed with a plain GET, the cheapest round trip, because hits are the common case;
        # only a miss that may take the fill lock pays for the script (which looks again, atomically with the lock).
        scripted = False
        while True:
            if scripted:
                code, data = await self._lookup(key, token, may_coalesce)
            else:
                data = await self._redis(functools.partial(self.redis.get, key))
                code = 1 if data is not None else 0
                if code == 0 and may_coalesce:
                    scripted = True
                    continue
            if code == 2:
                return None, key, True
            if code == 1:
                assert data is not None
                entry = decode_entry(data)
                if isinstance(entry, VaryIndex) and not followed_index:
                    followed_index = True
                    key = variant_key(primary, entry.names, headers)
                    scripted = False
                    continue
                if isinstance(entry, StoredResponse):
                    return entry, key, False
                # A pass marker (or unreadable data): fetch without coalescing; the response may be stored.
                return None, key, False
            if code == 0:
                return None, key, False
            # Someone else is filling this key: poll until it is stored, the lock frees up, or we stop waiting.
            now = time.monotonic()
            if deadline is None:
                deadline = now + self.stampede_wait
            if now >= deadline:
                return None, key, False
            await anyio.sleep(min(delay, deadline - now))
            delay = min(delay * 2, _MAX_POLL)

    @staticmethod
    def _usable(stored: StoredResponse, directives: dict[str, str | None]) -> bool:
        """Whether the request's ``max-age``/``min-fresh`` accept this (fresh, unexpired) entry."""
        if "max-age" not in directives and "min-fresh" not in directives:
            return True
        age = stored.age(time.time())
        max_age = delta_seconds(directives.get("max-age"))
        if max_age is not None and age > max_age:
            return False
        min_fresh = delta_seconds(directives.get("min-fresh"))
        return min_fresh is None or stored.lifetime - age >= min_fresh

    async def _send_hit(self, stored: StoredResponse, scope: Scope, send: Send, headers: RequestHeaders) -> None:
        age = b"%d" % int(stored.age(time.time()))
        response_headers = stored.headers
        if headers.if_none_match is not None:
            etag = next((value for name, value in response_headers if name == b"etag"), None)
            if etag is not None and etag_matches(headers.if_none_match, etag):
                kept = [(name, value) for name, value in response_headers if name in _NOT_MODIFIED_HEADERS]
                await send({"type": "http.response.start", "status": 304, "headers": self._mark(kept, b"HIT", age)})
                await send({"type": "http.response.body", "body": b""})
                return
        body = b"" if scope["method"] == "HEAD" else stored.body
        marked = self._mark(response_headers, b"HIT", age)
        await send({"type": "http.response.start", "status": stored.status, "headers": marked})
        await send({"type": "http.response.body", "body": body})

    def _mark(
        self, response_headers: list[tuple[bytes, bytes]], outcome: bytes, age: bytes | None = None
    ) -> list[tuple[bytes, bytes]]:
        marked = list(response_headers)
        if age is not None:
            marked.append((b"age", age))
        if self.cache_header is not None:
            marked.append((self.cache_header, outcome))
        return marked

    async def _send_gateway_timeout(self, send: Send) -> None:
        body = b'{"detail":"Not cached (only-if-cached)"}'
        response_headers = [(b"content-length", b"%d" % len(body)), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 504, "headers": self._mark(response_headers, b"MISS")})
        await send({"type": "http.response.body", "body": body})

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: RequestHeaders,
        store_key: str | None,
        primary: str | None,
        token: str,
    ) -> None:
        """Call the app, mark its response ``MISS`` and, when ``store_key`` is set, store what may be stored.

        ``token`` is the fill lock held on ``store_key`` ("" for none); it is always released.
        """
        capture = _Capture()
        done = False

        async def send_and_capture(message: Message) -> None:
            nonlocal done
            kind = message["type"]
            if kind == "http.response.start":
                if store_key is not None:
                    self._decide(capture, message, scope, headers)
                message = {**message, "headers": self._mark(message.get("headers", []), b"MISS")}
            elif kind == "http.response.body" and capture.storable:
                chunk = message.get("body", b"")
                capture.size += len(chunk)
                if capture.size > self.max_body_bytes:
                    capture.storable = False
                    capture.body.clear()
                elif chunk:
                    capture.body.append(chunk)
            await send(message)
            if kind == "http.response.body" and not message.get("more_body", False) and store_key is not None:
                done = True
                # Stored right after the last byte went out: the client does not wait for Redis.
                assert primary is not None
                await self._finish(capture, store_key, primary, token, headers)

        try:
            await self.app(scope, receive, send_and_capture)
        finally:
            if not done and token and store_key is not None:
                await self._release(store_key, token)

    def _decide(self, capture: _Capture, message: Message, scope: Scope, headers: RequestHeaders) -> None:
        """At ``http.response.start``: may this response be stored, for how long, under which variant?"""
        status: int = message["status"]
        route = _route_cache(scope)
        statuses = route.statuses if route is not None and route.statuses is not None else self.cacheable_statuses
        if status not in statuses:
            return
        cache_control: list[bytes] = []
        vary: list[bytes] = []
        expires: bytes | None = None
        date: bytes | None = None
        kept: list[tuple[bytes, bytes]] = []
        for name, value in message.get("headers", ()):
            lower = name.lower()
            if lower == b"set-cookie":
                return
            if lower == b"cache-control":
                cache_control.append(value)
            elif lower == b"vary":
                vary.append(value)
            elif lower == b"expires":
                expires = value
            elif lower == b"date":
                date = value
            if lower not in HOP_BY_HOP_HEADERS and lower not in (b"age", self.cache_header):
                kept.append((lower, value))
        directives = parse_cache_control(cache_control)
        if "no-store" in directives or "private" in directives or "no-cache" in directives:
            return
        if headers.authorization and not (
            "public" in directives or "s-maxage" in directives or "must-revalidate" in directives
        ):
            return
        names = vary_names(vary)
        if names is None:
            return
        lifetime = freshness_lifetime(directives, expires, date)
        if lifetime is None:
            lifetime = route.ttl if route is not None else self.ttl
        if lifetime is None or lifetime <= 0:
            return
        capture.storable = True
        capture.status = status
        capture.headers = kept
        capture.lifetime = lifetime
        capture.names = names

    async def _finish(
        self, capture: _Capture, store_key: str, primary: str, token: str, headers: RequestHeaders
    ) -> None:
        """Store the captured response (or a pass marker), releasing the fill lock in the same round trip."""
        if capture.storable:
            body = b"".join(capture.body)
            response_headers = capture.headers
            if not any(name == b"content-length" for name, _ in response_headers):
                response_headers = [*response_headers, (b"content-length", b"%d" % len(body))]
            entry = StoredResponse(capture.status, response_headers, body, time.time(), capture.lifetime)
            milliseconds = max(1, int(capture.lifetime * 1000))
            if capture.names:
                variant = variant_key(primary, capture.names, headers)
                entries = [(variant, encode_entry(entry)), (primary, encode_entry(VaryIndex(capture.names)))]
            else:
                entries = [(primary, encode_entry(entry))]
        elif token:
            entries = [(store_key, encode_entry(PassMarker()))]
            milliseconds = _PASS_TTL_MS
        else:
            return
        # Shielded so that a cancelled request still releases its lock; failures are logged by _redis.
        with anyio.CancelScope(shield=True), contextlib.suppress(_Unavailable):
            await self._redis(lambda: self._commands.store(entries, milliseconds, store_key + " lock", token))
