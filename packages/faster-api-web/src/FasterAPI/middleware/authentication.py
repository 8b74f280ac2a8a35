"""``AuthenticationMiddleware`` (``starlette.middleware.authentication``): ``request.user`` and ``request.auth``."""

from __future__ import annotations

from fasterapi_core.middleware.authentication import AuthenticationMiddleware

__all__ = ("AuthenticationMiddleware",)
