"""Building ``Set-Cookie`` header values (RFC 6265) that cannot carry injected attributes or headers."""

from __future__ import annotations

import datetime
import email.utils
import time
from typing import Literal

__all__ = ("SameSite", "build_set_cookie")

SameSite = Literal["lax", "strict", "none"]

# RFC 9110 token characters: what a cookie name may contain.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# RFC 6265 cookie-octet: printable US-ASCII except space, DQUOTE, comma, semicolon and backslash.
_COOKIE_OCTETS = frozenset(chr(c) for c in range(0x21, 0x7F)) - frozenset('",;\\')
_SAMESITE_VALUES = {"lax": "lax", "strict": "strict", "none": "none"}


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or code == 0x7F


def _check_name(key: str) -> None:
    if not key or not _TOKEN_CHARS.issuperset(key):
        raise ValueError(f"Invalid cookie name {key!r}: it must be a non-empty RFC 9110 token")


def _quote_value(value: str) -> str:
    if _COOKIE_OCTETS.issuperset(value):
        return value
    parts: list[str] = []
    for char in value:
        if char in _COOKIE_OCTETS:
            parts.append(char)
        elif char in '"\\':
            parts.append("\\" + char)
        elif char in " ,;":
            # Octal escapes, as Python's http.cookies writes and reads them: a ';' never ends the value.
            parts.append(f"\\{ord(char):03o}")
        elif _is_control(char):
            raise ValueError(f"Invalid cookie value {value!r}: control characters (CR, LF, NUL, ...) are not allowed")
        else:
            raise ValueError(
                f"Invalid cookie value {value!r}: only ASCII is allowed; encode it first (for example base64 or "
                "percent-encoding)"
            )
    return '"' + "".join(parts) + '"'


def _check_attribute(name: str, value: str) -> str:
    for char in value:
        if char == ";" or _is_control(char) or ord(char) > 0x7E:
            raise ValueError(f"Invalid cookie {name} {value!r}: ';', control and non-ASCII characters are not allowed")
    return value


def _format_expires(expires: datetime.datetime | str | int) -> str:
    if isinstance(expires, datetime.datetime):
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=datetime.UTC)
        return email.utils.format_datetime(expires.astimezone(datetime.UTC), usegmt=True)
    if isinstance(expires, int):
        return email.utils.formatdate(time.time() + expires, usegmt=True)
    return _check_attribute("expires", expires)


def build_set_cookie(
    key: str,
    value: str = "",
    *,
    max_age: int | None = None,
    expires: datetime.datetime | str | int | None = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: SameSite | None = "lax",
    partitioned: bool = False,
) -> str:
    """Return the value of a ``Set-Cookie`` header.

    The value is written as-is when it only holds RFC 6265 cookie-octets, otherwise it is
    double-quoted with ``"``/``\\`` backslash-escaped and space, comma and semicolon written as
    octal escapes (the form Python's ``http.cookies`` reads back). Attributes are in Starlette's order.

    Args:
        key: The cookie name (an RFC 9110 token).
        value: The cookie value (ASCII, no control characters).
        max_age: Lifetime in seconds; ``0`` or less expires the cookie at once.
        expires: Expiry as a datetime (naive means UTC), an HTTP date string, or seconds from now.
        path: The ``Path`` attribute; ``None`` leaves it out.
        domain: The ``Domain`` attribute.
        secure: Add ``Secure``.
        httponly: Add ``HttpOnly``.
        samesite: ``"lax"``, ``"strict"``, ``"none"`` or ``None`` to leave the attribute out.
        partitioned: Add ``Partitioned`` (CHIPS; browsers also require ``Secure``).

    Returns:
        The header value, for example ``'session=abc; HttpOnly; Path=/; SameSite=lax'``.

    Raises:
        ValueError: If the name, value or an attribute could inject other attributes or headers.
    """
    _check_name(key)
    parts = [f"{key}={_quote_value(value)}"]
    if domain is not None:
        parts.append(f"Domain={_check_attribute('domain', domain)}")
    if expires is not None:
        parts.append(f"expires={_format_expires(expires)}")
    if httponly:
        parts.append("HttpOnly")
    if max_age is not None:
        parts.append(f"Max-Age={int(max_age)}")
    if partitioned:
        parts.append("Partitioned")
    if path is not None:
        parts.append(f"Path={_check_attribute('path', path)}")
    if samesite is not None:
        normalised = _SAMESITE_VALUES.get(samesite.lower())
        if normalised is None:
            raise ValueError(f"Invalid cookie samesite {samesite!r}: use 'lax', 'strict' or 'none'")
        parts.append(f"SameSite={normalised}")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)
