"""``BaseHTTPMiddleware`` (``starlette.middleware.base``): HTTP middleware written as ``dispatch(request, call_next)``.

``RequestResponseEndpoint`` is Starlette's name for the type of ``call_next`` (core's ``CallNext``) and
``DispatchFunction`` the type of a ``dispatch=`` function.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fasterapi_core.middleware.base import BaseHTTPMiddleware, CallNext
from fasterapi_core.requests import Request
from fasterapi_core.responses import Response

__all__ = ("BaseHTTPMiddleware", "CallNext", "DispatchFunction", "RequestResponseEndpoint")

RequestResponseEndpoint = CallNext
DispatchFunction = Callable[[Request, CallNext], Awaitable[Response]]
