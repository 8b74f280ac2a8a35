"""``starlette.requests`` under the compatibility layer: FasterAPI's request objects plus Starlette's helpers.

``cookie_parser`` is core's (Starlette's rule: a chunk without ``=`` is a value with an empty name, as browsers
read it) under Starlette's parameter name.
"""

from __future__ import annotations

from FasterAPI.compat._forward import forward_names
from FasterAPI.requests import ClientDisconnect, HTTPConnection, Request, empty_receive, empty_send
from fasterapi_core._cookie_header import cookie_parser as _parse_cookie_header

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


def cookie_parser(cookie_string: str) -> dict[str, str]:
    """Parse a ``Cookie`` header into a dict as Starlette does (a double-quoted value is unquoted; never raises).

    Example:
        >>> cookie_parser('session=abc; theme="dark"; flag')
        {'session': 'abc', 'theme': 'dark', '': 'flag'}
    """
    return _parse_cookie_header(cookie_string)


__getattr__, __dir__ = forward_names(__name__, "FasterAPI.requests")
