"""Work that runs after the response has been sent."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, MutableMapping
from contextlib import AbstractContextManager
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool

__all__ = ("BackgroundTask", "BackgroundTasks")

#: Set once an application serves telemetry (``_telemetry_setup``): the span each task of a ``BackgroundTasks`` runs in.
_task_operation: Callable[[Callable[..., Any]], AbstractContextManager[Any]] | None = None

#: The scope key set when a background task failed: the response was sent, the error boundary can answer nothing.
RESPONSE_SENT_KEY = "fasterapi.response_sent"


def _is_async_callable(func: Any) -> bool:
    while isinstance(func, functools.partial):
        func = func.func
    if inspect.iscoroutinefunction(func):
        return True
    call = getattr(func, "__call__", None)  # noqa: B004 - an instance with an async __call__ is async too
    return call is not None and not inspect.isfunction(func) and inspect.iscoroutinefunction(call)


def _task_name(func: Any) -> str:
    while isinstance(func, functools.partial):
        func = func.func
    return getattr(func, "__qualname__", None) or repr(func)


class BackgroundTask:
    """A single function to call after the response has been sent.

    ``async def`` functions are awaited on the event loop; plain functions run in the thread pool.
    An exception raised by the function goes on, as with Starlette: the response has been sent, so it reaches the
    server (which logs it), and the tasks after it in a ``BackgroundTasks`` do not run.

    Args:
        func: The function to call.
        *args: Positional arguments for ``func``.
        **kwargs: Keyword arguments for ``func``.

    Example:
        >>> task = BackgroundTask(send_email, "user@example.com")
        >>> return JSONResponse({"queued": True}, background=task)
    """

    __slots__ = ("args", "func", "is_async", "kwargs")

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.is_async = _is_async_callable(func)

    async def __call__(self) -> None:
        """Call the function (in the thread pool when it is synchronous); its exceptions propagate."""
        if self.is_async:
            await self.func(*self.args, **self.kwargs)
        else:
            await run_in_threadpool(self.func, *self.args, **self.kwargs)

    async def run(self) -> None:
        """Execute the background task: ``await task()`` (the seed API's name for it)."""
        await self()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({_task_name(self.func)})"


class BackgroundTasks:
    """An ordered collection of background tasks, run one after another after the response.

    Declare a parameter of this type in an endpoint to receive the request's collection. A
    failing task stops the run: the tasks after it do not run, and its exception goes on (Starlette's rule).

    Args:
        tasks: Tasks to start with.

    Example:
        >>> @app.post("/items")
        ... async def create(tasks: BackgroundTasks):
        ...     tasks.add_task(send_email, "user@example.com")
        ...     return {"queued": True}
    """

    __slots__ = ("tasks",)

    def __init__(self, tasks: Iterable[BackgroundTask] | None = None) -> None:
        self.tasks: list[BackgroundTask] = list(tasks) if tasks is not None else []

    def add_task(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Append a call of ``func(*args, **kwargs)`` to the collection."""
        self.tasks.append(BackgroundTask(func, *args, **kwargs))

    async def __call__(self) -> None:
        """Call every task in the order they were added (each one as ``await task()``)."""
        # PERF: one global read per run; the telemetry span exists only once an application serves telemetry.
        operation = _task_operation
        for task in self.tasks:
            if operation is None:
                await task()
            else:
                with operation(task.func):
                    await task()

    async def run(self) -> None:
        """Execute all background tasks sequentially: ``await tasks()`` (the seed API's name for it)."""
        await self()

    def __len__(self) -> int:
        return len(self.tasks)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.tasks!r})"


async def run_after_response(background: Callable[[], Any], scope: MutableMapping[str, Any]) -> None:
    """Run a response's background task(s) once it has been sent; a failure is marked in ``scope`` on its way out,
    so that the error boundary answers nothing more (nothing can be sent any more)."""
    try:
        await background()
    except BaseException:
        scope[RESPONSE_SENT_KEY] = True
        raise
