"""Server-Sent Events under FastAPI's module path ``fastapi.sse`` (the ping interval is
``fasterapi_core.sse.PING_INTERVAL``)."""

from __future__ import annotations

from fasterapi_core.sse import (
    KEEPALIVE_COMMENT,
    EventSourceResponse,
    ServerSentEvent,
    format_sse_event,
)

__all__ = ("KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event")
