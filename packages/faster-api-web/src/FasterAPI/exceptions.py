"""Exceptions that user code raises and the framework turns into responses."""

from __future__ import annotations

from fasterapi_core import (
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketRequestValidationError,
)
from fasterapi_core.exceptions import FasterAPIError

__all__ = (
    "FasterAPIError",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
)
