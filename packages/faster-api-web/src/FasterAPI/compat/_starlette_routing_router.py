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
from fasterapi_core.types import ASGIApp

__all__ = ("Router",)


class Router(Faster):
    """Routes served as an ASGI app, in order (Starlette's ``Router`` signature): an application without
    documentation routes.

    Served on its own, it answers what no route matched with a plain-text ``404`` (``405``), as Starlette's; inside
    an application, with the JSON a FastAPI application answers, though by its own default handlers rather than by
    the enclosing application's exception handlers.

    Args:
        routes: The routes, tried in order (a ``Host`` serves what no route before it matched).
        redirect_slashes: Redirect ``/path/`` to ``/path`` (and back) when only the other one exists.
        default: The ASGI app answering what no route matched (default: a ``404``).
        lifespan: The lifespan (an async context manager factory taking the app).
        middleware: Middleware around the routes, the first outermost.

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
    ) -> None:
        super().__init__(
            routes=list(routes or ()),
            redirect_slashes=redirect_slashes,
            lifespan=lifespan,
            middleware=middleware,
            openapi_url=None,
            docs_url=None,
            redoc_url=None,
            exception_handlers={HTTPException: self._answer_http_exception},
        )
        self.router.default = default

    async def _answer_http_exception(self, request: Request, exc: HTTPException) -> Response:
        # Starlette's scope contract: ``router`` is the outermost router; a Router's means no application encloses.
        if not isinstance(getattr(request.scope.get("router"), "app", None), Router):
            return await http_exception_handler(request, exc)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)

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
