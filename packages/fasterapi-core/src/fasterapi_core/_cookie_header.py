"""Reading a ``Cookie`` request header into names and values, as browsers and Starlette do."""

from __future__ import annotations

import re

__all__ = ("COOKIE_ESCAPE", "cookie_parser", "unescape_cookie")

#: An octal escape (a backslash and three octal digits) or a backslash-escaped character in a quoted cookie value.
COOKIE_ESCAPE = re.compile(r"\\(?:([0-3][0-7]{2})|(.))")


def unescape_cookie(match: re.Match[str]) -> str:
    """The character an escape in a quoted cookie value stands for."""
    octal, char = match.groups()
    return chr(int(octal, 8)) if octal else char


def cookie_parser(cookie_header: str) -> dict[str, str]:
    """Parse a ``Cookie`` header into a dict, tolerating whatever browsers and bots send.

    As Starlette's parser (and browsers) do, a chunk without ``=`` is a value with an empty name, and
    a chunk empty on both sides is skipped; a double-quoted value is unquoted; a repeated name keeps its
    last value. It never raises.

    Example:
        >>> cookie_parser('session=abc; theme="dark"; junk')
        {'session': 'abc', 'theme': 'dark', '': 'junk'}
    """
    cookies: dict[str, str] = {}
    for chunk in cookie_header.split(";"):
        name, separator, value = chunk.partition("=")
        if not separator:
            name, value = "", name
        name = name.strip()
        value = value.strip()
        if not name and not value:
            continue
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = COOKIE_ESCAPE.sub(unescape_cookie, value[1:-1])
        cookies[name] = value
    return cookies
