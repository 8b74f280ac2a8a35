"""``HTTPSRedirectMiddleware``: send plain-HTTP (and ``ws:``) requests to the same URL over TLS."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from fasterapi_core.types import ASGIApp, Receive, Scope, Send

from ._asgi import header_values, send_plain_response, send_websocket_rejection
from ._trusted_host import parse_host

__all__ = ("HTTPSRedirectMiddleware",)

_SECURE_SCHEMES = {"http": "https", "ws": "wss"}
_SAFE_METHODS = frozenset({"GET", "HEAD"})
_BAD_HOST_BODY = b"Invalid host header"


class HTTPSRedirectMiddleware:
    """Redirect ``http://`` requests to ``https://`` and ``ws://`` handshakes to ``wss://``.

    The redirect is Starlette's ``307 Temporary Redirect``: the client repeats the same method with the same body
    (a ``POST`` stays a ``POST``). With ``permanent=True``, ``GET`` and ``HEAD`` get ``301 Moved Permanently`` and
    every other method ``308 Permanent Redirect``, which browsers remember.

    The redirect never leaves the site: the target is built from the parsed ``Host`` header (host name and port
    only), so a header such as ``evil.com/x``, ``user@evil.com`` or ``a.com\\@evil.com`` cannot smuggle another
    authority into ``Location``: a malformed, missing or repeated ``Host`` gets ``400`` instead of a redirect.
    With ``allowed_hosts`` set, a host outside the list is refused as well, so the redirect can only point at
    one of your own names, even behind a proxy that forwards any ``Host``.

    Behind a TLS-terminating proxy the app sees ``http``: let the server (uvicorn ``--proxy-headers``) or
    :class:`ProxyHeadersMiddleware` set the scheme from ``X-Forwarded-Proto``, or every request redirects.

    Args:
        app: The ASGI app to wrap.
        https_port: The port of the HTTPS site. ``None`` (default) keeps the request's port, dropping 80 and 443.
        allowed_hosts: Host names the redirect may point to (exact, lower case, no port); ``None`` allows the
            request's own host.
        permanent: Answer with the permanent redirects (301/308) instead of Starlette's 307.

    Example:
        >>> app.add_middleware(HTTPSRedirectMiddleware)
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        https_port: int | None = None,
        allowed_hosts: Sequence[str] | None = None,
        permanent: bool = False,
    ) -> None:
        if https_port is not None and not 0 < https_port <= 65535:
            raise ValueError("HTTPSRedirectMiddleware: https_port must be between 1 and 65535")
        self.app = app
        self.https_port = https_port
        self.permanent = permanent
        self.allowed_hosts: frozenset[str] | None = None
        if allowed_hosts is not None:
            hosts: set[str] = set()
            for host in allowed_hosts:
                parsed = parse_host(host)
                if parsed is None or parsed[1] is not None:
                    raise ValueError(f"HTTPSRedirectMiddleware: invalid host {host!r} (a host name, without port)")
                hosts.add(parsed[0])
            self.allowed_hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scheme = scope.get("scheme") or ("http" if scope_type == "http" else "ws")
        secure_scheme = _SECURE_SCHEMES.get(scheme)
        if secure_scheme is None:  # already https / wss
            await self.app(scope, receive, send)
            return
        location = self._location(scope, secure_scheme)
        if scope_type == "websocket":
            await self._redirect_websocket(scope, send, location)
            return
        head = scope["method"] == "HEAD"
        if location is None:
            await send_plain_response(send, 400, _BAD_HOST_BODY, head=head)
            return
        status = (301 if scope["method"] in _SAFE_METHODS else 308) if self.permanent else 307
        await send_plain_response(send, status, b"", [(b"location", location)], head=head)

    def _location(self, scope: Scope, scheme: str) -> bytes | None:
        values = header_values(scope, b"host")
        if len(values) != 1:
            return None
        parsed = parse_host(values[0])
        if parsed is None:
            return None
        host, port = parsed
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return None
        if self.https_port is not None:
            port = self.https_port
        netloc = host if port in (None, 80, 443) else f"{host}:{port}"
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("path") or "/")
        if not path.startswith("/"):
            path = "/" + path
        url = f"{scheme}://{netloc}{path}"
        query = scope.get("query_string")
        if query:
            url += "?" + query.decode("latin-1")
        return url.encode("latin-1")

    async def _redirect_websocket(self, scope: Scope, send: Send, location: bytes | None) -> None:
        if location is None or "websocket.http.response" not in (scope.get("extensions") or {}):
            # Without the denial-response extension a handshake can only be refused, not redirected.
            await send_websocket_rejection(scope, send, 400, _BAD_HOST_BODY)
            return
        headers = [(b"location", location), (b"content-length", b"0")]
        status = 301 if self.permanent else 307
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": b""})
