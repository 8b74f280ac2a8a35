"""Routers and routes under FastAPI's module path ``fastapi.routing`` (and Starlette's route types)."""

from __future__ import annotations

from fasterapi_core import (
    APIRoute,
    APIRouter,
    APIWebSocketRoute,
    FasterRouter,
    Mount,
    RadixRouter,
)
from fasterapi_core.asgi_routes import Match, Route, WebSocketRoute, get_name, request_response, websocket_session
from fasterapi_core.exceptions import NoMatchFound
from fasterapi_core.routing import BaseRoute, RouteContext, iter_route_contexts

__all__ = (
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "Match",
    "Mount",
    "NoMatchFound",
    "RadixRouter",
    "Route",
    "RouteContext",
    "WebSocketRoute",
    "get_name",
    "iter_route_contexts",
    "request_response",
    "websocket_session",
)
