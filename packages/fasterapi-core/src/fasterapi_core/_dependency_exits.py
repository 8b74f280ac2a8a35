"""The exits of a request's generator dependencies: ``DependencyExits``, the exit stacks and shielded teardown."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncGenerator, Callable
from types import AsyncGeneratorType
from typing import TYPE_CHECKING, Any

from .concurrency import run_in_threadpool

if TYPE_CHECKING:
    from ._request_context import RequestContext

__all__ = (
    "DependencyExits",
    "function_exits",
    "manager_factory",
    "request_exits",
    "shielded_teardown",
    "threaded_context",
)


#: By identity of the callable (equal callable instances may differ in state); the entry holds the callable, so its
#: id cannot be reused while it is cached.
_MANAGER_FACTORIES: dict[tuple[int, int], tuple[Any, Callable[..., Any]]] = {}
_MANAGER_FACTORIES_LIMIT = 4096


def manager_factory(call: Callable[..., Any], decorator: Callable[[Any], Callable[..., Any]]) -> Callable[..., Any]:
    """``decorator(call)``: the context-manager factory of a generator dependency, made once per callable.

    PERF: ``contextlib.asynccontextmanager`` copies the function's metadata (``functools.wraps``) each time it is
    applied, about a third of a ``yield`` dependency's cost when done per request. The factory is stateless (every
    call of it makes a fresh manager over a fresh generator), so sharing it changes nothing.
    """
    key = (id(call), id(decorator))
    entry = _MANAGER_FACTORIES.get(key)
    if entry is not None and entry[0] is call:
        return entry[1]
    factory = decorator(call)
    if len(_MANAGER_FACTORIES) < _MANAGER_FACTORIES_LIMIT:
        _MANAGER_FACTORIES[key] = (call, factory)
    return factory


class DependencyExits(contextlib.AsyncExitStack):
    """The exits of one request's generator dependencies (and other callbacks), run in reverse order.

    An ``AsyncExitStack`` whose ``__aexit__`` keeps the standard library's semantics (each exit sees the exception
    still pending, an exit may suppress it or raise another, chained as ``AsyncExitStack`` chains it), with async
    generators pushed as they are (``push_generator``) and finished as ``contextlib.asynccontextmanager`` finishes
    them.

    PERF: per ``yield`` dependency and request this saves the ``asynccontextmanager`` object, its bound exit
    method and ``enter_async_context``'s bookkeeping: about half of a ``yield`` dependency's cost, and fewer
    objects for the garbage collector.
    """

    __slots__ = ()

    def __init__(self) -> None:
        # PERF: a list (popped from the end, as the deque is) is quicker to make than AsyncExitStack's deque.
        self._exit_callbacks: list[Any] = []

    def push_generator(self, generator: AsyncGenerator[Any, None]) -> None:
        """Finish ``generator`` (already advanced to its ``yield``) on exit, after the exits pushed later."""
        self._exit_callbacks.append(generator)

    async def aclose(self) -> None:
        """Run every exit with no exception."""
        exits = self._exit_callbacks
        # PERF: generators that finish cleanly are finished here, without the coroutine of ``__aexit__``.
        while exits and type(exits[-1]) is AsyncGeneratorType:
            generator: Any = exits.pop()
            try:
                await generator.__anext__()
            except StopAsyncIteration:
                continue
            except BaseException as exc:
                failure: BaseException = exc
            else:
                failure = RuntimeError("generator didn't stop")
            # The exits left see the failure as ``__aexit__`` would have shown it to them.
            if not await self.__aexit__(type(failure), failure, failure.__traceback__):
                raise failure
            return
        if exits:
            await self.__aexit__(None, None, None)

    async def __aexit__(self, *exc_details: Any) -> bool:
        received = exc_details[1]
        pending: BaseException | None = received
        raised = False
        suppressed = False
        frame_exception = sys.exc_info()[1]
        exits = self._exit_callbacks
        while exits:
            entry: Any = exits.pop()
            try:
                if type(entry) is AsyncGeneratorType:
                    suppress = await _finish_generator(entry, pending)
                else:
                    is_sync, callback = entry
                    details = (None, None, None) if pending is None else (type(pending), pending, pending.__traceback__)
                    suppress = callback(*details) if is_sync else await callback(*details)
                if suppress:
                    suppressed = True
                    raised = False
                    pending = None
            except BaseException as new:
                _chain(new, pending, frame_exception)
                pending = new
                raised = True
        if raised:
            assert pending is not None
            context = pending.__context__
            try:
                raise pending
            except BaseException:
                pending.__context__ = context
                raise
        return received is not None and suppressed


def _chain(new: BaseException, old: BaseException | None, frame_exception: BaseException | None) -> None:
    """Make ``old`` the context of ``new``'s chain, as ``AsyncExitStack`` does for an exit raising."""
    while True:
        context = new.__context__
        if context is None or context is old:
            return
        if context is frame_exception:
            break
        new = context
    new.__context__ = old


async def shielded_teardown(context: RequestContext, exc: BaseException) -> None:
    """Run the request's dependency teardown after ``exc`` (a cancellation: the client went away, the server shuts
    down), shielded so that it is not cancelled in turn: the sessions and connections the dependencies hold are
    released. Function-scoped dependencies still open (the cancellation came while solving) exit first."""
    stacks = [stack for stack in (context.function_stack, context.stack) if stack is not None]
    if stacks:
        import anyio

        with anyio.CancelScope(shield=True):
            for stack in stacks:
                await stack.__aexit__(type(exc), exc, exc.__traceback__)


async def _finish_generator(generator: AsyncGenerator[Any, None], exc: BaseException | None) -> bool:
    """Finish a generator dependency as ``asynccontextmanager``'s exit does; True when it swallowed ``exc``."""
    if exc is None:
        try:
            await generator.__anext__()
        except StopAsyncIteration:
            return False
        raise RuntimeError("generator didn't stop")
    traceback = exc.__traceback__
    try:
        await generator.athrow(exc)
    except StopAsyncIteration as stopped:
        return stopped is not exc
    except RuntimeError as error:
        if error is exc or (isinstance(exc, (StopIteration, StopAsyncIteration)) and error.__cause__ is exc):
            exc.__traceback__ = traceback
            return False
        raise
    except BaseException as error:
        if error is not exc:
            raise
        error.__traceback__ = traceback
        return False
    raise RuntimeError("generator didn't stop after athrow()")


def request_exits(context: RequestContext) -> contextlib.AsyncExitStack:
    """The request's exits (run after the response), made on first use."""
    stack = context.stack
    if stack is None:
        stack = context.stack = DependencyExits()
    return stack


def function_exits(context: RequestContext) -> contextlib.AsyncExitStack:
    """The exits of ``Depends(scope="function")`` generators (run when the endpoint returns), made on first use."""
    stack = context.function_stack
    if stack is None:
        stack = context.function_stack = DependencyExits()
    return stack


@contextlib.asynccontextmanager
async def threaded_context(manager: contextlib.AbstractContextManager[Any]) -> Any:
    """Run a sync generator dependency's set-up and tear-down in the thread pool.

    The tear-down is shielded from cancellation (a cancelled request still closes its sync dependencies) and does
    not wait for the pool's capacity: a tear-down waiting behind set-ups that wait for what it releases (a
    connection pool's connection) would never run.
    """
    value = await run_in_threadpool(manager.__enter__)
    import anyio.to_thread

    # A limiter of its own per exit: any positive capacity does.
    exit_limiter = anyio.CapacityLimiter(1)
    try:
        yield value
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            suppress = await anyio.to_thread.run_sync(
                manager.__exit__, type(exc), exc, exc.__traceback__, limiter=exit_limiter
            )
        if not suppress:
            raise
    else:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(manager.__exit__, None, None, None, limiter=exit_limiter)
