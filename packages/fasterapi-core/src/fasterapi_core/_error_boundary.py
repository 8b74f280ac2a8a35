"""The error boundary: the exception-handler registry, the default handlers, and answering a failed request.

``Faster`` derives from :class:`ErrorBoundary`. Requests are served by the router inside ``handle_exception``:
``_dispatch``, the innermost app of a middleware stack, which ``Faster.__call__`` inlines for a plain application.
An HTTP error is answered by ``send_error_response`` with the matching handler, a websocket is closed with the code
its error calls for.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._content_too_large import ContentTooLarge, content_too_large_response
from ._endpoint_context import attach_endpoint_context
from ._lazy_logger import lazy_logger
from ._middleware_stack import MiddlewareStack
from .background import RESPONSE_SENT_KEY
from .concurrency import run_in_threadpool
from .exceptions import (
    HTTPException,
    RequestValidationError,
    ValidationException,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketRequestValidationError,
)
from .requests import REQUEST_BODY_KEY, ClientDisconnect, Request
from .responses import JSONResponse, PlainTextResponse, Response

if TYPE_CHECKING:
    from ._app_router import AppRouter
    from .types import Receive, Scope, Send

__all__ = (
    "ErrorBoundary",
    "ExceptionHandler",
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
)

logger = lazy_logger("fasterapi_core")

CallableT = TypeVar("CallableT", bound=Callable[..., Any])
ExceptionHandler = Callable[[Request, Any], Any]


async def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    """The default handler for HTTPException: ``{"detail": ...}`` with the exception's status and headers."""
    if exc.status_code in (204, 304) or exc.status_code < 200:
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def request_validation_exception_handler(request: Request, exc: RequestValidationError) -> Response:
    """The default handler for RequestValidationError: ``422`` with ``{"detail": [errors]}``.

    A NaN or infinity the client sent (pydantic reads them in JSON bodies) is echoed as ``null``: FastAPI's
    ``JSONResponse`` refuses it, which turns the client's bad input into a 500.
    """
    from .encoders import _respell_floats, encode_json, jsonable_encoder

    # Floats as FastAPI's json.dumps writes the echoed input (1e+308, 1e-07), not as msgspec (1e308, 1e-7).
    return JSONResponse(_respell_floats(encode_json({"detail": jsonable_encoder(exc.errors())})), status_code=422)


async def websocket_request_validation_exception_handler(websocket: Any, exc: WebSocketRequestValidationError) -> None:
    """The default handler for WebSocket parameter errors: close with 1008 (policy violation)."""
    from .encoders import encode_json

    reason = encode_json(exc.errors()).decode()
    await websocket.close(code=1008, reason=reason[:123])


def _starlette_http_exception_handler(handlers: Mapping[Any, ExceptionHandler]) -> ExceptionHandler | None:
    """The handler registered for Starlette's ``HTTPException``, if any: it handles ours (404/405 included).

    FastAPI's handling-errors tutorial registers its HTTP error handler for Starlette's class, the base of FastAPI's
    ``HTTPException`` and the class of FastAPI's routing errors. Ours is unrelated to Starlette's, so such a handler
    takes the place of the default one (a handler registered for our ``HTTPException`` itself, or for a status
    code, still comes first). Starlette is not a dependency: an app that registered its class has imported it.
    """
    starlette_class = getattr(sys.modules.get("starlette.exceptions"), "HTTPException", None)
    return None if starlette_class is None else handlers.get(starlette_class)


async def _run_handler(handler: Any, connection: Any, exc: Exception) -> Any:
    """Call an exception handler as Starlette does: a coroutine function is awaited, a plain function runs in the
    thread pool (it may block, or call back into the loop with ``anyio.from_thread``)."""
    if _is_async_callable(handler):
        return await handler(connection, exc)
    result = await run_in_threadpool(handler, connection, exc)
    if inspect.isawaitable(result):  # a plain callable handing back a coroutine (a lambda over an async function)
        result = await result
    return result


def _is_async_callable(handler: Any) -> bool:
    while isinstance(handler, functools.partial):
        handler = handler.func
    return inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(getattr(handler, "__call__", None))  # noqa: B004


def _handler_request(scope: Scope, receive: Receive, request: Request | None) -> Request:
    """The Request an exception handler gets (the route's, if it made one): with the body the route read, if it read
    one, as FastAPI's handlers get the route's own Request, whose body is cached; not one waiting for a spent body."""
    if request is None:
        request = Request(scope, receive)
    if getattr(request, "_body", None) is None:
        body = scope.get(REQUEST_BODY_KEY)
        if body is not None:
            request._body = body
    return request


class ErrorBoundary(MiddlewareStack):
    """The error-handling half of the application class (``Faster`` derives from it)."""

    # Set by the application's __init__.
    router: AppRouter
    exception_handlers: dict[Any, ExceptionHandler]

    def add_exception_handler(self, exc_class_or_status_code: type[BaseException] | int, handler: Any) -> None:
        """Handle an exception class (and its subclasses) or an HTTP error status with ``handler(request, exc)``."""
        self.exception_handlers[exc_class_or_status_code] = handler

    def exception_handler(
        self, exc_class_or_status_code: type[BaseException] | int
    ) -> Callable[[CallableT], CallableT]:
        """Decorator form of ``add_exception_handler``."""

        def decorator(handler: CallableT) -> CallableT:
            self.add_exception_handler(exc_class_or_status_code, handler)
            return handler

        return decorator

    def _lookup_handler(self, exc: BaseException) -> ExceptionHandler | None:
        if type(exc) is ContentTooLarge:
            # As FastAPI's body limit: answered where it is raised, before any registered handler.
            return content_too_large_response
        handlers = self.exception_handlers
        if isinstance(exc, HTTPException) and exc.status_code in handlers:
            return handlers[exc.status_code]
        for cls in type(exc).__mro__:
            handler = handlers.get(cls)
            if handler is not None:
                if handler is http_exception_handler and cls is HTTPException:
                    return _starlette_http_exception_handler(handlers) or handler
                return handler
        return None

    async def send_error_response(
        self, scope: Scope, receive: Receive, send: Send, exc: Exception, request: Request | None = None
    ) -> None:
        """Answer a request whose handling raised ``exc``: the matching handler's response, else a logged 500; an
        error no handler but the server-error one (``Exception``, ``500``) answers then goes on to the server, as
        with Starlette's ``ServerErrorMiddleware``.

        Under a layered middleware stack (user middleware, instrumentation), ``exc`` is raised to the stack instead.
        After the response was sent (a background task failed), nothing is answered: ``exc`` goes on to the server.
        """
        if scope.get(RESPONSE_SENT_KEY):
            await self._failed_after_response(scope, receive, exc)
        handler = self._stack_handler(exc) if self._errors_to_stack else self._lookup_handler(exc)
        if handler is not None:
            if handler is self.exception_handlers.get(Exception) and scope.get("fastapi.telemetry") is not None:
                # The Exception handler answers unhandled errors, as Starlette's ServerErrorMiddleware does.
                scope["fastapi.telemetry"].exception(exc)
            try:
                response = await _run_handler(handler, _handler_request(scope, receive, request), exc)
            except Exception as handler_exc:
                await self._send_server_error(scope, receive, send, handler_exc)
                return
            await response(scope, receive, send)
            if handler is self.exception_handlers.get(Exception):
                # The server-error handler answered, and the error still goes on to the server (Starlette's rule);
                # the boundary it goes through on its way out knows it was answered.
                scope["fasterapi.answered_error"] = exc
                raise exc
            # As Starlette: an exception instance raised again on later requests would pile up tracebacks.
            exc.__traceback__ = None
            return
        if isinstance(exc, ClientDisconnect):
            # The client went away while its body was being read: nobody is left to answer, nothing failed.
            logger.debug("Client disconnected during %s %s", scope.get("method", ""), scope.get("path", ""))
            return
        await self._send_server_error(scope, receive, send, exc)

    async def _send_server_error(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        # Not logged here: the error goes on to the server, which logs it (uvicorn's "Exception in ASGI
        # application"), as with Starlette's ServerErrorMiddleware; logging it too would print it twice.
        telemetry = scope.get("fastapi.telemetry")
        if telemetry is not None:
            telemetry.exception(exc)
        handler = self.exception_handlers.get(500)
        response: Any = None
        raised: Exception = exc
        if handler is not None:
            try:
                response = await _run_handler(handler, Request(scope, receive), exc)
            except Exception as handler_exc:
                # As Starlette: the handler's own error goes on to the server (its context is ``exc``); the plain
                # 500 below is what the server would answer.
                raised = handler_exc
                response = None
        if response is None:
            if self.debug:
                import traceback

                text = "".join(traceback.format_exception(exc))
                response = PlainTextResponse(text, status_code=500)
            else:
                response = PlainTextResponse("Internal Server Error", status_code=500)
        try:
            await response(scope, receive, send)
        except Exception:
            # The response had already started: nothing more can be sent; the error is logged above.
            logger.debug("Could not send the 500 response", exc_info=True)
        # As Starlette's ServerErrorMiddleware: the error goes on to the server once the 500 is sent (a test client
        # that raises server exceptions sees it; httpx's ASGITransport too).
        raise raised

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The router inside the error boundary: the innermost app of a stack (inlined in ``Faster.__call__``)."""
        try:
            await self.router(scope, receive, send)
        except Exception as exc:
            await self.handle_exception(scope, receive, send, exc)

    async def handle_exception(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """The error boundary: answer the connection whose handling raised ``exc``.

        An HTTP request gets the response of the matching exception handler (``send_error_response``); a websocket
        is closed with the code the error calls for; any other scope (the lifespan) gets the exception back.
        """
        if scope.get("fasterapi.answered_error") is exc:
            raise exc
        if isinstance(exc, ValidationException):
            attach_endpoint_context(scope, exc)
        scope_type = scope["type"]
        if scope_type == "http":
            await self.send_error_response(scope, receive, send, exc)
        elif scope_type == "websocket":
            await self._close_for(scope, receive, send, exc)
        else:
            raise exc

    async def _failed_after_response(self, scope: Scope, receive: Receive, exc: Exception) -> None:
        """A background task failed after the response was sent: nothing can be answered, the error goes on to the
        server. An error a handler would have answered becomes a ``RuntimeError`` (caused by it), as in Starlette.

        The server-error handler (``Exception`` or ``500``) is still called, for what it reports (its response is
        not sent), as Starlette's ``ServerErrorMiddleware`` calls it.
        """
        handler = self._lookup_handler(exc)
        server_error = (self.exception_handlers.get(Exception), self.exception_handlers.get(500))
        if handler is not None and handler not in server_error:
            raise RuntimeError("Caught handled exception, but response already started.") from exc
        method, path = scope.get("method", ""), scope.get("path", "")
        logger.error("Unhandled %s in a background task of %s %s", type(exc).__name__, method, path, exc_info=exc)
        reporter = server_error[1] or server_error[0]
        # Under a layered stack its ServerErrorMiddleware calls the handler as the error goes by.
        if reporter is not None and not self._errors_to_stack:
            try:
                await _run_handler(reporter, Request(scope, receive), exc)
            except Exception:
                logger.debug("The server-error handler failed for a background task's error", exc_info=True)
        raise exc

    async def _close_for(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        """Answer a websocket whose endpoint raised ``exc``, as Starlette's exception layer does.

        The matching exception handler is called with the websocket: it may close it with its own code, or return a
        response, sent in place of the handshake (an ``HTTPException`` before ``accept()``: ``401`` with its
        ``WWW-Authenticate`` challenge). The ``500``/``Exception`` handlers are for HTTP only. Under a layered stack an
        error without a handler goes up to the user middleware; otherwise the connection is closed with 1011 (under a
        test client, the error is raised to the test instead).
        """
        if isinstance(exc, WebSocketDisconnect):
            # The endpoint did not handle the client's disconnect. A server has nothing to do about it; a test
            # client that raises server exceptions reports it when the session is left, as Starlette's does.
            if scope.get("extensions", {}).get("fasterapi.raise_server_exceptions"):
                raise exc
            return
        if isinstance(exc, HTTPException) and "websocket.http.response" not in scope.get("extensions", {}):
            # The server cannot send an HTTP answer to a handshake: refuse it with a policy violation.
            await self._close_websocket(send, 1008, str(exc.detail)[:123])
            return
        handler = self._stack_handler(exc) if self._errors_to_stack else self._lookup_handler(exc)
        if handler in (self.exception_handlers.get(Exception), self.exception_handlers.get(500)):
            handler = None  # the 500 handlers answer HTTP requests only, as Starlette's ServerErrorMiddleware
        if handler is None:
            if isinstance(exc, WebSocketException):
                await self._close_websocket(send, exc.code, exc.reason)
                return
            if self._errors_to_stack:
                raise exc
            telemetry = scope.get("fastapi.telemetry")
            if telemetry is not None:
                telemetry.exception(exc)
            if scope.get("extensions", {}).get("fasterapi.raise_server_exceptions"):
                # A test client: no close, the error itself reaches the test (the session's receive raises it), as
                # under Starlette, whose exception layer sends nothing and leaves the answer to the server.
                raise exc
            # A server: its client is told with the 1011 close (uvicorn would only drop the connection).
            logger.error("Unhandled %s in websocket %s", type(exc).__name__, scope.get("path", ""), exc_info=exc)
            await self._close_websocket(send, 1011, "Internal Server Error")
            return
        from .websockets import WebSocket

        result = await _run_handler(handler, WebSocket(scope, receive, send), exc)
        if result is not None:
            await result(scope, receive, send)

    @staticmethod
    async def _close_websocket(send: Send, code: int, reason: str) -> None:
        try:
            await send({"type": "websocket.close", "code": code, "reason": reason})
        except Exception:
            logger.debug("The websocket was already closed", exc_info=True)
