"""Routes and routers: ``APIRoute``, ``APIWebSocketRoute``, ``Mount`` and ``FasterRouter`` (``APIRouter``).

A route compiles its endpoint plan when it is registered. ``include_router`` keeps the included router (as FastAPI
0.137+ does): ``routes`` lists it as one ``IncludedRouter`` entry, and the including router serves copies of its
routes made with the include's prefix, tags, dependencies... and compiled with the merged options; a route added to it
later is copied the same way, at the place of the include. ``iter_route_contexts(app.routes)`` walks every route
served.

This is the public module; the code lives by concept in ``_base_route`` (``BaseRoute``), ``_api_route`` (``APIRoute``
and the handling of its requests), ``_route_introspection`` (FastAPI's introspection attributes), ``_websocket_route``,
``_mount``, ``_router`` (``FasterRouter``) and ``_router_inclusion`` (``include_router``'s copies).
"""

from __future__ import annotations

from ._api_route import APIRoute
from ._base_route import BaseRoute
from ._mount import Mount
from ._route_contexts import RouteContext, iter_route_contexts
from ._router import APIRouter, FasterRouter
from ._router_inclusion import IncludedRouter, RouterInclusionError
from ._websocket_route import APIWebSocketRoute
from .datastructures import DEFAULT

__all__ = (
    "DEFAULT",
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "IncludedRouter",
    "Mount",
    "RouteContext",
    "RouterInclusionError",
    "iter_route_contexts",
)
