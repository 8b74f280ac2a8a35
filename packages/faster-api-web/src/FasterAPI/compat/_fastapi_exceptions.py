"""``fastapi.exceptions`` under the compatibility layer: FasterAPI's exceptions plus the FastAPI names around them.

``RequestErrorModel`` / ``WebSocketErrorModel`` are the empty pydantic models FastAPI names its validation error
locations after; they are built (importing pydantic) when first asked for.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from FasterAPI.compat._forward import forward_names
from FasterAPI.exceptions import (
    DependencyScopeError,
    EndpointContext,
    FastAPIDeprecationWarning,
    FastAPIError,
    FasterAPIError,
    HTTPException,
    PydanticV1NotSupportedError,
    RequestValidationError,
    ResponseValidationError,
    ValidationException,
    WebSocketDisconnect,
    WebSocketException,
    WebSocketRequestValidationError,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    RequestErrorModel: type[BaseModel]
    WebSocketErrorModel: type[BaseModel]

__all__ = (
    "DependencyScopeError",
    "EndpointContext",
    "FastAPIDeprecationWarning",
    "FastAPIError",
    "FasterAPIError",
    "HTTPException",
    "PydanticV1NotSupportedError",
    "RequestErrorModel",
    "RequestValidationError",
    "ResponseValidationError",
    "ValidationException",
    "WebSocketDisconnect",
    "WebSocketErrorModel",
    "WebSocketException",
    "WebSocketRequestValidationError",
)


@cache
def _error_model(name: str) -> type[BaseModel]:
    from pydantic import create_model

    model: type[BaseModel] = create_model(name)
    return model


_forward, __dir__ = forward_names(__name__, "FasterAPI.exceptions")


def __getattr__(name: str) -> Any:
    if name == "RequestErrorModel":
        return _error_model("Request")
    if name == "WebSocketErrorModel":
        return _error_model("WebSocket")
    return _forward(name)
