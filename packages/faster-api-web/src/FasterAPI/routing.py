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
from fasterapi_core.routing import RouteContext, iter_route_contexts

__all__ = (
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "FasterRouter",
    "Mount",
    "RadixRouter",
    "RouteContext",
    "iter_route_contexts",
)
