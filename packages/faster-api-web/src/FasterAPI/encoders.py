"""Turning arbitrary objects into JSON-compatible data."""

from __future__ import annotations

from fasterapi_core import (
    jsonable_encoder,
)

__all__ = ("jsonable_encoder",)
