"""``starlette.applications`` under the compatibility layer: ``Starlette``, an application that answers as Starlette's.

Extensions type their app as ``Starlette`` and test ``isinstance(app, Starlette)``; every FasterAPI app passes that
test, as every FastAPI app is a Starlette one. An app built with ``Starlette(...)`` itself is a FasterAPI app
with Starlette's defaults: no documentation routes, no telemetry of its own (a Starlette app makes no spans or
metrics; OpenTelemetry's Starlette instrumentation adds its middleware), and an ``HTTPException`` answered in plain
text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from FasterAPI.compat._stand_in import StandInType
from fasterapi_core import FastAPI, Faster
from fasterapi_core.applications import http_exception_handler
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import AppType

__all__ = ("AppType", "FastAPI", "Faster", "Starlette")


class _StarletteType(StandInType):
    """``Starlette`` stands for every FasterAPI application, and what it only inherits is patched where inherited."""

    def __setattr__(cls, name: str, value: Any) -> None:  # noqa: N805 (a metaclass: its instances are classes)
        # An extension patching ``Starlette.__call__`` (Sentry) means every application: what ``Starlette`` only
        # inherits is set where it is inherited from, so FasterAPI applications get the patch too.
        if cls is Starlette and name not in cls.__dict__:
            setattr(Faster, name, value)
        else:
            super().__setattr__(name, value)


async def _plain_text_http_exception_handler(request: Request, exc: HTTPException) -> Response:
    # Starlette's default: the detail as text, and no body at all for statuses that cannot have one.
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)


class Starlette(Faster, metaclass=_StarletteType):
    """A FasterAPI application with Starlette's constructor and defaults.

    Args:
        debug: Show tracebacks for server errors.
        routes: The routes (``Route``, ``WebSocketRoute``, ``Mount``, ``Host``...).
        middleware: Middleware, outermost first.
        exception_handlers: Handlers by exception class or status code.
        lifespan: The lifespan context of the app.
        max_body_size: The largest request body read, in bytes; none by default.
    """

    _stands_for = Faster

    def __init__(
        self,
        debug: bool = False,
        routes: Sequence[Any] | None = None,
        middleware: Sequence[Any] | None = None,
        exception_handlers: Mapping[Any, Any] | None = None,
        lifespan: Any = None,
        *,
        max_body_size: int | None = None,
    ) -> None:
        super().__init__(
            debug=debug,
            routes=list(routes) if routes is not None else None,
            middleware=middleware,
            exception_handlers=dict(exception_handlers) if exception_handlers is not None else None,
            lifespan=lifespan,
            max_body_size=max_body_size,
            openapi_url=None,
            docs_url=None,
            redoc_url=None,
            telemetry={"tracing": False, "metrics": False, "logs": False},
        )
        self.router.mounts_are_routes = True
        if self.exception_handlers.get(HTTPException) is http_exception_handler:
            self.exception_handlers[HTTPException] = _plain_text_http_exception_handler
