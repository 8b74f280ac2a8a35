"""Concurrency limits of dependency declarations (``Depends(..., max_concurrency=N)``): a semaphore per declaration.

A limit belongs to the ``Depends`` object that declares it (shared by every route and application using that object)
and each event loop has its own semaphore for it, made on first use; the semaphores are held weakly, so a discarded
declaration takes its semaphores with it. anyio is imported only when a limited dependency first runs.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ._dependency_exits import DependencyExits, holds_context, open_cleanup_scope

if TYPE_CHECKING:
    from anyio import Semaphore
    from anyio.lowlevel import RunVar

    from ._request_context import RequestContext

__all__ = ("DependencyConcurrency", "checked_max_concurrency", "limited", "start_limited_generator")

_SEMAPHORES: RunVar[weakref.WeakKeyDictionary[DependencyConcurrency, Semaphore]] | None = None


def checked_max_concurrency(value: object) -> int | None:
    """``value`` when it is a positive ``int`` (not a bool) or None.

    Raises:
        ValueError: Anything else (FastAPI's message).
    """
    if value is None:
        return None
    if type(value) is not int or value < 1:
        raise ValueError("max_concurrency must be a positive integer or None")
    return value


class DependencyConcurrency:
    """The concurrency limit of one dependency declaration (FastAPI's ``Depends._concurrency``).

    Compared by identity: two declarations with the same limit count their calls separately.
    """

    __slots__ = ("__weakref__", "max_concurrency")

    def __init__(self, max_concurrency: int) -> None:
        self.max_concurrency = max_concurrency

    def get_semaphore(self) -> Semaphore:
        """This declaration's semaphore in the running event loop (made on first use)."""
        global _SEMAPHORES
        from anyio import Semaphore
        from anyio.lowlevel import RunVar

        if _SEMAPHORES is None:
            _SEMAPHORES = RunVar("fasterapi_dependency_semaphores")
        semaphores = _SEMAPHORES.get(None)
        if semaphores is None:
            semaphores = weakref.WeakKeyDictionary()
            _SEMAPHORES.set(semaphores)
        semaphore = semaphores.get(self)
        if semaphore is None:
            semaphore = semaphores[self] = Semaphore(self.max_concurrency)
        return semaphore

    def __repr__(self) -> str:
        return f"DependencyConcurrency({self.max_concurrency})"


@contextlib.asynccontextmanager
async def limited(manager: contextlib.AbstractAsyncContextManager[Any], semaphore: Semaphore) -> AsyncIterator[Any]:
    """Enter ``manager`` (a ``yield`` dependency) holding ``semaphore`` until its exit has finished."""
    async with semaphore, manager as value:
        yield value


async def start_limited_generator(
    call: Any, values: dict[str, Any], stack: DependencyExits, semaphore: Semaphore, context: RequestContext
) -> Any:
    """Start an async ``yield`` dependency under its semaphore, released once the generator has finished.

    The generator is finished by ``stack`` as an unlimited one is (inside the request's cleanup scope when it may
    hold a cancel scope or task group), so that a cancelled request still finishes it in the task that started it.
    """
    await semaphore.acquire()
    try:
        if stack.cleanup is None and holds_context(call):
            open_cleanup_scope(context)
        generator = call(**values)
        try:
            result = await generator.__anext__()
        except StopAsyncIteration:
            raise RuntimeError("generator didn't yield") from None
    except BaseException:
        semaphore.release()
        raise
    # Pushed first, so run after the generator has finished.
    stack.callback(semaphore.release)
    stack.push_generator(generator)
    return result
