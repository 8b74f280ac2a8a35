"""``starlette.middleware.base`` under the compatibility layer: ``BaseHTTPMiddleware`` and Starlette's type aliases."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterable, MutableMapping
from typing import Any

from FasterAPI.middleware.base import BaseHTTPMiddleware, CallNext, DispatchFunction, RequestResponseEndpoint

__all__ = (
    "AsyncContentStream",
    "BaseHTTPMiddleware",
    "BodyStreamGenerator",
    "CallNext",
    "DispatchFunction",
    "RequestResponseEndpoint",
)

BodyStreamGenerator = AsyncGenerator[bytes | MutableMapping[str, Any], None]
"""What the body of a response returned by ``call_next`` is read from: chunks, or whole ASGI messages."""

AsyncContentStream = AsyncIterable[str | bytes | memoryview | MutableMapping[str, Any]]
"""A streaming body as ``BaseHTTPMiddleware`` passes it on: chunks, or whole ASGI messages."""
