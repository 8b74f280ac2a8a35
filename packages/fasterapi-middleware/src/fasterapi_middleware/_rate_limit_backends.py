"""Sliding-window rate-limit backends: in process memory (one process) and Redis (shared by every worker).

Both keep an exact sliding log: the times of the requests allowed during the last ``window_seconds``. A request
is allowed while fewer than ``limit`` are logged; refused requests are not logged, so a client that keeps
hammering is let in again as soon as its oldest allowed request leaves the window.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = (
    "MemoryRateLimitBackend",
    "RateLimitBackend",
    "RateLimitBackendError",
    "RateLimitResult",
    "RedisRateLimitBackend",
)


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    """The outcome of one counted request.

    Attributes:
        allowed: Whether the request is within the limit.
        limit: The number of requests allowed per window.
        remaining: How many more requests the window allows right now.
        reset_after: Seconds until the oldest logged request leaves the window (one more request is allowed
            then); this is the ``Retry-After`` of a refused request.
    """

    allowed: bool
    limit: int
    remaining: int
    reset_after: float


class RateLimitBackendError(Exception):
    """The backend could not be reached or failed; the limiter then fails open or closed as configured."""


@runtime_checkable
class RateLimitBackend(Protocol):
    """What a rate-limit store provides. Implement it to keep the counters somewhere else."""

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitResult:
        """Count one request for ``key`` if the window allows it, and report the state of the window.

        Raises:
            RateLimitBackendError: When the store cannot be reached.
        """

    async def close(self) -> None:
        """Release connections; called at application shutdown."""


class MemoryRateLimitBackend:
    """Counters in this process's memory: right for one worker, wrong for several.

    Each worker process has its own counters, so with N workers a client gets up to N times the limit.
    Use :class:`RedisRateLimitBackend` for more than one worker or machine.

    Clients that have not been seen for a whole window are forgotten (checked at most once per window), so
    memory stays proportional to the clients active in the last window.

    Args:
        clock: Monotonic time in seconds (replace it in tests).
    """

    __slots__ = ("_clock", "_hits", "_last_sweep", "_longest_window")

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._last_sweep = clock()
        self._longest_window = 0.0

    def __len__(self) -> int:
        """How many keys are tracked."""
        return len(self._hits)

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitResult:
        """Count one request for ``key`` (see :meth:`RateLimitBackend.hit`)."""
        # No await in here: on one event loop the check and the update are atomic.
        now = self._clock()
        cutoff = now - window_seconds
        self._longest_window = max(self._longest_window, window_seconds)
        if now - self._last_sweep >= self._longest_window:
            self._sweep(now)
        log = self._hits.get(key)
        if log is None:
            log = self._hits[key] = deque()
        while log and log[0] <= cutoff:
            log.popleft()
        allowed = len(log) < limit
        if allowed:
            log.append(now)
        reset_after = log[0] + window_seconds - now if log else window_seconds
        # Clamped: the float sum above can exceed the window by a rounding error.
        reset_after = min(max(reset_after, 0.0), window_seconds)
        return RateLimitResult(allowed, limit, max(limit - len(log), 0), reset_after)

    def _sweep(self, now: float) -> None:
        cutoff = now - self._longest_window
        stale = [key for key, log in self._hits.items() if not log or log[-1] <= cutoff]
        for key in stale:
            del self._hits[key]
        self._last_sweep = now

    async def close(self) -> None:
        """Forget every counter."""
        self._hits.clear()


# One round trip, atomic: drop expired entries, count, log this request if allowed, report. Time comes from the
# Redis server, so workers on machines with skewed clocks still share one window, unless the caller passes its
# own (ARGV[4], microseconds: an injected clock).
_SLIDING_WINDOW_LUA = """
local now
if ARGV[4] then
    now = tonumber(ARGV[4])
else
    local now_parts = redis.call('TIME')
    now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
    redis.call('ZADD', KEYS[1], now, ARGV[3])
    count = count + 1
    allowed = 1
end
local reset = window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then
    reset = tonumber(oldest[2]) + window - now
end
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return {allowed, count, reset}
"""


class RedisRateLimitBackend:
    """Counters in Redis, shared by every worker process and machine that uses the same Redis.

    Each request costs one round trip: a Lua script (sent once, then called by its SHA) that trims, counts and
    logs atomically in a sorted set per client, timed by the Redis server's clock (or by ``clock``). Keys
    expire after one window without requests.

    When Redis cannot be reached (or answers slower than ``timeout``), :meth:`hit` raises
    :class:`RateLimitBackendError` and the limiter fails open or closed as configured. For ``retry_interval``
    seconds after a failure Redis is not tried again, so an outage costs requests no waiting; after that the
    next request tries again, and counting resumes as soon as Redis answers.

    Args:
        url: A Redis URL such as ``redis://localhost:6379/0`` (ignored when ``client`` is given).
        client: A ready ``redis.asyncio.Redis`` client to use instead of ``url``; it is not closed by
            :meth:`close`.
        prefix: Prepended to every key.
        timeout: Seconds each Redis call may take, whatever the client (a frozen Redis costs at most this);
            also the connect and read timeout of the client built from ``url``.
        retry_interval: Seconds during which Redis is not tried again after a failure.
        clock: Time in seconds that times the windows and the retry interval instead of the Redis server's
            clock and ``time.monotonic`` (for tests: every worker sharing the counts must use the same clock).

    Raises:
        ImportError: When the ``redis`` package is missing (``pip install "fasterapi-middleware[redis]"``).

    Example:
        >>> backend = RedisRateLimitBackend("redis://localhost:6379/0")
        >>> app.add_middleware(RateLimitMiddleware, requests_per_minute=100, backend=backend)
    """

    __slots__ = (
        "_client",
        "_clock",
        "_down_until",
        "_errors",
        "_ids",
        "_ids_prefix",
        "_owns_client",
        "_script",
        "_window_clock",
        "prefix",
        "retry_interval",
        "timeout",
    )

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Redis | None = None,
        prefix: str = "fasterapi:ratelimit:",
        timeout: float = 0.5,
        retry_interval: float = 1.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._errors = (_redis_error_type(), OSError, TimeoutError)
        if client is None:
            if url is None:
                raise TypeError("RedisRateLimitBackend needs a Redis url or a client")
            client = _client_from_url(url, timeout)
            self._owns_client = True
        else:
            self._owns_client = False
        self._client = client
        self._script: Any = client.register_script(_SLIDING_WINDOW_LUA)
        self.prefix = prefix
        self.retry_interval = retry_interval
        self.timeout = timeout
        self._down_until = 0.0
        self._clock = clock if clock is not None else time.monotonic
        self._window_clock = clock
        # Members of the sorted set must be unique even for two requests in the same microsecond.
        self._ids = itertools.count()
        self._ids_prefix = f"{os.getpid():x}.{os.urandom(4).hex()}."

    @property
    def client(self) -> Redis:
        """The ``redis.asyncio.Redis`` client in use."""
        return self._client

    async def hit(self, key: str, limit: int, window_seconds: float) -> RateLimitResult:
        """Count one request for ``key`` (see :meth:`RateLimitBackend.hit`)."""
        if self._down_until and self._clock() < self._down_until:
            raise RateLimitBackendError("Redis was unreachable moments ago; not retried yet")
        window_us = max(math.ceil(window_seconds * 1_000_000), 1)
        member = f"{self._ids_prefix}{next(self._ids)}"
        args: list[int | str] = [limit, window_us, member]
        if self._window_clock is not None:
            args.append(round(self._window_clock() * 1_000_000))
        try:
            # The deadline holds for a client given without socket timeouts too (redis.asyncio is asyncio-only).
            async with asyncio.timeout(self.timeout):
                allowed, count, reset_us = await self._script(keys=[self.prefix + key], args=args)
        except self._errors as exc:
            self._down_until = self._clock() + self.retry_interval
            raise RateLimitBackendError(f"Redis rate-limit backend failed: {exc!r}") from exc
        self._down_until = 0.0
        count = int(count)
        reset_after = min(max(int(reset_us), 0), window_us) / 1_000_000
        return RateLimitResult(bool(allowed), limit, max(limit - count, 0), reset_after)

    async def close(self) -> None:
        """Close the connection pool of a client this backend created."""
        if self._owns_client:
            await self._client.aclose()


_MISSING_REDIS = 'RedisRateLimitBackend needs the redis package: pip install "fasterapi-middleware[redis]"'


def _redis_error_type() -> type[Exception]:
    try:
        from redis.exceptions import RedisError
    except ImportError:
        raise ImportError(_MISSING_REDIS) from None
    return RedisError


def _client_from_url(url: str, timeout: float) -> Redis:
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    # One immediate retry covers a pooled connection that died with a Redis restart; the default retries with
    # backoff would make every request wait seconds while Redis is down.
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1),
    )
