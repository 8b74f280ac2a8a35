"""ASGI type aliases (``Scope``, ``Receive``, ``Send``, ``Message``, ``ASGIApp``) and Starlette's type names."""

from __future__ import annotations

from fasterapi_core.types import (
    AppType,
    ASGIApp,
    ExceptionHandler,
    HTTPExceptionHandler,
    Lifespan,
    Message,
    Receive,
    Scope,
    Send,
    StatefulLifespan,
    StatelessLifespan,
    WebSocketExceptionHandler,
)

__all__ = (
    "ASGIApp",
    "AppType",
    "ExceptionHandler",
    "HTTPExceptionHandler",
    "Lifespan",
    "Message",
    "Receive",
    "Scope",
    "Send",
    "StatefulLifespan",
    "StatelessLifespan",
    "WebSocketExceptionHandler",
)
