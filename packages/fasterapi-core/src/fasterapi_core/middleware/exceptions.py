"""``ExceptionMiddleware``: turns the exceptions of the layers under it into responses with registered handlers."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fasterapi_core._content_too_large import ContentTooLarge, content_too_large_response
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.exceptions import HTTPException, WebSocketException
from fasterapi_core.middleware._tracking import StartTrackingSend
from fasterapi_core.requests import REQUEST_BODY_KEY, Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("ExceptionHandler", "ExceptionMiddleware")

ExceptionHandler = Callable[[Any, Exception], Any]


def _is_async(handler: Any) -> bool:
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(getattr(handler, "__call__", None))  # noqa: B004


class ExceptionMiddleware:
    """Answer an exception raised under it with the handler registered for it (as Starlette's does).

    A handler is found by status code first (for ``HTTPException``), then by the exception's class and its bases.
    An exception with no handler goes on up (to ``ServerErrorMiddleware``). ``HTTPException`` is answered as plain
    text unless a handler replaces that (FasterAPI applications register FastAPI's JSON handler).

    Args:
        app: The ASGI app to wrap.
        handlers: Handlers by exception class or status code, each ``handler(request, exc)`` returning a response.
        debug: Kept for Starlette's signature.

    Example:
        >>> app = ExceptionMiddleware(inner_app, handlers={KeyError: not_found_handler})
    """

    def __init__(
        self, app: ASGIApp, handlers: Mapping[Any, ExceptionHandler] | None = None, debug: bool = False
    ) -> None:
        self.app = app
        self.debug = debug
        # Set by a FasterAPI application for the layer over its router, which answers with these handlers itself.
        self._router_answers = False
        self._status_handlers: dict[int, ExceptionHandler] = {}
        self._exception_handlers: dict[Any, ExceptionHandler] = {
            HTTPException: self.http_exception,
            WebSocketException: self.websocket_exception,
        }
        for key, handler in (handlers or {}).items():
            self.add_exception_handler(key, handler)

    def add_exception_handler(self, exc_class_or_status_code: int | type[Exception], handler: ExceptionHandler) -> None:
        """Handle a status code (of an ``HTTPException``) or an exception class and its subclasses."""
        if isinstance(exc_class_or_status_code, int):
            self._status_handlers[exc_class_or_status_code] = handler
        else:
            self._exception_handlers[exc_class_or_status_code] = handler

    def lookup_handler(self, exc: Exception) -> ExceptionHandler | None:
        """The handler for ``exc``, or ``None``."""
        if type(exc) is ContentTooLarge:
            # As FastAPI's body limit: answered where it is raised, before any registered handler.
            return content_too_large_response
        if isinstance(exc, HTTPException):
            by_status = self._status_handlers.get(exc.status_code)
            if by_status is not None:
                return by_status
        for cls in type(exc).__mro__:
            handler = self._exception_handlers.get(cls)
            if handler is not None:
                return handler
        return None

    # __call__ returns a coroutine without being one: this tells asgiref's guarantee_single_callable (OpenTelemetry's
    # ASGI middleware wraps the stack with it) that the instance is an ASGI 3 app, as Starlette's is.
    _asgi_single_callable = True

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if self._router_answers or scope["type"] not in ("http", "websocket"):
            # PERF: over a FasterAPI router, errors are answered where they are raised, with lookup_handler(); the
            # router's coroutine is handed back as it is, so this layer adds no coroutine of its own.
            return self.app(scope, receive, send)
        return self._answer_errors(scope, receive, send)

    if sys.version_info >= (3, 12):
        # And to inspect.iscoroutinefunction (uvicorn's ASGI 3 test), where the marker exists.
        __call__ = inspect.markcoroutinefunction(__call__)

    async def _answer_errors(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["starlette.exception_handlers"] = (self._exception_handlers, self._status_handlers)
        tracking_send = StartTrackingSend(send)
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            handler = self.lookup_handler(exc)
            if handler is None:
                raise
            if tracking_send.started:
                raise RuntimeError("Caught handled exception, but response already started.") from exc
            connection: Any
            if scope["type"] == "http":
                connection = Request(scope, receive, send)
                # The body the endpoint read is kept in the scope: the handler reads it again instead of waiting
                # for a body already spent (Starlette's handler gets the endpoint's own Request).
                body = scope.get(REQUEST_BODY_KEY)
                if body is not None:
                    connection._body = body
            else:
                from fasterapi_core.websockets import WebSocket

                connection = WebSocket(scope, receive, send)
            if _is_async(handler):
                response = await handler(connection, exc)
            else:
                response = await run_in_threadpool(handler, connection, exc)
            if response is not None:
                await response(scope, receive, tracking_send)
            # An exception instance raised again on later requests would pile up tracebacks.
            exc.__traceback__ = None

    async def http_exception(self, request: Request, exc: Exception) -> Response:
        """Starlette's default answer to an ``HTTPException``: its detail as plain text, with its headers."""
        assert isinstance(exc, HTTPException)
        if exc.status_code in {204, 304}:
            return Response(status_code=exc.status_code, headers=exc.headers)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)

    async def websocket_exception(self, websocket: Any, exc: Exception) -> None:
        """Close the websocket with the exception's code and reason."""
        assert isinstance(exc, WebSocketException)
        await websocket.close(code=exc.code, reason=exc.reason)
