"""What kind of callable an endpoint or dependency is (async, generator, async generator), seen through
``functools.wraps`` wrappers, partials and ``__call__``, as FastAPI decides it."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from types import FunctionType
from typing import Any

__all__ = ("_callable_kind", "_unwrapped")


def _callable_kind(call: Callable[..., Any]) -> tuple[bool, bool, bool]:
    """(is_async, is_async_generator, is_generator) for a function, a class or a callable instance.

    As FastAPI decides it: a callable made by ``functools.wraps`` is what it wraps (``__wrapped__``), a partial is
    its function, an instance is its ``__call__`` (itself maybe wrapped), and a class is none of them. An async
    generator wins over a generator, which wins over a coroutine function (a wrapper may be one and wrap another).
    """
    if type(call) is FunctionType and "__wrapped__" not in call.__dict__:
        # PERF: a plain function (most endpoints and dependencies) is its own code: no partial to strip, nothing
        # wrapped, and its ``__call__`` (a method-wrapper) is never a function, so the general walk below gives the
        # same answer after a dozen ``inspect`` calls (a quarter of a route's registration).
        if inspect.isasyncgenfunction(call):
            return False, True, False
        if inspect.isgeneratorfunction(call):
            return False, False, True
        return inspect.iscoroutinefunction(call), False, False
    return _general_callable_kind(call)


def _general_callable_kind(call: Callable[..., Any]) -> tuple[bool, bool, bool]:
    """``_callable_kind`` for any callable, through partials, wrappers and ``__call__``."""
    if inspect.isclass(call):
        return False, False, False
    is_async_generator = _is_kind(call, inspect.isasyncgenfunction)
    is_generator = not is_async_generator and _is_kind(call, inspect.isgeneratorfunction)
    is_async = not (is_async_generator or is_generator) and _is_kind(call, _is_coroutine_routine)
    return is_async, is_async_generator, is_generator


def _is_coroutine_routine(target: Any) -> bool:
    return inspect.isroutine(target) and inspect.iscoroutinefunction(target)


def _without_partials(call: Any) -> Any:
    while isinstance(call, functools.partial):
        call = call.func
    return call


def _unwrapped(call: Any) -> Any:
    """``call`` without its partials and ``functools.wraps`` wrappers."""
    call = _without_partials(call)
    try:
        return inspect.unwrap(call)
    except ValueError:  # a cycle of __wrapped__
        return call


def _is_kind(call: Any, predicate: Callable[[Any], bool]) -> bool:
    """Whether ``predicate`` holds for ``call`` (or what it wraps), or for the ``__call__`` of either."""
    bare = _without_partials(call)
    unwrapped = _unwrapped(call)
    if predicate(bare) or predicate(unwrapped):
        return True
    if inspect.isclass(unwrapped):
        return False
    for owner in (bare, unwrapped):
        dunder_call = getattr(owner, "__call__", None)  # noqa: B004 - an instance's __call__
        if dunder_call is None:
            continue
        if predicate(_without_partials(dunder_call)) or predicate(_unwrapped(dunder_call)):
            return True
    return False
