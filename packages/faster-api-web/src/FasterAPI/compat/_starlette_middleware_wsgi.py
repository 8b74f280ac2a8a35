"""``starlette.middleware.wsgi`` under the compatibility layer: ``WSGIMiddleware`` and ``build_environ``.

Starlette's ``build_environ(scope, body)`` takes the whole request body as bytes; FasterAPI's middleware streams
the body to the WSGI app, so here the bytes are wrapped in a file object for ``wsgi.input``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from FasterAPI.compat._forward import forward_names
from fasterapi_core.types import Scope

if TYPE_CHECKING:
    from FasterAPI.middleware.wsgi import WSGIMiddleware

__all__ = ("WSGIMiddleware", "build_environ")


def build_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The PEP 3333 ``environ`` of an ASGI HTTP request whose body is ``body`` (Starlette's helper)."""
    from fasterapi_middleware._wsgi import build_environ as build_streaming_environ

    return build_streaming_environ(scope, io.BytesIO(body))  # type: ignore[arg-type]


if not TYPE_CHECKING:
    __getattr__, __dir__ = forward_names(__name__, "FasterAPI.middleware.wsgi")
