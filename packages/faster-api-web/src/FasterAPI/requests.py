"""The request objects under FastAPI's module path ``fastapi.requests``."""

from __future__ import annotations

from fasterapi_core import (
    HTTPConnection,
    Request,
)
from fasterapi_core.datastructures import URL  # Starlette's starlette.requests re-exports it (fastapi-pagination)

__all__ = ("URL", "HTTPConnection", "Request")
