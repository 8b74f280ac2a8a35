"""Run blocking code in worker threads without blocking the event loop; pick the event loop itself."""

from __future__ import annotations

import functools
import importlib
import inspect
import warnings
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine, Iterable
from contextlib import AbstractContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar, cast

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from fasterapi_core.subinterpreters import SubInterpreterPool, run_in_subinterpreter

__all__ = (
    "SubInterpreterPool",
    "contextmanager_in_threadpool",
    "install_event_loop",
    "is_coroutine",
    "iterate_in_threadpool",
    "run_in_executor",
    "run_in_subinterpreter",
    "run_in_threadpool",
    "run_until_first_complete",
)

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
    # PERF: imported here so that importing the framework does not load anyio's thread machinery.
    from anyio.to_thread import run_sync

    if kwargs:
        return await run_sync(functools.partial(func, *args, **kwargs))
    return await run_sync(func, *args)


async def iterate_in_threadpool(iterable: Iterable[T]) -> AsyncIterator[T]:
    """Iterate a blocking iterable, fetching each item in a worker thread.

    When the async iterator is closed early (for example because the client went away), the
    underlying generator is closed too, so its ``finally`` blocks run.

    Args:
        iterable: Any synchronous iterable, typically a generator doing blocking I/O.

    Yields:
        The items of ``iterable``, in order.
    """
    import anyio
    import anyio.to_thread

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


@asynccontextmanager
async def contextmanager_in_threadpool(manager: AbstractContextManager[T]) -> AsyncGenerator[T, None]:
    """Use a blocking context manager from async code: ``__enter__`` and ``__exit__`` run in worker threads.

    ``__exit__`` gets a thread of its own (not one of the shared pool, which a pool-backed manager such as a
    database session may be waiting on) and is shielded from cancellation, so clean-up always completes. An
    exception the manager's ``__exit__`` suppresses is not re-raised.

    Example:
        >>> async with contextmanager_in_threadpool(open("settings.toml")) as file:
        ...     text = await run_in_threadpool(file.read)
    """
    import anyio
    import anyio.to_thread

    value = await run_in_threadpool(manager.__enter__)
    exit_limiter = anyio.CapacityLimiter(1)
    try:
        yield value
    except BaseException as error:
        with anyio.CancelScope(shield=True):
            suppressed = await anyio.to_thread.run_sync(
                manager.__exit__, type(error), error, error.__traceback__, limiter=exit_limiter
            )
        if not suppressed:
            raise
    else:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(manager.__exit__, None, None, None, limiter=exit_limiter)


async def run_until_first_complete(*calls: tuple[Callable[..., Coroutine[Any, Any, Any]], dict[str, Any]]) -> None:
    """Run ``(function, keyword arguments)`` coroutines together; when the first one returns, cancel the others.

    Deprecated (as in Starlette): use an ``anyio`` task group and cancel its scope yourself.
    """
    warnings.warn(
        "run_until_first_complete is deprecated and will be removed in a future version.",
        DeprecationWarning,
        stacklevel=2,
    )
    import anyio

    async with anyio.create_task_group() as task_group:

        async def run_then_cancel(function: Callable[..., Coroutine[Any, Any, Any]], kwargs: dict[str, Any]) -> None:
            await function(**kwargs)
            task_group.cancel_scope.cancel()

        for function, kwargs in calls:
            task_group.start_soon(run_then_cancel, function, kwargs)


async def run_in_executor(func: Callable[..., T], *args: Any, executor: Executor | None = None, **kwargs: Any) -> T:
    """Call a blocking function in ``executor``, or in the worker thread pool, and return its result (the seed's name).

    Args:
        func: The blocking callable.
        *args: Positional arguments for ``func``.
        executor: A ``concurrent.futures`` executor (a process pool for CPU-bound work, say); None for the thread
            pool of :func:`run_in_threadpool`.
        **kwargs: Keyword arguments for ``func``.

    Returns:
        Whatever ``func`` returns.

    Example:
        >>> digest = await run_in_executor(hashlib.sha256, data)
    """
    if executor is None:
        return await run_in_threadpool(functools.partial(func, *args, **kwargs))
    import asyncio

    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, functools.partial(func, *args, **kwargs))


def is_coroutine(obj: Any) -> bool:
    """True when calling ``obj`` gives a coroutine: an ``async def`` function or method, a ``functools.partial``
    of one, or an object whose ``__call__`` is ``async def``.

    Example:
        >>> is_coroutine(asyncio.sleep)
        True
    """
    while isinstance(obj, functools.partial):
        obj = obj.func
    if inspect.iscoroutinefunction(obj):
        return True
    if inspect.isroutine(obj) or isinstance(obj, type):
        return False
    call_method = type(obj).__call__ if callable(obj) else None
    return inspect.iscoroutinefunction(call_method)


def install_event_loop() -> Literal["uvloop", "asyncio"]:
    """Make new event loops uvloop ones when uvloop is installed (``pip install "fasterapi-core[standard]"``).

    Servers started by ``fasterapi run`` already use uvloop; call this before ``asyncio.run`` in scripts and
    workers that run their own loop.

    Returns:
        ``"uvloop"`` when uvloop's policy was installed, ``"asyncio"`` when uvloop is missing (nothing changed).
    """
    import asyncio

    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return "asyncio"
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return "uvloop"


def __getattr__(name: str) -> Any:
    # The sub-interpreter pool (and multiprocessing behind it) loads only when one of its names is used.
    if name in {"SubInterpreterPool", "run_in_subinterpreter"}:
        from fasterapi_core import subinterpreters

        return getattr(subinterpreters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
