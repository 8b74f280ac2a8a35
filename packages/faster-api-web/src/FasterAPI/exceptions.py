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
from fasterapi_core.dependencies import DependencyScopeError
from fasterapi_core.exceptions import FastAPIDeprecationWarning, FastAPIError, FasterAPIError, ValidationException

__all__ = (
    "DependencyScopeError",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIError",
    "HTTPException",
    "RequestValidationError",
    "ResponseValidationError",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketException",
    "WebSocketRequestValidationError",
)
