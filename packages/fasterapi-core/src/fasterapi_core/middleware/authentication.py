"""``AuthenticationMiddleware``: asks a backend who the client is and puts the answer in the scope."""

from __future__ import annotations

from collections.abc import Callable

from fasterapi_core.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    UnauthenticatedUser,
)
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import ASGIApp, Receive, Scope, Send

__all__ = ("AuthenticationMiddleware",)


class AuthenticationMiddleware:
    """Set ``scope["auth"]`` (``AuthCredentials``) and ``scope["user"]`` for ``request.auth`` / ``request.user``.

    A connection without credentials gets empty credentials and an ``UnauthenticatedUser``. A backend raising
    ``AuthenticationError`` gets ``on_error(conn, exc)``'s response (by default ``400`` with the message); a
    websocket is closed instead.

    Args:
        app: The ASGI app to wrap.
        backend: The ``AuthenticationBackend`` to ask.
        on_error: ``on_error(conn, exc)`` returning the response for bad credentials.

    Example:
        >>> app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())
    """

    def __init__(
        self,
        app: ASGIApp,
        backend: AuthenticationBackend,
        on_error: Callable[[HTTPConnection, AuthenticationError], Response] | None = None,
    ) -> None:
        self.app = app
        self.backend = backend
        self.on_error: Callable[[HTTPConnection, AuthenticationError], Response] = (
            on_error if on_error is not None else self.default_on_error
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        try:
            result = await self.backend.authenticate(conn)
        except AuthenticationError as exc:
            response = self.on_error(conn, exc)
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1000})
            else:
                await response(scope, receive, send)
            return
        if result is None:
            result = AuthCredentials(), UnauthenticatedUser()
        scope["auth"], scope["user"] = result
        await self.app(scope, receive, send)

    @staticmethod
    def default_on_error(conn: HTTPConnection, exc: Exception) -> Response:
        """``400`` with the error's message as plain text."""
        return PlainTextResponse(str(exc), status_code=400)
