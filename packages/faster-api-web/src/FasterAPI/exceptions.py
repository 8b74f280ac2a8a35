"""Exceptions that user code raises and the framework turns into responses (``fastapi.exceptions``)."""

from __future__ import annotations

from fasterapi_core import (
    HTTPException,
    RequestValidationError,
    ResponseValidationError,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketRequestValidationError,
)
from fasterapi_core.exceptions import FastAPIDeprecationWarning, FastAPIError, FasterAPIError

__all__ = (
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIError",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
)
