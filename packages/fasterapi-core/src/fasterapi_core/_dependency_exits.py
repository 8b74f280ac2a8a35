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
    "STOPPED",
    "DependencyExits",
    "adopt_generators",
    "cleanup_may_suspend",
    "exit_after_failure",
    "finish_shielded",
    "function_exits",
    "holds_context",
    "manager_factory",
    "open_cleanup_scope",
    "request_exits",
    "shielded_teardown",
)

#: What ``anext(generator, STOPPED)`` hands back when a ``yield`` dependency's generator finished.
STOPPED = object()
_STOPPED = STOPPED


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

    Cancellation (FastAPI's semantics, paid for only where needed): once ``open_cleanup_scope`` has entered the
    request's cleanup scope (before the first generator that may hold a cancel scope of its own, see
    ``holds_context``), each async generator entered after it finishes with that scope shielded, and a cancellation
    that arrived meanwhile is delivered right after it. When the exits are run for a cancellation (any
    ``BaseException`` that is not an ``Exception``), the other exits are shielded one by one.

    PERF: per ``yield`` dependency and request this saves the ``asynccontextmanager`` object, its bound exit
    method and ``enter_async_context``'s bookkeeping: about half of a ``yield`` dependency's cost, and fewer
    objects for the garbage collector. Without a cleanup scope, exits that are not cancelled do no extra work.
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

        Called before a generator dependency that may hold a cancel scope or task group across its ``yield`` starts,
        so that its scopes nest inside the cleanup scope: shielding the cleanup scope while the generator finishes
        keeps the task's scopes in order, which a shielding scope opened at teardown would not (its exit would come
        before theirs).
        """
        scope = _cancel_scope_class()()
        scope.__enter__()
        self._exit_callbacks.append((True, scope.__exit__))
        self.cleanup = scope
        return scope

    async def aclose(self) -> None:
        """Run every exit with no exception."""
        exits = self._exit_callbacks
        # PERF: generators that finish cleanly are finished here, without the coroutine of ``__aexit__``.
        while exits and type(exits[-1]) is AsyncGeneratorType and self.cleanup is None:
            generator: Any = exits.pop()
            failure: BaseException
            try:
                # PERF: ``anext``'s default turns the finish into the sentinel in C (no exception in this frame).
                if _suspends(generator):
                    # As in FastAPI, a cancellation waits for the cleanup (it is delivered after it).
                    finished = await finish_shielded(generator)
                else:
                    finished = await anext(generator, _STOPPED)
                if finished is _STOPPED:
                    continue
                failure = RuntimeError("generator didn't stop")
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
        # A cancellation (or an interrupt): the exits run anyway, not cancelled in turn.
        cancelled = received is not None and not isinstance(received, Exception)
        while exits:
            entry: Any = exits.pop()
            try:
                if cleanup is None and cancelled:
                    with _cancel_scope_class()(shield=True):
                        suppress = await _run_exit(entry, pending)
                elif type(entry) is AsyncGeneratorType:
                    if cleanup is None and _suspends(entry):
                        try:
                            with _cancel_scope_class()(shield=True):
                                suppress = await _finish_generator(entry, pending)
                        finally:
                            await _checkpoint_if_cancelled()
                    elif cleanup is None:
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
                    if cleanup is not None and getattr(callback, "__self__", None) is cleanup:
                        # The cleanup scope's own exit: the exits below it were entered before it.
                        cleanup = self.cleanup = None
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


async def _run_exit(entry: Any, pending: BaseException | None) -> bool:
    """Run one exit entry with ``pending`` (None: no exception); True when it swallowed ``pending``."""
    if type(entry) is AsyncGeneratorType:
        return await _finish_generator(entry, pending)
    is_sync, callback = entry
    details = (None, None, None) if pending is None else (type(pending), pending, pending.__traceback__)
    return bool(callback(*details) if is_sync else await callback(*details))


#: By generator function: whether its code has a ``with`` / ``async with`` block or an ``async for`` loop.
_HOLDS_CONTEXT: dict[Any, bool] = {}
_HOLDS_CONTEXT_LIMIT = 4096
#: ``WITH_EXCEPT_START`` ends every ``with`` block; ``GET_ANEXT`` starts every ``async for`` step.
_CONTEXT_OPCODES = frozenset({"WITH_EXCEPT_START", "GET_ANEXT"})


def holds_context(call: Callable[..., Any]) -> bool:
    """Whether the async generator dependency ``call`` may hold a cancel scope across its ``yield``.

    It may when its code has a ``with`` / ``async with`` block (a task group, ``anyio.CancelScope()``,
    ``fail_after``, or any manager that opens one) or an ``async for`` loop (a generator it delegates to may hold
    one); a callable whose code cannot be read is assumed to. Such a dependency gets the request's cleanup scope
    before it starts (see ``DependencyExits.open_cleanup_scope``).

    PERF: read once per callable, so that the dependencies that hold nothing (``try: yield session`` ``finally:
    ...``) cost no cancel scope per request: entering and leaving one costs more than the rest of a small request.
    """
    try:
        known = _HOLDS_CONTEXT.get(call)
    except TypeError:  # an unhashable callable
        return _reads_contexts(call)
    if known is None:
        known = _reads_contexts(call)
        if len(_HOLDS_CONTEXT) < _HOLDS_CONTEXT_LIMIT:
            _HOLDS_CONTEXT[call] = known
    return known


def _reads_contexts(call: Any) -> bool:
    import dis
    import functools
    import inspect

    while isinstance(call, functools.partial):
        call = call.func
    function = inspect.unwrap(call) if callable(call) else call
    code = getattr(function, "__code__", None)
    if code is None and callable(function):
        # A callable instance whose ``__call__`` is the generator function.
        code = getattr(type(function).__call__, "__code__", None)
    if code is None:
        return True
    return any(instruction.opname in _CONTEXT_OPCODES for instruction in dis.get_instructions(code))


#: By code object of an async generator: whether it awaits anything (its cleanup may then be interrupted).
_SUSPENDS: dict[Any, bool] = {}
_AWAIT_OPCODES = frozenset({"GET_AWAITABLE", "GET_ANEXT", "BEFORE_ASYNC_WITH"})


def _suspends(generator: Any) -> bool:
    """Whether the async generator ``generator`` may suspend (its cleanup is then shielded from cancellation)."""
    return _code_suspends(generator.ag_code)


def _code_suspends(code: Any) -> bool:
    """Whether ``code`` awaits anything. PERF: read once per code object; dependencies whose cleanup never awaits
    pay no cancel scope."""
    known = _SUSPENDS.get(code)
    if known is None:
        import dis

        known = any(instruction.opname in _AWAIT_OPCODES for instruction in dis.get_instructions(code))
        if len(_SUSPENDS) < _HOLDS_CONTEXT_LIMIT:
            _SUSPENDS[code] = known
    return known


def cleanup_may_suspend(call: Callable[..., Any]) -> bool:
    """Whether the async generator dependency ``call`` awaits anything (its clean finish is then shielded)."""
    import functools
    import inspect

    while isinstance(call, functools.partial):
        call = call.func
    function = inspect.unwrap(call)
    code = getattr(function, "__code__", None)
    if code is None and callable(function):
        # A callable instance whose ``__call__`` is the generator function.
        code = getattr(type(function).__call__, "__code__", None)
    return True if code is None else _code_suspends(code)


async def finish_shielded(generator: AsyncGenerator[Any, None]) -> Any:
    """Finish ``generator`` with cancellation held off until it is done (FastAPI's semantics); ``STOPPED`` when it
    ended, what it yielded otherwise (as ``anext(generator, STOPPED)``)."""
    try:
        with _cancel_scope_class()(shield=True):
            return await anext(generator, _STOPPED)
    finally:
        # A cancellation that arrived meanwhile is delivered now.
        await _checkpoint_if_cancelled()


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
    request's. Without a cleanup scope (no dependency holds a scope of its own) the whole teardown is shielded here;
    with one, ``DependencyExits`` shields each exit itself (a shielding scope around them all would end before the
    scopes the dependencies hold).
    """
    stack = context.stack
    functions = context.function_stack
    if stack is None and functions is None:
        return
    if getattr(stack, "cleanup", None) is None:
        with _cancel_scope_class()(shield=True):
            await _unwind(functions, stack, exc)
        return
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
        if await anext(generator, _STOPPED) is _STOPPED:
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


def adopt_generators(context: RequestContext, generators: list[Any]) -> None:
    """Put ``generators`` (dependencies advanced to their ``yield``, in the order entered) on the request's exits."""
    stack: Any = request_exits(context)
    for generator in generators:
        stack.push_generator(generator)


async def exit_after_failure(generators: list[Any], failure: BaseException) -> None:
    """Finish ``generators`` (in the order entered) after the one finished last raised ``failure``, as
    ``DependencyExits.aclose`` does: each sees the failure pending; it is raised unless one of them suppresses it."""
    stack = DependencyExits()
    for generator in generators:
        stack.push_generator(generator)
    if not await stack.__aexit__(type(failure), failure, failure.__traceback__):
        raise failure


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


def open_cleanup_scope(context: RequestContext) -> None:
    """Enter the request's cleanup scope on its request exits (``DependencyExits.open_cleanup_scope``), shared with
    its function exits; nothing when it is open already or the exits are FastAPI's (compatibility API)."""
    stack = request_exits(context)
    if type(stack) is DependencyExits and stack.cleanup is None:
        cleanup = stack.open_cleanup_scope()
        functions = context.function_stack
        if type(functions) is DependencyExits:
            functions.cleanup = cleanup
