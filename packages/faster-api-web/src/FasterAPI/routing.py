"""Routers and routes under FastAPI's module path ``fastapi.routing`` (and Starlette's route types).

Assigning ``get_request_handler`` here (as Sentry's FastAPI integration does) replaces the hook every route
registered afterwards wraps its request handler with.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from fasterapi_core import (
    APIRoute,
    APIRouter,
    APIWebSocketRoute,
    FasterRouter,
    Mount,
    RadixRouter,
)
from fasterapi_core._request_handler import get_request_handler, replace_request_handler_factory
from fasterapi_core.asgi_routes import Match, Route, WebSocketRoute, get_name, request_response, websocket_session
from fasterapi_core.exceptions import NoMatchFound
from fasterapi_core.routing import BaseRoute, IncludedRouter, RouteContext, iter_route_contexts

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
    "get_request_handler",
    "iter_route_contexts",
    "request_response",
    "websocket_session",
)

_IncludedRouter = IncludedRouter
"""FastAPI's name of an included router's entry in ``routes``."""


class _RoutingModule(types.ModuleType):
    """This module, forwarding a replaced ``get_request_handler`` to the routes that use it."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "get_request_handler":
            replace_request_handler_factory(value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _RoutingModule
