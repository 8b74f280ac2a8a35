"""The ASGI lifespan protocol: start-up and shut-down handlers and lifespan context managers."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from .types import Receive, Scope, Send

__all__ = ("lifespan_context", "run_lifespan")


async def _call(handler: Callable[[], Any]) -> None:
    result = handler()
    if inspect.isawaitable(result):
        await result


def _as_context(lifespan: Callable[[Any], Any], app: Any) -> contextlib.AbstractAsyncContextManager[Any]:
    """Accept an ``@asynccontextmanager`` function, a plain async generator function or a sync context manager."""
    if inspect.isasyncgenfunction(lifespan):
        return contextlib.asynccontextmanager(lifespan)(app)
    if inspect.isgeneratorfunction(lifespan):
        sync_manager = contextlib.contextmanager(lifespan)(app)
    else:
        manager = lifespan(app)
        if hasattr(manager, "__aenter__"):
            return manager  # type: ignore[no-any-return]
        sync_manager = manager

    @contextlib.asynccontextmanager
    async def wrapped() -> AsyncIterator[Any]:
        with sync_manager as state:
            yield state

    return wrapped()


@contextlib.asynccontextmanager
async def lifespan_context(
    app: Any,
    lifespans: Sequence[Callable[[Any], Any]],
    on_startup: Sequence[Callable[[], Any]],
    on_shutdown: Sequence[Callable[[], Any]],
) -> AsyncIterator[dict[str, Any] | None]:
    """Run start-up handlers and enter ``lifespans`` in order; on exit leave them in reverse and run shut-down
    handlers. The states they yield are merged; on a shared key the outer (earlier) lifespan wins, as in FastAPI.
    """
    for handler in on_startup:
        await _call(handler)
    try:
        async with contextlib.AsyncExitStack() as stack:
            merged: dict[str, Any] | None = None
            for lifespan in lifespans:
                state = await stack.enter_async_context(_as_context(lifespan, app))
                if state is not None:
                    merged = {**state, **(merged or {})}
            yield merged
    finally:
        for handler in on_shutdown:
            await _call(handler)


async def run_lifespan(
    scope: Scope, receive: Receive, send: Send, context: contextlib.AbstractAsyncContextManager[Any]
) -> None:
    """Speak the ASGI lifespan protocol around ``context``; the state it yields goes into ``scope["state"]``."""
    started = False
    message = await receive()
    if message["type"] != "lifespan.startup":
        return
    try:
        async with context as state:
            if state is not None:
                if "state" not in scope:
                    # Starlette's words.
                    raise RuntimeError('The server does not support "state" in the lifespan scope.')
                scope["state"].update(state)
            await send({"type": "lifespan.startup.complete"})
            started = True
            await receive()
    except BaseException:
        # As Starlette: the traceback is the failure's message, which the server logs; logging it here as well
        # would print it twice.
        import traceback  # PERF: only a failing lifespan needs it, not every app's start-up

        text = traceback.format_exc()
        await send({"type": "lifespan.shutdown.failed" if started else "lifespan.startup.failed", "message": text})
        raise
    await send({"type": "lifespan.shutdown.complete"})
