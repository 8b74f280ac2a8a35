"""``starlette.middleware.gzip`` under the compatibility layer: ``GZipMiddleware``, ``GZipResponder`` and the
default exclusions.

``GZipResponder`` is Starlette's per-request app: it compresses what the app it wraps answers, for a client already
known to accept gzip (``GZipMiddleware`` picks it after reading ``Accept-Encoding``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, _GZipResponder, normalized_exclusions

if TYPE_CHECKING:
    from FasterAPI.middleware.gzip import GZipMiddleware

__all__ = ("DEFAULT_EXCLUDED_CONTENT_TYPES", "GZipMiddleware", "GZipResponder")


class GZipResponder:
    """Compress the response of ``app`` (at least ``minimum_size`` bytes, not of an excluded media type)."""

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
        self.compresslevel = compresslevel
        self.thread_minimum_size = thread_minimum_size
        self.exclude_content_types = normalized_exclusions(exclude_content_types)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        head = scope.get("method") == "HEAD"
        responder = _GZipResponder(send, self.minimum_size, self.compresslevel, head, self.exclude_content_types)
        await self.app(scope, receive, responder)


if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.gzip")
