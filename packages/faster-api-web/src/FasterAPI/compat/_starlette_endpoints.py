"""``starlette.endpoints`` under the compatibility layer: class-based HTTP and WebSocket endpoints."""

from __future__ import annotations

from fasterapi_core.endpoints import HTTPEndpoint, WebSocketEndpoint

__all__ = ("HTTPEndpoint", "WebSocketEndpoint")
