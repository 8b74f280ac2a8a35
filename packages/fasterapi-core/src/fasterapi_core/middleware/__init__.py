"""Middleware that ships with core; production middleware lives in fasterapi-middleware.

``AuthenticationMiddleware`` lives in ``fasterapi_core.middleware.authentication`` (imported when used).
"""

from __future__ import annotations

from .base import BaseHTTPMiddleware, CallNext, Middleware
from .errors import ServerErrorMiddleware
from .exceptions import ExceptionMiddleware

__all__ = (
    "BaseHTTPMiddleware",
    "CallNext",
    "ExceptionMiddleware",
    "Middleware",
    "ServerErrorMiddleware",
)
