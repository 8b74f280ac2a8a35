"""FastAPI's ``_DefaultLifespan``: the lifespan that runs a router's start-up and shut-down handlers.

fastapi-jsonrpc enters ``_DefaultLifespan(app.router)`` inside the lifespan it gives its application: as in
FastAPI, an application with a lifespan of its own does not run its handlers, so this is where they run.
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

    async def __aenter__(self) -> None:
        await _run(getattr(self._router, "on_startup", ()))

    async def __aexit__(self, *exc_info: object) -> None:
        await _run(getattr(self._router, "on_shutdown", ()))

    def __call__(self: _Self, app: object) -> _Self:
        return self
