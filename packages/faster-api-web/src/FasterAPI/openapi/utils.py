"""``get_openapi`` (``fastapi.openapi.utils``): build the OpenAPI document of a set of routes."""

from __future__ import annotations

from fasterapi_core.openapi.utils import get_openapi

__all__ = ("get_openapi",)
