"""Marking routes for the Redis cache (``cache``, ``RouteCache``) and deleting cached entries (``invalidate_cache``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import Scope

from ._http_cache import DEFAULT_KEY_PREFIX, escape_glob, quoted_path

__all__ = ("RouteCache", "cache", "invalidate_cache")

logger = logging.getLogger("fasterapi_ecosystem.cache")

F = TypeVar("F", bound=Callable[..., Any])

ROUTE_CACHE_SCOPE_KEY: Final = "fasterapi_ecosystem.route_cache"
_MIDDLEWARE_SCOPE_KEY: Final = "fasterapi_ecosystem.cache_middleware"
_ROUTE_CACHE_ATTRIBUTE: Final = "__fasterapi_route_cache__"


class RouteCache:
    """Per-route cache settings for :class:`RedisCacheMiddleware`, made by :func:`cache`.

    Use it as a decorator on the endpoint, or its :attr:`dependency` in ``Depends`` (for example on a whole
    router). The route's responses are stored for ``ttl`` seconds unless they state their own lifetime
    (``Cache-Control: max-age``/``s-maxage``, ``Expires``) or forbid storing (``no-store``, ``private``,
    ``no-cache``, ``Set-Cookie``).
    """

    __slots__ = ("statuses", "ttl")

    def __init__(self, ttl: float, statuses: Iterable[int] | None = None) -> None:
        if ttl <= 0:
            raise ValueError("cache(ttl=...) needs a positive number of seconds")
        self.ttl = float(ttl)
        self.statuses = frozenset(statuses) if statuses is not None else None

    def __call__(self, endpoint: F) -> F:
        """Mark ``endpoint`` (the decorator form)."""
        setattr(endpoint, _ROUTE_CACHE_ATTRIBUTE, self)
        return endpoint

    def dependency(self, connection: HTTPConnection) -> None:
        """Mark the current request's route (the dependency form: ``Depends(cache(ttl=60).dependency)``)."""
        scope = connection.scope
        scope[ROUTE_CACHE_SCOPE_KEY] = self
        if _MIDDLEWARE_SCOPE_KEY not in scope:
            _warn_once("cache(...) is used on a route but RedisCacheMiddleware is not installed: nothing is cached")

    def __repr__(self) -> str:
        statuses = "" if self.statuses is None else f", statuses={sorted(self.statuses)}"
        return f"cache(ttl={self.ttl:g}{statuses})"


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning(message)


def cache(ttl: float, *, statuses: Iterable[int] | None = None) -> RouteCache:
    """Cache a route's responses for ``ttl`` seconds through :class:`RedisCacheMiddleware`.

    Args:
        ttl: Freshness lifetime in seconds, used when the response does not state its own.
        statuses: The statuses stored for this route; the middleware's ``cacheable_statuses`` by default.

    Returns:
        A :class:`RouteCache`: a decorator for the endpoint, with a ``dependency`` for ``Depends``.

    Example:
        >>> @app.get("/products/{product_id}")
        ... @cache(ttl=60)
        ... async def product(product_id: int) -> Product: ...
        >>> router = APIRouter(dependencies=[Depends(cache(ttl=30).dependency)])
    """
    return RouteCache(ttl, statuses)


def _route_cache(scope: Scope) -> RouteCache | None:
    marked: RouteCache | None = scope.get(ROUTE_CACHE_SCOPE_KEY)
    if marked is not None:
        return marked
    endpoint = getattr(scope.get("route"), "endpoint", None)
    found: RouteCache | None = getattr(endpoint, _ROUTE_CACHE_ATTRIBUTE, None)
    return found


async def invalidate_cache(
    redis_client: Any,
    path_prefix: str = "/",
    *,
    key_prefix: str = DEFAULT_KEY_PREFIX,
    exact: bool = False,
    batch_size: int = 500,
) -> int:
    """Delete cached responses whose path starts with ``path_prefix`` (all hosts, methods, queries, variants).

    Args:
        redis_client: The client the middleware uses (with ``scan_iter`` and ``unlink`` or ``delete``).
        path_prefix: A path prefix such as ``"/products/"``; ``"/"`` clears the whole cache.
        key_prefix: The middleware's ``key_prefix``.
        exact: Delete the entries of exactly this path (any query) instead of every path starting with it.
        batch_size: Keys scanned and deleted per round trip.

    Returns:
        How many keys were deleted.

    Example:
        >>> await invalidate_cache(redis_client, f"/products/{product_id}", exact=True)
    """
    if not path_prefix.startswith("/"):
        raise ValueError("path_prefix must start with '/'")
    pattern = escape_glob(key_prefix + quoted_path(path_prefix)) + (" *" if exact else "*")
    remove = getattr(redis_client, "unlink", None) or redis_client.delete
    deleted = 0
    batch: list[bytes] = []
    async for key in redis_client.scan_iter(match=pattern, count=batch_size):
        batch.append(key)
        if len(batch) >= batch_size:
            deleted += await remove(*batch)
            batch.clear()
    if batch:
        deleted += await remove(*batch)
    return deleted
