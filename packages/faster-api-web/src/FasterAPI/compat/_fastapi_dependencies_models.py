"""``fastapi.dependencies.models`` under the compatibility layer: ``Dependant`` as routes expose it, and FastAPI's
private helpers that derive values from one (its scopes, cache key, exit scope, security scheme, callable kind).

The callable kinds are core's (``fasterapi_core._callable_kinds``), remembered per callable object (by identity,
as FastAPI does, so equal but distinct callables are classified apart) in bounded caches of FastAPI's size.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fasterapi_core._callable_kinds import _callable_kind, _unwrapped
from fasterapi_core._dependant_models import Dependant, ModelField, SecurityRequirement
from fasterapi_security._base import SecurityBase

__all__ = (
    "Dependant",
    "ModelField",
    "SecurityRequirement",
    "_get_cache_key",
    "_get_computed_scope",
    "_get_oauth_scopes",
    "_get_security_scheme",
    "_is_async_gen_callable",
    "_is_async_gen_callable_cached",
    "_is_coroutine_callable",
    "_is_coroutine_callable_cached",
    "_is_gen_callable",
    "_is_gen_callable_cached",
    "_is_security_scheme",
    "_uses_scopes",
)

_CALLABLE_CLASSIFICATION_CACHE_SIZE = 4096
_UsesScopesCache = dict[int, tuple[Dependant, bool]]


class _CallIdentity:
    """A callable as a cache key by identity (a callable may be unhashable, or equal to another one)."""

    __slots__ = ("call",)

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call = call

    def __hash__(self) -> int:
        return id(self.call)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _CallIdentity) and self.call is other.call


@lru_cache(maxsize=_CALLABLE_CLASSIFICATION_CACHE_SIZE)
def _is_coroutine_callable_cached(call_identity: _CallIdentity) -> bool:
    return _callable_kind(call_identity.call)[0]


@lru_cache(maxsize=_CALLABLE_CLASSIFICATION_CACHE_SIZE)
def _is_async_gen_callable_cached(call_identity: _CallIdentity) -> bool:
    return _callable_kind(call_identity.call)[1]


@lru_cache(maxsize=_CALLABLE_CLASSIFICATION_CACHE_SIZE)
def _is_gen_callable_cached(call_identity: _CallIdentity) -> bool:
    return _callable_kind(call_identity.call)[2]


def _is_coroutine_callable(call: Callable[..., Any] | None) -> bool:
    """Whether calling ``call`` gives a coroutine."""
    return call is not None and _is_coroutine_callable_cached(_CallIdentity(call))


def _is_async_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is an async generator function (or wraps one, or its ``__call__`` is one)."""
    return call is not None and _is_async_gen_callable_cached(_CallIdentity(call))


def _is_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is a generator function (or wraps one, or its ``__call__`` is one)."""
    return call is not None and _is_gen_callable_cached(_CallIdentity(call))


def _get_oauth_scopes(*, dependant: Dependant) -> list[str]:
    """The scopes of every ``Security`` above ``dependant`` and its own, in order, without repeats."""
    return dependant.oauth_scopes


def _get_computed_scope(*, dependant: Dependant) -> str | None:
    """When a dependency exits: its ``scope``, ``"request"`` for a generator without one, else None."""
    return dependant.computed_scope


def _is_security_scheme(*, dependant: Dependant) -> bool:
    """Whether the dependant's callable is a security scheme (``OAuth2PasswordBearer(...)``, ``APIKeyHeader(...)``)."""
    return dependant.call is not None and isinstance(_unwrapped(dependant.call), SecurityBase)


def _get_security_scheme(*, dependant: Dependant) -> SecurityBase:
    """The security scheme the dependant calls."""
    scheme = _unwrapped(dependant.call)
    assert isinstance(scheme, SecurityBase), "the dependant does not call a security scheme"
    return scheme


def _uses_scopes(*, dependant: Dependant, cache: _UsesScopesCache | None = None) -> bool:
    """Whether ``dependant`` or a dependency below it reads security scopes (its own ``Security(scopes=...)``, a
    ``SecurityScopes`` parameter, or a security scheme); ``cache`` remembers the answer per dependant."""
    if cache is None:
        cache = {}
    cached = cache.get(id(dependant))
    if cached is not None and cached[0] is dependant:
        return cached[1]
    result = bool(
        dependant.own_oauth_scopes
        or dependant.security_scopes_param_name is not None
        or _is_security_scheme(dependant=dependant)
        or any(_uses_scopes(dependant=sub, cache=cache) for sub in dependant.dependencies)
    )
    cache[id(dependant)] = (dependant, result)
    return result


def _get_cache_key(
    *, dependant: Dependant, uses_scopes_cache: _UsesScopesCache | None = None
) -> tuple[Any, tuple[str, ...], str]:
    """What a request caches the dependency's value under: its callable, its scopes (only when something below it
    reads them, so a dependency reached under different ``Security`` scopes is solved once) and its exit scope."""
    scopes: tuple[str, ...] = ()
    if _uses_scopes(dependant=dependant, cache=uses_scopes_cache):
        scopes = tuple(sorted(set(dependant.oauth_scopes)))
    return (dependant.call, scopes, dependant.computed_scope or "")
