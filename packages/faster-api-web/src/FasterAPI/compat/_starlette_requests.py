"""``starlette.requests`` under the compatibility layer: FasterAPI's request objects plus Starlette's helpers."""

from __future__ import annotations

from FasterAPI.compat._forward import forward_names
from FasterAPI.requests import ClientDisconnect, HTTPConnection, Request, empty_receive, empty_send
from fasterapi_core.requests import cookie_parser

__all__ = (
    "SERVER_PUSH_HEADERS_TO_COPY",
    "ClientDisconnect",
    "HTTPConnection",
    "Request",
    "cookie_parser",
    "empty_receive",
    "empty_send",
)

SERVER_PUSH_HEADERS_TO_COPY = {"accept", "accept-encoding", "accept-language", "cache-control", "user-agent"}
"""The request headers Starlette copied onto an HTTP/2 server push (kept for code that reads the set)."""

__getattr__ = forward_names(__name__, "FasterAPI.requests")
