"""The request objects (the seed's ``FasterAPI.request``)."""

from __future__ import annotations

from fasterapi_core import (
    HTTPConnection,
    Request,
)

__all__ = ("HTTPConnection", "Request")
