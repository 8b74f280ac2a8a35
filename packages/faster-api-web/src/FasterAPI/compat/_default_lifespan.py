"""FastAPI's ``_DefaultLifespan``: the lifespan that runs a router's start-up and shut-down handlers.

fastapi-jsonrpc enters ``_DefaultLifespan(app.router)`` inside the lifespan it gives its application. FasterAPI's
application runs its router's handlers around every lifespan already, so for the router an application serves
this lifespan adds nothing (the handlers run once, as in FastAPI); for a router no application serves, it runs
them.
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

__all__ = ("_DefaultLifespan",)

_Self = TypeVar("_Self", bound="_DefaultLifespan")


async def _run(handlers: Any) -> None:
    for handler in list(handlers or ()):
        result = handler()
        if inspect.isawaitable(result):
            await result


class _DefaultLifespan:
    """An async context manager over ``router``'s ``on_startup`` (entry) and ``on_shutdown`` (exit) handlers;
    calling it with the application returns itself, so it is also a lifespan function."""

    def __init__(self, router: Any) -> None:
        self._router = router

    def _runs_handlers(self) -> bool:
        return getattr(self._router, "app", None) is None

    async def __aenter__(self) -> None:
        if self._runs_handlers():
            await _run(getattr(self._router, "on_startup", ()))

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runs_handlers():
            await _run(getattr(self._router, "on_shutdown", ()))

    def __call__(self: _Self, app: object) -> _Self:
        return self
