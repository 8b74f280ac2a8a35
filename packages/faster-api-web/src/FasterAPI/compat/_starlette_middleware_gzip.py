"""``starlette.middleware.gzip`` under the compatibility layer: ``GZipMiddleware``, its default exclusions and
``GZipResponder``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from FasterAPI.compat._gzip_responder import GZipResponder
    from FasterAPI.middleware.gzip import GZipMiddleware
    from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

__all__ = ("DEFAULT_EXCLUDED_CONTENT_TYPES", "GZipMiddleware", "GZipResponder")

if not TYPE_CHECKING:
    _forward, __dir__ = forward_names(__name__, "FasterAPI.middleware.gzip")

    def __getattr__(name: str) -> object:
        if name == "GZipResponder":
            from FasterAPI.compat._gzip_responder import GZipResponder

            return GZipResponder
        if name == "DEFAULT_EXCLUDED_CONTENT_TYPES":
            from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

            return DEFAULT_EXCLUDED_CONTENT_TYPES
        return _forward(name)
