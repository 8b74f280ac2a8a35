"""Middleware that ships with core; production middleware lives in fasterapi-middleware."""

from __future__ import annotations

from .authentication import AuthenticationMiddleware
from .base import BaseHTTPMiddleware, CallNext, Middleware
from .errors import ServerErrorMiddleware
from .exceptions import ExceptionMiddleware

__all__ = (
    "AuthenticationMiddleware",
    "BaseHTTPMiddleware",
    "CallNext",
    "ExceptionMiddleware",
    "Middleware",
    "ServerErrorMiddleware",
)
