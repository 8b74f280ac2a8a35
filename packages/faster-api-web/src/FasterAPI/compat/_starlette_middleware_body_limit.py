"""``starlette.middleware.body_limit`` under the compatibility layer: ``RequestBodyLimitMiddleware``.

FasterAPI applications, routers and routes take ``max_body_size=`` themselves; this middleware is for code that adds
Starlette's (and for Starlette's ``Mount(max_body_size=...)``). As Starlette's, the innermost limit wins: a limit
nested inside another (a mount's inside the application's, a route's inside a mount's) replaces it, up or down, and
it shows the limit it applies in ``scope[MAX_BODY_SIZE_SCOPE_KEY]`` while the app runs (FasterAPI's own limits are
not put there).
"""

from __future__ import annotations

from typing import Any

from fasterapi_core._route_settings import INHERITED_SETTINGS, pass_on_limits
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("MAX_BODY_SIZE_SCOPE_KEY", "RequestBodyLimitMiddleware")

MAX_BODY_SIZE_SCOPE_KEY = "starlette.max_body_size"
"""The scope key holding the body limit of the innermost ``RequestBodyLimitMiddleware`` while the app runs."""

# The limit the outermost middleware of a request counts against, which the nested ones re-aim.
_ACTIVE_LIMIT_KEY = "fasterapi.starlette_body_limit"

_MISSING: Any = object()


class _BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="Content Too Large")


class _RefusalSent(Exception):
    """The ``413`` went out in place of the app's response; the app's own is dropped."""


class _ActiveLimit:
    """The body limit of one request: the innermost middleware's, over the bytes received so far."""

    __slots__ = ("declared", "limit", "received", "scope", "started")

    def __init__(self, limit: int, scope: Scope) -> None:
        self.limit = limit
        #: The scope the innermost middleware passed on: the one a FasterAPI router puts the served route in.
        self.scope = scope
        self.declared = _declared_length(scope)
        self.received = 0
        self.started = False

    def nest(self, limit: int, scope: Scope) -> None:
        """Apply the limit of a middleware nested inside the others, for the app it wraps."""
        self.limit = limit
        self.scope = scope
        if self.received > limit:
            raise _BodyTooLarge

    def current(self) -> int:
        """The limit now: a FasterAPI route's own limit, nested inside every middleware, wins over theirs."""
        settings = getattr(self.scope.get("route"), "settings", None)
        own: int | None = getattr(settings, "max_body_size", None)
        return self.limit if own is None else own

    def declared_over(self) -> bool:
        return self.declared is not None and self.declared > self.current()


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            declared = value.strip()
            return int(declared) if declared.isdigit() and len(declared) < 20 else None
    return None


def _too_large() -> PlainTextResponse:
    return PlainTextResponse("Content Too Large", status_code=413)


class RequestBodyLimitMiddleware:
    """Refuse an HTTP request body larger than ``max_body_size`` bytes with ``413 Content Too Large``.

    As Starlette's: a body that grows past the limit (or declares a ``Content-Length`` over it) while the app reads
    it makes ``receive`` raise a ``413`` ``HTTPException``, answered here unless the app answered; an app that answers
    without reading a declared length over the limit has its response replaced by the ``413``. Nested inside another
    one, this middleware's limit replaces the outer one for the app it wraps, and FasterAPI routes below it that set
    no limit of their own read it as their default.
    """

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_size
        previous_limit = scope.get(MAX_BODY_SIZE_SCOPE_KEY, _MISSING)
        previous_settings = scope.get(INHERITED_SETTINGS, _MISSING)
        scope[MAX_BODY_SIZE_SCOPE_KEY] = limit
        pass_on_limits(scope, limit, {})
        try:
            active: _ActiveLimit | None = scope.get(_ACTIVE_LIMIT_KEY)
            if active is None:
                await self._limit(scope, receive, send)
                return
            active.nest(limit, scope)
            await self.app(scope, receive, send)
        finally:
            for key, previous in ((MAX_BODY_SIZE_SCOPE_KEY, previous_limit), (INHERITED_SETTINGS, previous_settings)):
                if previous is _MISSING:
                    scope.pop(key, None)
                else:
                    scope[key] = previous

    async def _limit(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request as its outermost limit: count what the app receives and watch what it sends."""
        active = _ActiveLimit(self.max_body_size, scope)

        async def limited_receive() -> Message:
            if active.declared_over():
                raise _BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                active.received += len(message.get("body", b""))
                if active.received > active.current():
                    raise _BodyTooLarge
            return message

        async def limited_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                active.started = True
                if active.declared_over():
                    await _too_large()(scope, receive, send)
                    raise _RefusalSent
            await send(message)

        scope[_ACTIVE_LIMIT_KEY] = active
        try:
            await self.app(scope, limited_receive, limited_send)
        except _BodyTooLarge:
            if active.started:
                raise
            await _too_large()(scope, receive, send)
        except _RefusalSent:
            pass
        finally:
            scope.pop(_ACTIVE_LIMIT_KEY, None)
