"""Serving a directory of static files (``app.mount("/static", StaticFiles(directory="static"))``)."""

from __future__ import annotations

from fasterapi_core.staticfiles import StaticFiles

__all__ = ("StaticFiles",)
