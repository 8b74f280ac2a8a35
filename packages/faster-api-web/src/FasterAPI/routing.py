"""Routers and routes under FastAPI's module path ``fastapi.routing``."""

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
