"""Starlette's ``Route`` and ``WebSocketRoute`` under the compatibility layer, as base classes of FastAPI's routes.

In Starlette and FastAPI, ``APIRoute`` subclasses ``starlette.routing.Route`` (and ``APIWebSocketRoute``
subclasses ``WebSocketRoute``): extensions pick the routes they rework from ``router.routes`` with
``isinstance(route, Route)`` (fastapi-restful's class-based views). FasterAPI's ``APIRoute`` is the base of its
Starlette ``Route`` instead, so the names ``starlette.routing`` gives answer ``isinstance`` / ``issubclass`` for
every HTTP (WebSocket) route, while building one is building FasterAPI's Starlette route.
"""

from __future__ import annotations

from typing import Any

from fasterapi_core.asgi_routes import Route as _CoreRoute
from fasterapi_core.asgi_routes import WebSocketRoute as _CoreWebSocketRoute
from fasterapi_core.routing import APIRoute, APIWebSocketRoute

__all__ = ("Route", "WebSocketRoute")


class _RouteType(type):
    """Makes the compatibility ``Route`` the class every ``APIRoute`` is an instance of (not its subclasses)."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is Route:
            return isinstance(instance, APIRoute)
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        if cls is Route:
            return issubclass(subclass, APIRoute)
        return super().__subclasscheck__(subclass)


class _WebSocketRouteType(type):
    """Makes the compatibility ``WebSocketRoute`` the class every ``APIWebSocketRoute`` is an instance of."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is WebSocketRoute:
            return isinstance(instance, APIWebSocketRoute)
        return super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        if cls is WebSocketRoute:
            return issubclass(subclass, APIWebSocketRoute)
        return super().__subclasscheck__(subclass)


class Route(_CoreRoute, metaclass=_RouteType):
    """Starlette's ``Route`` (``starlette.routing.Route``): see :class:`fasterapi_core.asgi_routes.Route`."""

    __slots__ = ()


class WebSocketRoute(_CoreWebSocketRoute, metaclass=_WebSocketRouteType):
    """Starlette's ``WebSocketRoute``: see :class:`fasterapi_core.asgi_routes.WebSocketRoute`."""

    __slots__ = ()
