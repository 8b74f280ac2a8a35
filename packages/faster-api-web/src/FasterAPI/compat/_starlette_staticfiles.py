"""``starlette.staticfiles`` under the compatibility layer: serving a directory of files."""

from __future__ import annotations

from fasterapi_core.staticfiles import NotModifiedResponse, PathLike, StaticFiles

__all__ = ("NotModifiedResponse", "PathLike", "StaticFiles")
