"""Starlette's ``Route`` and ``WebSocketRoute`` under the compatibility layer, as base classes of FastAPI's routes.

In Starlette and FastAPI, ``APIRoute`` subclasses ``starlette.routing.Route`` (and ``APIWebSocketRoute``
subclasses ``WebSocketRoute``): extensions pick the routes they rework from ``router.routes`` with
``isinstance(route, Route)`` (fastapi-restful's class-based views). FasterAPI's ``APIRoute`` is the base of its
Starlette ``Route`` instead, so the names ``starlette.routing`` gives answer ``isinstance`` / ``issubclass`` for
every HTTP (WebSocket) route, while building one is building FasterAPI's Starlette route.
"""

from __future__ import annotations

from FasterAPI.compat._stand_in import StandInType
from fasterapi_core.asgi_routes import Route as _CoreRoute
from fasterapi_core.asgi_routes import WebSocketRoute as _CoreWebSocketRoute
from fasterapi_core.routing import APIRoute, APIWebSocketRoute

__all__ = ("Route", "WebSocketRoute")


class Route(_CoreRoute, metaclass=StandInType):
    """Starlette's ``Route`` (``starlette.routing.Route``): see :class:`fasterapi_core.asgi_routes.Route`."""

    __slots__ = ()
    _stands_for = APIRoute


class WebSocketRoute(_CoreWebSocketRoute, metaclass=StandInType):
    """Starlette's ``WebSocketRoute``: see :class:`fasterapi_core.asgi_routes.WebSocketRoute`."""

    __slots__ = ()
    _stands_for = APIWebSocketRoute
