"""Building ``Set-Cookie`` header values (RFC 6265) that cannot carry injected attributes or headers."""

from __future__ import annotations

import datetime
import time
from typing import Literal

__all__ = ("SameSite", "build_set_cookie")

SameSite = Literal["lax", "strict", "none"]

# RFC 9110 token characters: what a cookie name may contain.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# A value made only of these is written bare (the characters Python's http.cookies, and so Starlette, leave unquoted).
# PERF: the letters and digits spelled out: the string module (it compiles a regular expression) is not loaded.
_LETTERS_AND_DIGITS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_BARE_VALUE_CHARS = frozenset(_LETTERS_AND_DIGITS + "!#$%&'*+-.^_`|~:")
# Inside double quotes these stay as they are; '"' and '\\' get a backslash and every other Latin-1 character an
# octal escape, so ';', ',', CR, LF and NUL can never end the value or the header.
_QUOTED_AS_IS = _BARE_VALUE_CHARS | frozenset(" ()/<=>?@[]{}")
_QUOTE_TABLE: dict[int, str] = {code: f"\\{code:03o}" for code in range(256) if chr(code) not in _QUOTED_AS_IS}
_QUOTE_TABLE[ord('"')] = '\\"'
_QUOTE_TABLE[ord("\\")] = "\\\\"
_SAMESITE_VALUES = {"lax": "lax", "strict": "strict", "none": "none"}


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or code == 0x7F


def _check_name(key: str) -> None:
    if not key or not _TOKEN_CHARS.issuperset(key):
        raise ValueError(f"Invalid cookie name {key!r}: it must be a non-empty RFC 9110 token")


def _octal_utf8(char: str) -> str:
    return char if char.isascii() else "".join(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogatepass"))


def _quote_value(value: str) -> str:
    # PERF: most values (tokens, base64, signed sessions) are bare; the table-driven translate is C code.
    if value and _BARE_VALUE_CHARS.issuperset(value):
        return value
    quoted = value.translate(_QUOTE_TABLE)
    if not quoted.isascii():
        # Beyond Latin-1 (where Starlette fails with a 500): the UTF-8 bytes, as octal escapes.
        quoted = "".join(map(_octal_utf8, quoted))
    return f'"{quoted}"'


def _check_attribute(name: str, value: str) -> str:
    for char in value:
        if char == ";" or _is_control(char) or ord(char) > 0x7E:
            raise ValueError(f"Invalid cookie {name} {value!r}: ';', control and non-ASCII characters are not allowed")
    return value


def _format_expires(expires: datetime.datetime | str | int) -> str:
    # PERF: email.utils loads on the first cookie with an expiry, not with the framework.
    import email.utils

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

    The value is written as Starlette (through Python's ``http.cookies``) writes it: bare when it only holds
    token characters, otherwise double-quoted with ``"`` and ``\\`` backslash-escaped and other characters
    outside printable ASCII (and ``;``, ``,``) as octal escapes, which ``http.cookies`` and :func:`cookie_parser`
    read back. Characters beyond Latin-1 are written as the octal escapes of their UTF-8 bytes. No value can
    end the cookie or the header early.

    Args:
        key: The cookie name (an RFC 9110 token).
        value: The cookie value; any string.
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
        ValueError: If the name or an attribute could inject other attributes or headers.
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
