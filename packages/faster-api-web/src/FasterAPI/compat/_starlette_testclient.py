"""``starlette.testclient`` under the compatibility layer: FasterAPI's test client and the ASGI app types it takes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeAlias

from FasterAPI.testclient import TestClient, WebSocketDenialResponse, WebSocketTestSession
from fasterapi_core.types import Receive, Scope, Send

__all__ = (
    "ASGI2App",
    "ASGI3App",
    "ASGIInstance",
    "TestClient",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
)

ASGIInstance: TypeAlias = Callable[[Receive, Send], Awaitable[None]]
"""The second half of an ASGI 2 application: called with ``receive`` and ``send``."""

ASGI2App: TypeAlias = Callable[[Scope], ASGIInstance]
"""An ASGI 2 (double-callable) application."""

ASGI3App: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
"""An ASGI 3 application."""
