"""``fastapi.staticfiles`` under the compatibility layer: Starlette's ``StaticFiles``, as FastAPI re-exports it."""

from __future__ import annotations

from FasterAPI.compat._starlette_staticfiles import StaticFiles

__all__ = ("StaticFiles",)
