"""Helpers that read ASGI scopes (the seed's ``FasterAPI.asgi_compat``)."""

from __future__ import annotations

from fasterapi_core import (
    get_header,
    get_server_host,
    http_version,
    is_http2,
)

__all__ = ("get_header", "get_server_host", "http_version", "is_http2")
