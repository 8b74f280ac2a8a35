"""The application's middleware stack, built as Starlette builds it, and when requests may skip it.

``build_middleware_stack()`` returns ``ServerErrorMiddleware`` (the ``500`` or ``Exception`` handler) around the
user middleware, around ``ExceptionMiddleware`` (every other handler), around the router: the shape that
instrumentation libraries unwrap, wrap and patch (OpenTelemetry's FastAPI instrumentor, Sentry's integration).

PERF: an application with no middleware whose stack nobody replaced or wrapped (and whose ``__call__`` nobody
patched) is *plain*: its requests go straight to the router in the application's error boundary. Any
other stack is *layered*: requests go through it, and the router raises unhandled errors to it, as in Starlette.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from ._lazy_logger import lazy_logger
from ._telemetry_setup import serve_with_telemetry, watch_telemetry
from .exceptions import WebSocketDisconnect
from .middleware.base import Middleware
from .middleware.errors import ServerErrorMiddleware
from .middleware.exceptions import ExceptionMiddleware
from .requests import ClientDisconnect, Request

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._app_router import AppRouter
    from .types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("ApplicationServerErrorMiddleware", "MiddlewareStack")

_APPLICATION_MODULE = "fasterapi_core.applications"

logger = lazy_logger("fasterapi_core")


class ApplicationServerErrorMiddleware(ServerErrorMiddleware):
    """The application's own ``ServerErrorMiddleware``, with what FasterAPI does beyond Starlette.

    An exception that user middleware raises and an exception handler of the application handles (an
    ``HTTPException`` raised by an auth middleware, say) gets that handler's answer instead of ``500``; a client
    that went away while its body was read (``ClientDisconnect``) is nobody to answer. Anything else is Starlette's
    ``500``, raised again for the server.
    """

    def __init__(
        self,
        app: ASGIApp,
        handler: Any = None,
        debug: bool = False,
        *,
        application: MiddlewareStack,
    ) -> None:
        super().__init__(app, handler=handler, debug=debug)
        self.application = application

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await self._serve_websocket(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        # PERF: send is not wrapped to learn whether the response has started (two calls per request): the router
        # answers its handled errors before it sends anything, and an answer sent after a started response fails
        # at the server, which is caught here; the exception itself is raised again all the same.
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            try:
                if await self._answered_otherwise(scope, receive, send, exc):
                    return
                telemetry = scope.get("fastapi.telemetry")
                if telemetry is not None:
                    telemetry.exception(exc)
                response = await self._error_response(scope, exc)
                if response is not None:
                    await response(scope, receive, send)
            except Exception:
                logger.debug("Could not send the 500 response", exc_info=True)
            raise

    async def _serve_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a WebSocket connection; an error that no layer answered after ``accept()`` closes it with 1011.

        The error still goes on to the server, as Starlette's; but uvicorn only drops an accepted connection (the
        client sees 1006), where the plain application's error boundary tells the client with a 1011 close
        (internal error): a layered application does the same. Before ``accept()`` the server answers ``500``.
        """
        accepted = False
        closed = False

        async def watching_send(message: Message) -> None:
            nonlocal accepted, closed
            kind = message["type"]
            if kind == "websocket.accept":
                accepted = True
            elif kind == "websocket.close" or kind.startswith("websocket.http.response"):
                closed = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if accepted and not closed and not isinstance(exc, WebSocketDisconnect):
                try:
                    await send({"type": "websocket.close", "code": 1011, "reason": "Internal Server Error"})
                except Exception:
                    logger.debug("The websocket was already closed", exc_info=True)
            raise

    async def _answered_otherwise(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> bool:
        if isinstance(exc, ClientDisconnect):
            logger.debug("Client disconnected during %s %s", scope.get("method", ""), scope.get("path", ""))
            return True
        handlers = self.application.exception_handlers
        handler = self.application._lookup_handler(exc)
        if handler is None or handler is handlers.get(Exception) or handler is handlers.get(500):
            return False
        response = handler(Request(scope, receive), exc)
        if inspect.isawaitable(response):
            response = await response
        await response(scope, receive, send)
        return True


class MiddlewareStack:
    """The middleware-stack half of the application class (``Faster`` derives from it)."""

    # Set by the application's __init__.
    router: AppRouter
    debug: bool
    exception_handlers: dict[Any, Any]
    user_middleware: list[Middleware]
    _middleware_stack: ASGIApp | None
    #: The stack this application built last when it was plain.
    _plain_stack: ASGIApp | None
    #: What ``__call__`` gives requests to when layered: the stack; ``_first_request`` until the stack is built;
    #: None when plain (``__call__`` then serves the router inside the error boundary itself).
    _serve: ASGIApp | None
    #: Layered: the router answers with the handlers of the stack's ExceptionMiddleware and raises the rest to it.
    _errors_to_stack: bool
    #: The ExceptionMiddleware over the router, in the stack built last.
    _exception_layer: ExceptionMiddleware | None
    #: Starlette's ``scope["starlette.exception_handlers"]``: the handlers (by class, by status) errors are answered
    #: with, the application's when plain, the stack's ExceptionMiddleware's when layered. They are the live
    #: dicts, so a handler added to them during a request (as extensions do) answers, as with Starlette.
    _scope_exception_handlers: tuple[dict[Any, Any], dict[Any, Any]]
    #: The telemetry settings (``_telemetry_setup``), and whether they were given.
    _telemetry: dict[str, Any]
    _telemetry_explicit: bool
    #: Set while the application may serve telemetry once a global provider is configured (``_telemetry_setup``):
    #: whether the providers changed since. OpenTelemetry reports changes (``_telemetry_watch``); where it cannot,
    #: ``_serve`` is ``_serve_polling``, which asks this on every connection and then serves with ``_polled_serve``.
    _telemetry_watch: Callable[[], bool] | None
    _polled_serve: ASGIApp | None

    def _init_middleware_stack(self) -> None:
        self._middleware_stack = None
        self._plain_stack = None
        self._serve = self._first_request
        self._errors_to_stack = False
        self._exception_layer = None
        self._scope_exception_handlers = (self.exception_handlers, self.exception_handlers)
        self._telemetry_watch = None
        self._polled_serve = None

    if TYPE_CHECKING:
        # Provided by the error boundary (``_error_boundary.ErrorBoundary``), which derives from this class.
        async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None: ...

        def _lookup_handler(self, exc: BaseException) -> Any: ...

    @property
    def middleware_stack(self) -> ASGIApp | None:
        """The ASGI app requests go through: built by :meth:`build_middleware_stack` on the first request.

        Assigning it (as instrumentation does to re-install a stack) takes effect from the next request;
        ``None`` has the stack built again.
        """
        return self._middleware_stack

    @middleware_stack.setter
    def middleware_stack(self, stack: ASGIApp | None) -> None:
        self._middleware_stack = stack
        plain = stack is not None and stack is self._plain_stack
        self._errors_to_stack = stack is not None and not plain
        layer = self._exception_layer
        if self._errors_to_stack and layer is not None:
            self._scope_exception_handlers = (layer._exception_handlers, layer._status_handlers)
        else:
            self._scope_exception_handlers = (self.exception_handlers, self.exception_handlers)
        if stack is None:
            self._serve = self._first_request
        else:
            # PERF: whether telemetry is served is decided once per stack; without it, a plain application is served
            # by ``Faster.__call__`` itself (None) and a layered one by its stack.
            dispatch = self._dispatch
            served = serve_with_telemetry(self, dispatch if plain else stack, stack)
            self._serve = None if served is dispatch else served
            # Once _serve is set: a provider set from now on switches it to _telemetry_recheck.
            watch_telemetry(self)

    def _watched_telemetry_started(self) -> None:
        """A global telemetry provider was configured since the stack was built: serve telemetry from now on."""
        self.middleware_stack = self._middleware_stack

    def _telemetry_changed(self) -> None:
        """Told by OpenTelemetry's modules (``_telemetry_watch``, any thread): a global provider may have been set.

        PERF: requests pay nothing for the watch: the next connection finds ``_serve`` switched, and the stack is
        decided again there.
        """
        if self._telemetry_watch is not None and self._middleware_stack is not None:
            self._serve = self._telemetry_recheck

    async def _telemetry_recheck(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The first connection after a global provider may have been set: decide the stack again, then serve."""
        self._watched_telemetry_started()
        await (self._serve or self._dispatch)(scope, receive, send)

    async def _serve_polling(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a watched application whose providers OpenTelemetry cannot report: ask the watch first."""
        watch = self._telemetry_watch
        if watch is not None and watch():
            await self._telemetry_recheck(scope, receive, send)
            return
        await (self._polled_serve or self._dispatch)(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        """Build ``ServerErrorMiddleware`` → user middleware → ``ExceptionMiddleware`` → router, as Starlette does.

        The ``500``/``Exception`` handler goes to ``ServerErrorMiddleware``, every other exception handler to
        ``ExceptionMiddleware``; ``user_middleware`` is outermost first.
        """
        error_handler = None
        handlers: dict[Any, Any] = {}
        for key, value in self.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            else:
                handlers[key] = value
        middleware = [
            Middleware(ApplicationServerErrorMiddleware, handler=error_handler, debug=self.debug, application=self),
            *self.user_middleware,
        ]
        cls, args, kwargs = Middleware(ExceptionMiddleware, handlers=handlers, debug=self.debug)
        exception_layer = cls(self._dispatch, *args, **kwargs)
        exception_layer._router_answers = True
        self._exception_layer = exception_layer
        app: ASGIApp = exception_layer
        for cls, args, kwargs in reversed(middleware):
            app = cls(app, *args, **kwargs)
        call = getattr(type(self).__call__, "__module__", None)
        self._plain_stack = app if not self.user_middleware and call == _APPLICATION_MODULE else None
        return app

    def _stack_handler(self, exc: Exception) -> Any:
        """Under a layered stack: the handler of its ``ExceptionMiddleware`` for ``exc``; raise ``exc`` if none."""
        layer = self._exception_layer
        handler = None if layer is None else layer.lookup_handler(exc)
        if handler is None and not isinstance(exc, ClientDisconnect):
            raise exc
        return handler

    async def _first_request(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Build the stack (the first request, or the first after ``middleware_stack = None``), then serve."""
        self.middleware_stack = self.build_middleware_stack()
        scope["starlette.exception_handlers"] = self._scope_exception_handlers
        await (self._serve or self._dispatch)(scope, receive, send)
