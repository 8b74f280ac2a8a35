"""Run blocking code in worker threads without blocking the event loop."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterable
from typing import ParamSpec, TypeVar, cast

import anyio
import anyio.to_thread

from fasterapi_core.subinterpreters import SubInterpreterPool, run_in_subinterpreter

__all__ = ("SubInterpreterPool", "iterate_in_threadpool", "run_in_subinterpreter", "run_in_threadpool")

P = ParamSpec("P")
T = TypeVar("T")

_EXHAUSTED = object()
# A sync generator's cleanup code runs in a thread; do not let a stuck one hold the task forever.
_CLOSE_TIMEOUT = 5.0


async def run_in_threadpool(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call a blocking function in a worker thread and return its result.

    Context variables of the calling task are visible in the thread (anyio copies the context).
    The call is not interrupted by cancellation: the task waits for the thread to finish.

    Args:
        func: The blocking callable.
        *args: Positional arguments for ``func``.
        **kwargs: Keyword arguments for ``func``.

    Returns:
        Whatever ``func`` returns.

    Example:
        >>> await run_in_threadpool(time.sleep, 0.1)
    """
    if kwargs:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))
    return await anyio.to_thread.run_sync(func, *args)


async def iterate_in_threadpool(iterable: Iterable[T]) -> AsyncIterator[T]:
    """Iterate a blocking iterable, fetching each item in a worker thread.

    When the async iterator is closed early (for example because the client went away), the
    underlying generator is closed too, so its ``finally`` blocks run.

    Args:
        iterable: Any synchronous iterable, typically a generator doing blocking I/O.

    Yields:
        The items of ``iterable``, in order.
    """
    iterator = iter(iterable)
    try:
        while True:
            # StopIteration cannot cross the thread boundary, so exhaustion is signalled by a sentinel.
            item = await anyio.to_thread.run_sync(next, iterator, _EXHAUSTED)
            if item is _EXHAUSTED:
                return
            yield cast(T, item)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            with anyio.move_on_after(_CLOSE_TIMEOUT, shield=True):
                await anyio.to_thread.run_sync(close, abandon_on_cancel=True)
