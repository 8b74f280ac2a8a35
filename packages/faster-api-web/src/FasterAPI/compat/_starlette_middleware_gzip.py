"""``starlette.middleware.gzip`` under the compatibility layer: ``GZipMiddleware``, ``GZipResponder`` and the
default exclusions.

``GZipResponder`` is Starlette's per-request app: it compresses what the app it wraps answers, for a client already
known to accept gzip (``GZipMiddleware`` picks it after reading ``Accept-Encoding``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, _GZipResponder
from fasterapi_middleware._gzip import GZipMiddleware as _Middleware

if TYPE_CHECKING:
    from FasterAPI.middleware.gzip import GZipMiddleware

__all__ = ("DEFAULT_EXCLUDED_CONTENT_TYPES", "GZipMiddleware", "GZipResponder")


class GZipResponder(_Middleware):
    """Compress the response of ``app`` (at least ``minimum_size`` bytes, not of an excluded media type); the
    middleware's settings under Starlette's parameter order, without its ``Accept-Encoding`` check."""

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int,
        compresslevel: int = 9,
        *,
        thread_minimum_size: int = 128 * 1024,
        exclude_content_types: tuple[str, ...] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        super().__init__(
            app, minimum_size, compresslevel, thread_minimum_size, exclude_content_types=exclude_content_types
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        head = scope.get("method") == "HEAD"
        responder = _GZipResponder(send, self.minimum_size, self.compresslevel, head, self.exclude_content_types)
        await self.app(scope, receive, responder)


if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.gzip")
