"""``starlette.requests`` under the compatibility layer: FasterAPI's request objects plus Starlette's helpers.

``cookie_parser`` follows Starlette's rule, which keeps a chunk without ``=`` as a value with an empty name (as
browsers read it); ``Request.cookies`` uses core's parser, which skips such chunks (no parameter can be named "").
"""

from __future__ import annotations

from FasterAPI.compat._forward import forward_names
from FasterAPI.requests import ClientDisconnect, HTTPConnection, Request, empty_receive, empty_send
from fasterapi_core._cookie_header import COOKIE_ESCAPE, unescape_cookie

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
    cookies: dict[str, str] = {}
    for chunk in cookie_string.split(";"):
        name, separator, value = chunk.partition("=")
        if not separator:
            name, value = "", chunk
        name, value = name.strip(), value.strip()
        if not (name or value):
            continue
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = COOKIE_ESCAPE.sub(unescape_cookie, value[1:-1])
        cookies[name] = value
    return cookies


__getattr__, __dir__ = forward_names(__name__, "FasterAPI.requests")
