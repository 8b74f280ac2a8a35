"""``ServerErrorMiddleware`` (``starlette.middleware.errors``): answers ``500`` for what the layers under it raise."""

from __future__ import annotations

from fasterapi_core.middleware.errors import ServerErrorMiddleware

__all__ = ("ServerErrorMiddleware",)
