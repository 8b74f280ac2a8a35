"""``starlette.middleware`` under the compatibility layer: FasterAPI's middleware names and ``_MiddlewareFactory``.

``_MiddlewareFactory`` is the protocol Starlette types ``Middleware``'s first argument with (anything called with
the app and the middleware's options that returns an ASGI app); code annotating with it imports it from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ParamSpec, Protocol

from FasterAPI.compat._forward import forward_names
from fasterapi_core.types import ASGIApp

if TYPE_CHECKING:
    from FasterAPI.middleware import BaseHTTPMiddleware, Middleware

__all__ = ("BaseHTTPMiddleware", "Middleware", "_MiddlewareFactory")

_Options = ParamSpec("_Options")


class _MiddlewareFactory(Protocol[_Options]):
    def __call__(self, app: ASGIApp, /, *args: _Options.args, **kwargs: _Options.kwargs) -> ASGIApp: ...


if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware")
