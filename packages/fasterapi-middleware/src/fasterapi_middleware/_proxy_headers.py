"""``ProxyHeadersMiddleware``: take the client address and scheme from trusted proxies' headers."""

from __future__ import annotations

from collections.abc import Sequence

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

from ._asgi import header_values
from ._forwarded import TrustedProxies

__all__ = ("ProxyHeadersMiddleware",)

_SCHEMES = {
    "http": {b"http": "http", b"https": "https", b"ws": "http", b"wss": "https"},
    "websocket": {b"http": "ws", b"https": "wss", b"ws": "ws", b"wss": "wss"},
}


class ProxyHeadersMiddleware:
    """Set ``scope["client"]`` and ``scope["scheme"]`` from ``X-Forwarded-For`` / ``X-Forwarded-Proto``.

    The headers are read only when the connection comes from one of ``trusted_hosts``; otherwise anyone could
    claim any address or pretend the request came over HTTPS. The client is the rightmost address of the
    ``X-Forwarded-For`` chain that is not a trusted proxy (addresses further left are the client's own
    claims). ``X-Forwarded-Host`` is deliberately ignored: use :class:`TrustedHostMiddleware` and your proxy's
    ``Host`` forwarding instead.

    Uvicorn applies the same rule itself (``--proxy-headers --forwarded-allow-ips``); use this middleware
    under servers that do not, or to have the same behaviour under every server and in tests. Add it
    outermost (last), so that the middleware inside it see the real client and scheme.

    Args:
        app: The ASGI app to wrap.
        trusted_hosts: Addresses and CIDR networks of your proxies. Defaults to the loopback addresses
            (a proxy on the same machine).

    Example:
        >>> app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=["10.0.0.0/8"])
    """

    def __init__(self, app: ASGIApp, *, trusted_hosts: Sequence[str] = ("127.0.0.1", "::1")) -> None:
        if isinstance(trusted_hosts, str):
            trusted_hosts = [part for part in trusted_hosts.split(",") if part.strip()]
        self.app = app
        self.trusted_proxies = TrustedProxies(trusted_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type in _SCHEMES:
            client = scope.get("client")
            peer = client[0] if client else None
            if self.trusted_proxies.is_trusted(peer):
                forwarded_for = header_values(scope, b"x-forwarded-for")
                if forwarded_for:
                    address = self.trusted_proxies.client_from_forwarded_for(peer, forwarded_for)
                    if address is not None:
                        # The real client port is unknown; 0 says so rather than keeping the proxy's port.
                        scope["client"] = (address, 0)
                proto = header_values(scope, b"x-forwarded-proto")
                if proto:
                    # The last value is the one our own (nearest) proxy wrote.
                    scheme = _SCHEMES[scope_type].get(proto[-1].split(b",")[-1].strip().lower())
                    if scheme is not None:
                        scope["scheme"] = scheme
        await self.app(scope, receive, send)
