"""Dependency injection (the seed's ``FasterAPI.dependencies``)."""

from __future__ import annotations

from fasterapi_core import (
    Depends,
)

__all__ = ("Depends",)
