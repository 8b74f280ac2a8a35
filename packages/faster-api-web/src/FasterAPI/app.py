"""The application classes (the seed's ``FasterAPI.app``)."""

from __future__ import annotations

from fasterapi_core import (
    FastAPI,
    Faster,
)

__all__ = ("FastAPI", "Faster")
