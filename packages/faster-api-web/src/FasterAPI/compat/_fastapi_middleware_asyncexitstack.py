"""``fastapi.middleware.asyncexitstack`` under the compatibility layer.

FasterAPI closes what yield dependencies and uploads opened itself, so its stack has no such layer; the class is
here for code that adds it or looks for it, and does what FastAPI's does.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("AsyncExitStackMiddleware",)


class AsyncExitStackMiddleware:
    """Put an ``AsyncExitStack`` in ``scope[context_name]`` for the request, closed once the app returns."""

    def __init__(self, app: ASGIApp, context_name: str = "fastapi_middleware_astack") -> None:
        self.app = app
        self.context_name = context_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async with AsyncExitStack() as stack:
            scope[self.context_name] = stack
            await self.app(scope, receive, send)
