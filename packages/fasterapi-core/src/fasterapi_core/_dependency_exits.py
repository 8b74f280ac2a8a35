"""The exits of a request's generator dependencies: ``DependencyExits``, the exit stacks and shielded teardown."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncGenerator, Callable
from types import AsyncGeneratorType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._request_context import RequestContext

__all__ = (
    "DependencyExits",
    "function_exits",
    "generator_exits",
    "manager_factory",
    "request_exits",
    "shielded_teardown",
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

    Once ``open_cleanup_scope`` has entered the request's cleanup scope, each async generator finishes with that
    scope shielded (a cancelled request still runs its teardown to the end), and a cancellation that arrived
    meanwhile is delivered right after it, as FastAPI does.

    PERF: per ``yield`` dependency and request this saves the ``asynccontextmanager`` object, its bound exit
    method and ``enter_async_context``'s bookkeeping: about half of a ``yield`` dependency's cost, and fewer
    objects for the garbage collector.
    """

    __slots__ = ("cleanup",)

    def __init__(self, cleanup: Any = None) -> None:
        # PERF: a list (popped from the end, as the deque is) is quicker to make than AsyncExitStack's deque.
        self._exit_callbacks: list[Any] = []
        #: The request's cleanup scope (an anyio ``CancelScope``), shared by its request and function exits.
        self.cleanup = cleanup

    def push_generator(self, generator: AsyncGenerator[Any, None]) -> None:
        """Finish ``generator`` (already advanced to its ``yield``) on exit, after the exits pushed later."""
        self._exit_callbacks.append(generator)

    def open_cleanup_scope(self) -> Any:
        """Enter the request's cleanup scope (exited with these exits) and return it.

        Called before the first async generator dependency starts, so that the cancel scopes and task groups the
        dependencies open nest inside it: shielding it while one of them finishes then keeps the task's scopes in
        order, which a shielding scope opened at teardown would not (its exit would come before theirs).
        """
        scope = _cancel_scope_class()()
        scope.__enter__()
        self._exit_callbacks.append((True, scope.__exit__))
        self.cleanup = scope
        return scope

    async def aclose(self) -> None:
        """Run every exit with no exception."""
        exits = self._exit_callbacks
        cleanup = self.cleanup
        # PERF: generators that finish cleanly are finished here, without the coroutine of ``__aexit__``.
        while exits and type(exits[-1]) is AsyncGeneratorType:
            generator: Any = exits.pop()
            failure: BaseException | None = None
            if cleanup is None:
                try:
                    await generator.__anext__()
                except StopAsyncIteration:
                    continue
                except BaseException as exc:
                    failure = exc
                else:
                    failure = RuntimeError("generator didn't stop")
            else:
                shielded = cleanup.shield
                cleanup.shield = True
                try:
                    await generator.__anext__()
                except StopAsyncIteration:
                    pass
                except BaseException as exc:
                    failure = exc
                else:
                    failure = RuntimeError("generator didn't stop")
                finally:
                    cleanup.shield = shielded
                if failure is None:
                    try:
                        await _checkpoint_if_cancelled()
                        continue
                    except BaseException as exc:
                        failure = exc
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
        cleanup = self.cleanup
        while exits:
            entry: Any = exits.pop()
            try:
                if type(entry) is AsyncGeneratorType:
                    if cleanup is None:
                        suppress = await _finish_generator(entry, pending)
                    else:
                        shielded = cleanup.shield
                        cleanup.shield = True
                        try:
                            suppress = await _finish_generator(entry, pending)
                        finally:
                            cleanup.shield = shielded
                        if suppress or pending is None:
                            # A task group in the dependency may have absorbed the cancellation while shielded.
                            await _checkpoint_if_cancelled()
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


_ANYIO: list[Any] = []


def _cancel_scope_class() -> Any:
    """anyio's ``CancelScope``, imported on first use (plain apps without generator dependencies never need it)."""
    if not _ANYIO:
        import anyio.lowlevel

        _ANYIO.extend((anyio.CancelScope, anyio.lowlevel.checkpoint_if_cancelled))
    return _ANYIO[0]


async def _checkpoint_if_cancelled() -> None:
    """Deliver a cancellation that arrived while a generator dependency was finishing shielded."""
    await _ANYIO[1]()


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
    down) without letting it be cancelled in turn: the sessions and connections the dependencies hold are released.

    The function-scoped exits run first (they may not have run: a later dependency was cancelled), then the
    request's. Async generators finish under the request's cleanup scope, shielded one by one (see
    ``DependencyExits``); without one (no async generator was entered) the whole teardown is shielded here.
    """
    stack = context.stack
    functions = context.function_stack
    if stack is None and functions is None:
        return
    if getattr(stack, "cleanup", None) is not None:
        await _unwind(functions, stack, exc)
        return
    with _cancel_scope_class()(shield=True):
        await _unwind(functions, stack, exc)


async def _unwind(
    functions: contextlib.AsyncExitStack | None, stack: contextlib.AsyncExitStack | None, exc: BaseException
) -> None:
    pending = exc
    if functions is not None:
        try:
            await functions.__aexit__(type(exc), exc, exc.__traceback__)
        except BaseException as raised:
            pending = raised
    if stack is not None:
        await stack.__aexit__(type(pending), pending, pending.__traceback__)
    if pending is not exc:
        raise pending


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
        stack = context.function_stack = DependencyExits(getattr(context.stack, "cleanup", None))
    return stack


def generator_exits(context: RequestContext, function_scope: bool) -> contextlib.AsyncExitStack:
    """The exits an async generator dependency is pushed on, with the request's cleanup scope entered first.

    An exit stack given by FastAPI's ``solve_dependencies`` (compatibility API) is returned as it is.
    """
    stack = context.stack
    if stack is None:
        stack = context.stack = DependencyExits()
    elif type(stack) is not DependencyExits:
        return stack if not function_scope or context.function_stack is None else context.function_stack
    cleanup = stack.cleanup
    if cleanup is None:
        cleanup = stack.open_cleanup_scope()
        if type(context.function_stack) is DependencyExits:
            context.function_stack.cleanup = cleanup
    if not function_scope:
        return stack
    functions = context.function_stack
    if functions is None:
        functions = context.function_stack = DependencyExits(cleanup)
    return functions
