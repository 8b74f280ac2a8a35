"""``starlette.middleware.body_limit`` under the compatibility layer: ``RequestBodyLimitMiddleware``.

FasterAPI applications, routers and routes take ``max_body_size=`` themselves; this middleware is for code that adds
Starlette's. As Starlette's, it shows the limit it applies in ``scope[MAX_BODY_SIZE_SCOPE_KEY]`` while the app runs
(FasterAPI's own limits are not put there).
"""

from __future__ import annotations

from fasterapi_core.exceptions import HTTPException
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("MAX_BODY_SIZE_SCOPE_KEY", "RequestBodyLimitMiddleware")

MAX_BODY_SIZE_SCOPE_KEY = "starlette.max_body_size"
"""The scope key holding the body limit of the innermost ``RequestBodyLimitMiddleware`` while the app runs."""

_MISSING = object()


class _BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Content Too Large")


class RequestBodyLimitMiddleware:
    """Refuse an HTTP request body larger than ``max_body_size`` bytes with ``413 Content Too Large``.

    A declared ``Content-Length`` over the limit is refused before the app runs; a body that grows past it while
    the app reads it makes ``receive`` raise a ``413`` ``HTTPException``, answered here unless the app answered.
    """

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_size
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length" and value.strip().isdigit() and int(value) > limit:
                await PlainTextResponse("Content Too Large", status_code=413)(scope, receive, send)
                return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        previous_limit = scope.get(MAX_BODY_SIZE_SCOPE_KEY, _MISSING)
        scope[MAX_BODY_SIZE_SCOPE_KEY] = limit
        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await PlainTextResponse("Content Too Large", status_code=413)(scope, receive, send)
        finally:
            if previous_limit is _MISSING:
                scope.pop(MAX_BODY_SIZE_SCOPE_KEY, None)
            else:
                scope[MAX_BODY_SIZE_SCOPE_KEY] = previous_limit
