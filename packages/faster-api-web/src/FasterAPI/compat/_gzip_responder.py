"""Starlette's ``GZipResponder``: one response of an ASGI app gzip-compressed (brotli-asgi falls back to it).

Starlette's middleware builds one per request that accepts gzip; extensions build their own the same way. It serves
the app through FasterAPI's ``GZipMiddleware``, which compresses exactly for such a request.
"""

from __future__ import annotations

from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

__all__ = ("GZipResponder",)


class GZipResponder:
    """``GZipResponder(app, minimum_size, compresslevel)(scope, receive, send)`` serves ``app`` with a response of
    at least ``minimum_size`` bytes gzip-compressed, for a request whose ``Accept-Encoding`` takes gzip."""

    content_encoding = "gzip"

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int,
        compresslevel: int = 9,
        *,
        thread_minimum_size: int = 128 * 1024,
        exclude_content_types: tuple[str, ...] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self._middleware = GZipMiddleware(
            app,
            minimum_size=minimum_size,
            compresslevel=compresslevel,
            thread_minimum_size=thread_minimum_size,
            exclude_content_types=exclude_content_types,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._middleware(scope, receive, send)
