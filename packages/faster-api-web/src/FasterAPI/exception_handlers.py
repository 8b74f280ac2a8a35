"""The default exception handlers (``fastapi.exception_handlers``), to call from your own handlers.

Example:
    >>> from FasterAPI.exception_handlers import http_exception_handler
    >>> @app.exception_handler(HTTPException)
    ... async def log_and_answer(request, exc):
    ...     logger.warning("HTTP error %s", exc.status_code)
    ...     return await http_exception_handler(request, exc)
"""

from __future__ import annotations

from fasterapi_core.applications import (
    http_exception_handler,
    request_validation_exception_handler,
    websocket_request_validation_exception_handler,
)
from fasterapi_core.status import WS_1008_POLICY_VIOLATION

__all__ = (
    "WS_1008_POLICY_VIOLATION",
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
)
