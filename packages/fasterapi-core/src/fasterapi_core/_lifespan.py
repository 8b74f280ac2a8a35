"""The ASGI lifespan protocol: start-up and shut-down handlers and lifespan context managers."""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any

from .types import Receive, Scope, Send

if TYPE_CHECKING:
    from ._router import FasterRouter

__all__ = ("lifespan_context", "router_lifespan", "run_lifespan")


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


@contextlib.asynccontextmanager
async def router_lifespan(
    app: Any,
    router: FasterRouter,
    own: Sequence[Callable[[Any], Any]],
    includes: Sequence[FasterRouter] | None = None,
    started_above: frozenset[int] = frozenset(),
    stopped_above: frozenset[int] = frozenset(),
) -> AsyncIterator[dict[str, Any] | None]:
    """A router's lifespan as FastAPI runs it: its ``own`` lifespans or, without one, its start-up and shut-down
    handlers (the live lists, holding the handlers of the routers included before, as FastAPI copies them); then,
    nested in order, the lifespans of the routers included into it (``includes``, by default
    ``router.lifespan_includes`` when entered). The states are merged, the outer winning.

    FastAPI runs an included router's handler twice when it has no lifespan itself and neither has the router it is
    included into (once from each list); here a handler that a router further out runs (``started_above``,
    ``stopped_above``: their ids) is not run again.
    """
    async with contextlib.AsyncExitStack() as stack:
        merged: dict[str, Any] | None = None
        for lifespan in own:
            state = await stack.enter_async_context(_as_context(lifespan, app))
            if state is not None:
                merged = {**state, **(merged or {})}
        if not own:
            for handler in router.on_startup:
                if id(handler) not in started_above:
                    await _call(handler)
            stack.push_async_callback(_stop, router.on_shutdown, stopped_above)
            started_above = started_above.union(map(id, router.on_startup))
            stopped_above = stopped_above.union(map(id, router.on_shutdown))
        for included in router.lifespan_includes if includes is None else includes:
            nested = router_lifespan(app, included, tuple(included.lifespans), None, started_above, stopped_above)
            state = await stack.enter_async_context(nested)
            if state is not None:
                merged = {**state, **(merged or {})}
        yield merged


async def _stop(handlers: Sequence[Callable[[], Any]], stopped_above: frozenset[int]) -> None:
    for handler in handlers:
        if id(handler) not in stopped_above:
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
