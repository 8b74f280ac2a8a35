"""Starlette's ``Mount`` under the compatibility layer: a mount of an app or of a list of routes, in middleware.

Starlette's routes are ASGI apps too, so a ``Mount`` can itself be mounted (``app.mount("/v1", Mount("",
routes=[...]))``). A list of routes is served by an application without documentation routes, standing in for
Starlette's ``Router``: an error its routes raise is answered there, by the default handlers, rather than by the
enclosing app's exception handlers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from FasterAPI.compat._stand_in import StandInType
from fasterapi_core._app_router import route_path
from fasterapi_core._mount import Mount as _CoreMount
from fasterapi_core.middleware.base import Middleware
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocketClose

__all__ = ("Mount",)


def _routes_app(routes: Sequence[Any]) -> ASGIApp:
    from fasterapi_core.applications import Faster

    return Faster(routes=list(routes), openapi_url=None, docs_url=None, redoc_url=None)


class Mount(_CoreMount, metaclass=StandInType):
    """An ASGI app, or a list of routes, served under a path prefix (Starlette's ``Mount`` signature).

    Args:
        path: The prefix (``""`` or starting with ``/``; it may hold parameters).
        app: The app to serve; or give ``routes``.
        routes: The routes to serve under the prefix.
        name: The name ``url_path_for`` knows the mount by.
        middleware: Middleware wrapped around the mounted app, the first outermost.
        max_body_size: Refuse request bodies larger than this many bytes with ``413``.

    Example:
        >>> api = Mount("/api", routes=[Route("/users", list_users)], name="api")
    """

    _stands_for = _CoreMount

    def __init__(
        self,
        path: str,
        app: ASGIApp | None = None,
        routes: Sequence[Any] | None = None,
        name: str | None = None,
        *,
        middleware: Sequence[Middleware] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        if app is None and routes is None:
            raise AssertionError("Either 'app=...', or 'routes=' must be specified")
        base = app if app is not None else _routes_app(routes or ())
        served = base
        for middleware_class, args, options in reversed(middleware or ()):
            served = middleware_class(served, *args, **options)
        if max_body_size is not None:
            from FasterAPI.compat._starlette_middleware_body_limit import RequestBodyLimitMiddleware

            served = RequestBodyLimitMiddleware(served, max_body_size=max_body_size)
        super().__init__(path, served, name)
        self._base_app = base
        self._from_routes = app is None

    @property
    def named_app(self) -> Any:
        """The mounted app before its middleware: the one whose routes ``url_path_for`` finds."""
        return self._base_app

    def __eq__(self, other: object) -> bool:
        # As Starlette's: the same path and app; mounts of route lists compare their routes.
        if not isinstance(other, _CoreMount) or self.path != other.path:
            return False
        other_app = getattr(other, "_base_app", other.app)
        if self._base_app is other_app or bool(self._base_app == other_app):
            return True
        return self._from_routes and getattr(other, "_from_routes", False) and self.routes == other.routes

    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def routes(self) -> list[Any]:
        """The routes of the mounted app (before its middleware), as Starlette gives them."""
        routes: list[Any] = getattr(self._base_app, "routes", [])
        return routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the mount as an ASGI app: a request under its prefix goes down, any other one is not found."""
        path = route_path(scope) if scope["type"] in ("http", "websocket") else None
        found = self.match_prefix(path) if path is not None else None
        if path is None or found is None:
            if scope["type"] == "http":
                await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            elif scope["type"] == "websocket":
                await WebSocketClose()(scope, receive, send)
            return
        await self.handle(scope, receive, send, path, found)
