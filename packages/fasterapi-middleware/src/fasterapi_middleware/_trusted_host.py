"""``TrustedHostMiddleware``: refuse requests whose ``Host`` header is malformed or not one of ours."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from urllib.parse import quote

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

from ._asgi import header_values, send_plain_response, send_websocket_rejection

__all__ = ("TrustedHostMiddleware", "parse_host")

# A DNS name (labels of letters, digits, '-', '_'; an optional final dot), an IPv4 address, a bracketed IPv6
# literal (checked by ipaddress) or IPvFuture literal ("[v1.x]", lowercase "v" as Starlette reads it), then an
# optional port (leading zeros allowed). Anything else (userinfo '@', paths, whitespace, two ports) is malformed.
_HOST = re.compile(
    r"(?P<host>\[(?P<ipv6>[0-9a-f:.]+)\]|\[v[0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+\]|(?:[a-z0-9_-]+\.)*[a-z0-9_-]+\.?)"
    r"(?::(?P<port>[0-9]+))?",
    re.IGNORECASE | re.ASCII,
)
_INVALID_HOST_BODY = b"Invalid host header"


def parse_host(value: bytes | str) -> tuple[str, int | None] | None:
    """Split a ``Host`` header into a lower-case host name and a port; ``None`` when it is malformed.

    IPv6 literals keep their brackets; a final dot is dropped (``example.com.`` is ``example.com``).

    Example:
        >>> parse_host("Example.COM:8000")
        ('example.com', 8000)
        >>> parse_host("user@example.com") is None
        True
    """
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    match = _HOST.fullmatch(text)
    if match is None or (text.startswith("[V") and not text.startswith("[v")):
        return None
    if match.group("ipv6") is not None:
        try:
            ipaddress.IPv6Address(match.group("ipv6"))
        except ValueError:
            return None
    port: int | None = None
    if match.group("port") is not None:
        port = int(match.group("port"))
        if port > 65535:
            return None
    return match.group("host").lower().rstrip("."), port


class TrustedHostMiddleware:
    """Answer ``400 Invalid host header`` unless the ``Host`` header names one of ``allowed_hosts``.

    This stops Host-header attacks (poisoned password-reset links, cache poisoning, routing to the wrong
    virtual host). Whatever ``allowed_hosts`` says, a malformed ``Host`` is refused: several ``Host`` headers,
    userinfo (``user@host``), a path, whitespace or control characters, a port that is not a number in
    1-65535 or appears twice. A request without ``Host`` (HTTP/1.0) passes only when every host is allowed.

    Patterns: ``"example.com"`` matches that host on any port; ``"*.example.com"`` matches any subdomain
    (``api.example.com``, ``a.b.example.com``) but not ``example.com`` itself nor ``badexample.com``;
    ``"*"`` matches every (well-formed) host.

    Args:
        app: The ASGI app to wrap.
        allowed_hosts: Host names and ``*.domain`` patterns, without ports.
        www_redirect: When ``www.<host>`` is allowed and ``<host>`` is not, redirect there (``307``) instead
            of refusing the request.

    Raises:
        ValueError: For a pattern that is not a host name, ``*.domain`` or ``*``.

    Example:
        >>> app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com", "*.example.com"])
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str] = ("*",), www_redirect: bool = True) -> None:
        if isinstance(allowed_hosts, str):
            raise TypeError("TrustedHostMiddleware: allowed_hosts must be a list of host names, not a string")
        self.app = app
        self.allow_any = "*" in allowed_hosts
        exact: set[str] = set()
        suffixes: list[str] = []
        for pattern in allowed_hosts:
            if pattern == "*":
                continue
            wildcard = pattern.startswith("*.")
            parsed = parse_host(pattern[2:] if wildcard else pattern)
            if parsed is None or parsed[1] is not None or "*" in pattern[2:]:
                raise ValueError(
                    f"TrustedHostMiddleware: invalid host pattern {pattern!r}: use 'example.com', "
                    "'*.example.com' or '*', without a port"
                )
            if wildcard:
                suffixes.append("." + parsed[0])
            else:
                exact.add(parsed[0])
        #: The patterns as given (Starlette's attribute); matching uses the parsed sets below.
        self.allowed_hosts = list(allowed_hosts)
        self.exact_hosts = frozenset(exact)
        self.allowed_suffixes = tuple(suffixes)
        self.www_redirect = www_redirect

    def is_allowed(self, host: str) -> bool:
        """Whether the (parsed, lower-case) host name matches one of ``allowed_hosts``."""
        if self.allow_any or host in self.exact_hosts:
            return True
        return any(host.endswith(suffix) for suffix in self.allowed_suffixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        values = header_values(scope, b"host")
        if not values:
            if self.allow_any:
                await self.app(scope, receive, send)
                return
            await self._refuse(scope, send)
            return
        parsed = parse_host(values[0]) if len(values) == 1 else None
        if parsed is None:
            await self._refuse(scope, send)
            return
        host, port = parsed
        if self.is_allowed(host):
            await self.app(scope, receive, send)
            return
        if self.www_redirect and scope_type == "http" and f"www.{host}" in self.exact_hosts:
            await self._redirect_to_www(scope, send, host, port)
            return
        await self._refuse(scope, send)

    @staticmethod
    async def _refuse(scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send_websocket_rejection(scope, send, 400, _INVALID_HOST_BODY)
            return
        await send_plain_response(send, 400, _INVALID_HOST_BODY, head=scope["method"] == "HEAD")

    @staticmethod
    async def _redirect_to_www(scope: Scope, send: Send, host: str, port: int | None) -> None:
        scheme = scope.get("scheme", "http")
        netloc = f"www.{host}" if port is None else f"www.{host}:{port}"
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("path") or "/")
        url = f"{scheme}://{netloc}{path}"
        query = scope.get("query_string")
        if query:
            url += "?" + query.decode("latin-1")
        location = url.encode("latin-1")
        await send_plain_response(send, 307, b"", [(b"location", location)], head=scope["method"] == "HEAD")
