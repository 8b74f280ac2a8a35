"""The request objects under FastAPI's module path ``fastapi.requests``."""

from __future__ import annotations

from fasterapi_core import (
    HTTPConnection,
    Request,
)
from fasterapi_core.datastructures import URL as URL  # noqa: PLC0414 - starlette.requests has it too

__all__ = ("HTTPConnection", "Request")
