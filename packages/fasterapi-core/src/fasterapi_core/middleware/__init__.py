"""Middleware that ships with core; production middleware lives in fasterapi-middleware."""

from __future__ import annotations

from .base import BaseHTTPMiddleware, CallNext, Middleware

__all__ = ("BaseHTTPMiddleware", "CallNext", "Middleware")
