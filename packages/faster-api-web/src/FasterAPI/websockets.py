"""WebSocket connections under FastAPI's module path ``fastapi.websockets``."""

from __future__ import annotations

from fasterapi_core import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketState,
)

__all__ = ("WebSocket", "WebSocketDisconnect", "WebSocketState")
