"""``starlette.websockets`` under the compatibility layer: the WebSocket connection and its states and errors."""

from __future__ import annotations

from fasterapi_core.websockets import (
    WebSocket,
    WebSocketClose,
    WebSocketDisconnect,
    WebSocketDisconnected,
    WebSocketState,
)

__all__ = ("WebSocket", "WebSocketClose", "WebSocketDisconnect", "WebSocketDisconnected", "WebSocketState")
