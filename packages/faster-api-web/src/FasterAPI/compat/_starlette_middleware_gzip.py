"""``starlette.middleware.gzip`` under the compatibility layer: ``GZipMiddleware`` and its default exclusions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from FasterAPI.middleware.gzip import GZipMiddleware
    from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

__all__ = ("DEFAULT_EXCLUDED_CONTENT_TYPES", "GZipMiddleware")

if not TYPE_CHECKING:
    _forward, __dir__ = forward_names(__name__, "FasterAPI.middleware.gzip")

    def __getattr__(name: str) -> object:
        if name == "DEFAULT_EXCLUDED_CONTENT_TYPES":
            from fasterapi_middleware._gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

            return DEFAULT_EXCLUDED_CONTENT_TYPES
        return _forward(name)
