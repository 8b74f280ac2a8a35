"""``BaseHTTPMiddleware`` (``starlette.middleware.base``): HTTP middleware written as ``dispatch(request, call_next)``.

``RequestResponseEndpoint`` is Starlette's name for the type of ``call_next`` (core's ``CallNext``).
"""

from __future__ import annotations

from fasterapi_core.middleware.base import BaseHTTPMiddleware, CallNext

__all__ = ("BaseHTTPMiddleware", "CallNext", "RequestResponseEndpoint")

RequestResponseEndpoint = CallNext
