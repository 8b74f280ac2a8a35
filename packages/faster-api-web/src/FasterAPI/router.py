"""Routers and routes (the seed's ``FasterAPI.router``)."""

from __future__ import annotations

from fasterapi_core import (
    APIRoute,
    APIRouter,
    APIWebSocketRoute,
    FasterRouter,
    Mount,
    RadixRouter,
)

__all__ = ("APIRoute", "APIRouter", "APIWebSocketRoute", "FasterRouter", "Mount", "RadixRouter")
