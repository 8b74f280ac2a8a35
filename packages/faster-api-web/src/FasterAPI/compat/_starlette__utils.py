"""``starlette._utils`` under the compatibility layer: the helpers extensions import from it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.abc

from fasterapi_core.background import _is_async_callable
from fasterapi_core.types import Scope

__all__ = ("create_collapsing_task_group", "get_route_path", "is_async_callable")


def is_async_callable(obj: Any) -> bool:
    """Whether calling ``obj`` returns an awaitable: a coroutine function, a partial of one, or an instance whose
    ``__call__`` is one (an autospec mock of a coroutine function too, as with Starlette before Python 3.14)."""
    if _is_async_callable(obj):
        return True
    while isinstance(obj, functools.partial):
        obj = obj.func
    # asyncio's check (deprecated from 3.14, where Starlette stops using it) also knows the marker mocks carry.
    return sys.version_info < (3, 14) and asyncio.iscoroutinefunction(obj)


def get_route_path(scope: Scope) -> str:
    """The request path below the application's ``root_path`` (the path routes are matched against)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if not root_path or not path.startswith(root_path):
        return path
    if path == root_path:
        return ""
    return path[len(root_path) :] if path[len(root_path)] == "/" else path


@contextlib.asynccontextmanager
async def create_collapsing_task_group() -> AsyncIterator[anyio.abc.TaskGroup]:
    """An anyio task group whose failure with a single exception raises that exception, not a group of one."""
    try:
        async with anyio.create_task_group() as task_group:
            yield task_group
    except BaseExceptionGroup as group:
        if len(group.exceptions) != 1:
            raise
        only = group.exceptions[0]
        raise only from only.__cause__ or (None if only.__suppress_context__ else only.__context__)
