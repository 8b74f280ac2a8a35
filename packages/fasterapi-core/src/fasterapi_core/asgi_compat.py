"""Small helpers that read facts out of an ASGI scope without building a Request."""

from __future__ import annotations

import re

from fasterapi_core.types import Scope

__all__ = ("get_header", "get_server_host", "http_version", "is_http2", "split_host_port")

# host = IP-literal / IPv4address / reg-name (RFC 3986 §3.2.2); port = *DIGIT.
_HOST_PORT = re.compile(
    r"(?P<host>\[[0-9A-Za-z:.%_~\-!$&'()*+,;=]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::(?P<port>[0-9]*))?",
)
# IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ), written lowercase-"v" only (as Starlette does).
_IP_FUTURE = re.compile(r"v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")


def _is_ip_literal(inner: str) -> bool:
    if _IP_FUTURE.fullmatch(inner):
        return True
    address, _, zone = inner.partition("%")
    if "%" in inner and not re.fullmatch(r"[A-Za-z0-9._~\-]+", zone):
        return False
    import ipaddress  # PERF: only for a bracketed host, not with the app

    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    return True


def split_host_port(value: str) -> tuple[str, int | None] | None:
    """Split a ``Host`` / ``:authority`` value into ``(host, port)``.

    IPv6 literals keep their brackets (``"[::1]:8000"`` gives ``("[::1]", 8000)``). A missing or
    empty port gives ``None``.

    Args:
        value: The header value.

    Returns:
        The host and port, or ``None`` when the value is not a valid authority (for example it
        contains ``/``, ``@`` or whitespace, or the port is out of range).
    """
    match = _HOST_PORT.fullmatch(value)
    if match is None:
        return None
    host = match.group("host")
    if host.startswith("[") and not _is_ip_literal(host[1:-1]):
        return None
    port_text = match.group("port")
    port: int | None = None
    if port_text:
        port = int(port_text)
        if port > 65535:
            return None
    return host, port


def get_header(scope: Scope, name: str) -> str | None:
    """Return the first value of the header ``name`` (case-insensitive), or ``None``.

    Args:
        scope: An ASGI ``http`` or ``websocket`` scope.
        name: The header name, in any case.

    Example:
        >>> get_header({"headers": [(b"x-token", b"abc")]}, "X-Token")
        'abc'
    """
    wanted = name.lower().encode("latin-1", "replace")
    for key, value in scope.get("headers") or ():
        if key.lower() == wanted:
            return bytes(value).decode("latin-1")
    return None


def get_server_host(scope: Scope) -> str | None:
    """Return the host name a request was addressed to, for virtual hosting.

    The ``Host`` header (or HTTP/2's ``:authority``) wins, then ``scope["server"]``. The port is
    dropped, the name is lowercased and IPv6 literals lose their brackets (``"[::1]:8000"`` gives
    ``"::1"``). A malformed ``Host`` header gives ``None`` rather than a guess, so host checks fail
    closed.

    Args:
        scope: An ASGI ``http`` or ``websocket`` scope.
    """
    for key, value in scope.get("headers") or ():
        if key.lower() in (b"host", b":authority"):
            text = bytes(value).decode("latin-1").strip()
            if not text:
                break
            parsed = split_host_port(text)
            if parsed is None or not parsed[0]:
                return None
            host = parsed[0]
            if host.startswith("["):
                host = host[1:-1]
            return host.lower()
    server = scope.get("server")
    if isinstance(server, tuple | list) and len(server) >= 1 and server[0] is not None:
        return str(server[0]).lower()
    return None


def http_version(scope: Scope) -> str:
    """Return the HTTP version the server reports (``"1.0"``, ``"1.1"``, ``"2"``, ...), default ``"1.1"``."""
    version = scope.get("http_version")
    if isinstance(version, str) and version:
        return version
    return "1.1"


def is_http2(scope: Scope) -> bool:
    """Return whether the server reports HTTP/2 for this connection."""
    return http_version(scope).startswith("2")
