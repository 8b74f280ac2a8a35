"""``ServerErrorMiddleware``: the outermost layer, answering ``500`` for any exception the layers under it raise."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.middleware._tracking import StartTrackingSend
from fasterapi_core.requests import Request
from fasterapi_core.responses import HTMLResponse, PlainTextResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("ServerErrorMiddleware",)


class ServerErrorMiddleware:
    """Answer ``500`` when the wrapped app raises, then raise the exception again (as Starlette's does).

    The exception goes on up so that the server logs it and a test client can raise it in the test. Only HTTP
    connections are handled; a response that had already started is left as it is.

    Args:
        app: The ASGI app to wrap.
        handler: ``handler(request, exc)`` returning the ``500`` response (an application's handler for ``500`` or
            ``Exception``); ``None`` for a plain-text ``Internal Server Error``.
        debug: Answer with the traceback instead (HTML when the client accepts it, else plain text).

    Example:
        >>> app = ServerErrorMiddleware(inner_app, debug=True)
    """

    def __init__(self, app: ASGIApp, handler: Callable[[Request, Exception], Any] | None = None, debug: bool = False):
        self.app = app
        self.handler = handler
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracking_send = StartTrackingSend(send)
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if not tracking_send.started and await self._answered_otherwise(scope, receive, send, exc):
                return
            response = await self._error_response(scope, exc)
            if not tracking_send.started and response is not None:
                await response(scope, receive, send)
            raise

    async def _error_response(self, scope: Scope, exc: Exception) -> Any:
        """The 500 response for ``exc``: the traceback in debug mode, else the handler's or the default one."""
        request = Request(scope)
        if self.debug:
            return self.debug_response(request, exc)
        if self.handler is None:
            return self.error_response(request, exc)
        if inspect.iscoroutinefunction(self.handler) or inspect.iscoroutinefunction(
            getattr(self.handler, "__call__", None)  # noqa: B004 - an async __call__ makes an async handler
        ):
            return await self.handler(request, exc)
        return await run_in_threadpool(self.handler, request, exc)

    async def _answered_otherwise(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> bool:
        """Whether a subclass answered ``exc`` (or decided nobody is left to answer) instead of failing with 500."""
        return False

    @staticmethod
    def generate_plain_text(exc: Exception) -> str:
        """The traceback of ``exc`` as text."""
        import traceback  # PERF: loads with the first debug page, not with the app

        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))

    def generate_html(self, exc: Exception) -> str:
        """An HTML page showing the traceback of ``exc`` (escaped)."""
        import html  # only debug pages need it; its entity table is slow to import

        title = html.escape(f"{type(exc).__name__}: {exc}")
        body = html.escape(self.generate_plain_text(exc))
        return (
            f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body><h1>500 Server Error</h1><h2>{title}</h2><pre>{body}</pre></body></html>"
        )

    def debug_response(self, request: Request, exc: Exception) -> Response:
        """The ``debug=True`` answer: the traceback, as HTML when the client accepts HTML."""
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(self.generate_html(exc), status_code=500)
        return PlainTextResponse(self.generate_plain_text(exc), status_code=500)

    def error_response(self, request: Request, exc: Exception) -> Response:
        """The default answer: ``500 Internal Server Error`` as plain text."""
        return PlainTextResponse("Internal Server Error", status_code=500)
