"""The application classes under FastAPI's module path ``fastapi.applications``."""

from __future__ import annotations

from fasterapi_core import (
    FastAPI,
    Faster,
)
from fasterapi_core.types import AppType

__all__ = ("AppType", "FastAPI", "Faster")
