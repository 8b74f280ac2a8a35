"""``starlette.middleware.cors`` under the compatibility layer: ``CORSMiddleware`` and Starlette's constants.

``CORSMiddleware`` is ``StarletteCORSMiddleware`` (the middleware with Starlette's acceptance rules: ``"*"`` with
credentials, origins compared as written), ``ALL_METHODS`` is what ``allow_methods=["*"]`` stands for and
``SAFELISTED_HEADERS`` the request headers every preflight allows, with Starlette's values (the middleware's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI.compat._forward import forward_names

if TYPE_CHECKING:
    from fasterapi_middleware._cors import ALL_METHODS, SAFELISTED_HEADERS
    from fasterapi_middleware._cors_starlette import StarletteCORSMiddleware as CORSMiddleware

__all__ = ("ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware")

if not TYPE_CHECKING:
    _forward, __dir__ = forward_names(__name__, "FasterAPI.middleware.cors")

    def __getattr__(name: str) -> object:
        if name in ("ALL_METHODS", "SAFELISTED_HEADERS"):
            from fasterapi_middleware import _cors

            return getattr(_cors, name)
        if name == "CORSMiddleware":
            from fasterapi_middleware._cors_starlette import StarletteCORSMiddleware

            return StarletteCORSMiddleware
        return _forward(name)
