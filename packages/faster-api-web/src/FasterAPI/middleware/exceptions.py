"""``ExceptionMiddleware`` (``starlette.middleware.exceptions``): answers exceptions with registered handlers."""

from __future__ import annotations

from fasterapi_core.middleware.exceptions import ExceptionHandler, ExceptionMiddleware

__all__ = ("ExceptionHandler", "ExceptionMiddleware")
