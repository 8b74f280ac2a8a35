"""Starlette's ``Router`` under the compatibility layer: a list of routes (``Host``s too) served as an ASGI app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fasterapi_core._error_boundary import http_exception_handler
from fasterapi_core.applications import Faster
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.middleware.base import Middleware
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("Router",)

_ERRORS_GO_UP = "fasterapi.router_errors_go_up"


class Router(Faster):
    """Routes served as an ASGI app, in order (Starlette's ``Router`` signature): an application without
    documentation routes or telemetry of its own.

    Served on its own, it answers what no route matched with a plain-text ``404`` (``405``), as Starlette's; inside
    an application, with the JSON a FastAPI application answers, though by its own default handlers rather than by
    the enclosing application's exception handlers.

    Args:
        routes: The routes, tried in order (a ``Host`` serves what no route before it matched).
        redirect_slashes: Redirect ``/path/`` to ``/path`` (and back) when only the other one exists.
        default: The ASGI app answering what no route matched (default: a ``404``).
        lifespan: The lifespan (an async context manager factory taking the app).
        middleware: Middleware around the routes, the first outermost.
        max_body_size: The largest request body its routes read, in bytes (a route's own limit replaces it).

    Example:
        >>> app.mount("/sites", Router(routes=[Host("{name}.example.com", site_app)]))
    """

    def __init__(
        self,
        routes: Sequence[Any] | None = None,
        redirect_slashes: bool = True,
        default: ASGIApp | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        *,
        middleware: Sequence[Middleware] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        super().__init__(
            routes=list(routes or ()),
            max_body_size=max_body_size,
            redirect_slashes=redirect_slashes,
            lifespan=lifespan,
            middleware=middleware,
            openapi_url=None,
            docs_url=None,
            redoc_url=None,
            exception_handlers={HTTPException: self._answer_http_exception},
            # As Starlette's Router: no spans or metrics of its own (an enclosing application's telemetry covers it).
            telemetry={"tracing": False, "metrics": False, "logs": False},
        )
        self.router.default = default
        self.router.mounts_are_routes = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "starlette.exception_handlers" in scope:
            # Under an exception layer (Starlette's ExceptionMiddleware, an enclosing application): it answers the
            # errors of these routes, as with Starlette's Router, which handles none itself.
            # The scope is shared with the routers around this one: the mark is this router's only while it serves.
            previous = scope.get(_ERRORS_GO_UP, False)
            scope[_ERRORS_GO_UP] = True
            try:
                await super().__call__(scope, receive, send)
            finally:
                scope[_ERRORS_GO_UP] = previous
            return
        await super().__call__(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        """The application's stack; without middleware of its own the router is still served plainly (its
        ``__call__`` only marks the scope), not through a layered stack."""
        stack = super().build_middleware_stack()
        if not self.user_middleware:
            self._plain_stack = stack
        return stack

    async def handle_exception(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """Answer ``exc`` with this router's handlers when served on its own; under an exception layer the error
        goes on to it."""
        if scope.get(_ERRORS_GO_UP):
            raise exc
        await super().handle_exception(scope, receive, send, exc)

    async def _answer_http_exception(self, request: Request, exc: HTTPException) -> Response:
        # Starlette's scope contract: ``router`` is the outermost router; a Router's means no application encloses.
        if not isinstance(getattr(request.scope.get("router"), "app", None), Router):
            return await http_exception_handler(request, exc)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve ``endpoint(request) -> Response`` at ``path`` (Starlette's router names the endpoint ``endpoint``)."""
        super().add_route(path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)

    def __eq__(self, other: object) -> bool:
        # As Starlette's: routers with equal routes are equal.
        return isinstance(other, Router) and self.routes == other.routes

    # Kept by identity: a router is a key of per-app caches, and equal routers are still distinct apps.
    __hash__ = Faster.__hash__

    @property
    def redirect_slashes(self) -> bool:
        """Whether ``/path/`` is redirected to ``/path`` (and back) when only the other one exists."""
        return self.router.redirect_slashes

    @redirect_slashes.setter
    def redirect_slashes(self, value: bool) -> None:
        self.router.redirect_slashes = value

    @property
    def default(self) -> ASGIApp | None:
        """The ASGI app answering what no route matched (``None``: a ``404``)."""
        return self.router.default

    @default.setter
    def default(self, app: ASGIApp | None) -> None:
        self.router.default = app
