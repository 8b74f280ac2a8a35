"""The request objects under FastAPI's module path ``fastapi.requests``."""

from __future__ import annotations

from fasterapi_core import (
    HTTPConnection,
    Request,
)

__all__ = ("HTTPConnection", "Request")
