"""WebSocket connections (the seed's ``FasterAPI.websocket``)."""

from __future__ import annotations

from fasterapi_core import (
    WebSocket,
    WebSocketDisconnect,
    WebSocketState,
)

__all__ = ("WebSocket", "WebSocketDisconnect", "WebSocketState")
