"""``CORSMiddleware``: Cross-Origin Resource Sharing, per the Fetch standard."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import ClassVar

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import header_values, is_token, merge_vary, send_plain_response

# ALL_METHODS and SAFELISTED_HEADERS are Starlette's public names (starlette.middleware.cors under the compatibility
# layer); they join __all__ when the package's generated exports can list them.
__all__ = ("CORSMiddleware",)

ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")
"""The methods ``allow_methods=["*"]`` allows (Starlette's list)."""

SAFELISTED_HEADERS = frozenset({"Accept", "Accept-Language", "Content-Language", "Content-Type"})
"""The CORS-safelisted request headers: always allowed, whatever ``allow_headers`` says."""

_DEFAULT_PORTS = {"http": 80, "https": 443}
# An origin is scheme "://" host [":" port] and nothing else: no userinfo, path, query or fragment.
_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://"
    r"(?P<host>\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)"
    r"(?::(?P<port>[0-9]{1,5}))?",
    re.ASCII,
)
_VARY_ORIGIN = (b"Origin",)
# A preflight answer depends on the origin and on what it asks for, as Starlette's says.
_PREFLIGHT_VARY = (
    b"vary",
    b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
)
_ORIGIN_CACHE_LIMIT = 1024


def _normalize_origin(origin: str) -> str | None:
    """The origin in canonical form (lower case, no default port), or ``None`` if it is not a valid origin."""
    match = _ORIGIN.fullmatch(origin.lower())
    if match is None:
        return None
    scheme, host, port = match.group("scheme", "host", "port")
    if port is not None:
        number = int(port)
        if number > 65535:
            return None
        if _DEFAULT_PORTS.get(scheme) != number:
            return f"{scheme}://{host}:{number}"
    return f"{scheme}://{host}"


def _by_name(headers: tuple[tuple[bytes, bytes], ...]) -> dict[str, str]:
    """Raw header pairs as a dict with Starlette's spelling of the names (``Access-Control-Allow-Origin``)."""
    return {
        "-".join(part.capitalize() for part in name.decode("latin-1").split("-")): value.decode("latin-1")
        for name, value in headers
    }


class CORSMiddleware:
    """Answer CORS preflight requests and add CORS headers to the responses of allowed origins, as Starlette's
    ``CORSMiddleware`` does (same parameters, defaults and answers), with stricter origin checks.

    Origins are matched exactly (after lower-casing and dropping a default port), never by prefix or suffix:
    ``https://example.com`` does not allow ``https://example.com.evil.net``, ``http://example.com`` or
    ``https://example.com:8443``. ``allow_origin_regex`` must match the whole origin. The ``null`` origin
    (sandboxed iframes, ``file:`` pages) is never allowed by name: any page can produce it.

    A request with an ``Origin`` header gets the configured CORS headers; the allowed origin is echoed back
    (``*`` for ``allow_origins=["*"]`` without credentials), and every response carries ``Vary: Origin``.
    A preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) is answered here: ``200 OK``,
    or ``400`` naming what was refused (``origin``, ``method``, ``headers``, ``private-network``), with the
    configured preflight headers either way.

    Security choice: ``allow_origins=["*"]`` together with ``allow_credentials=True`` raises ``ValueError``
    at construction. Browsers refuse ``*`` with credentials, and echoing any origin instead (Starlette's answer)
    would let every website make authenticated requests with your users' cookies. List the trusted origins instead.

    Args:
        app: The ASGI app to wrap.
        allow_origins: Allowed origins (``"https://example.com"``), or ``["*"]`` for any. None by default.
        allow_methods: Methods allowed in cross-origin requests, or ``["*"]`` for :data:`ALL_METHODS`.
            ``GET`` only by default.
        allow_headers: Request headers allowed in cross-origin requests, or ``["*"]`` for any. The
            CORS-safelisted headers (:data:`SAFELISTED_HEADERS`) are always allowed.
        allow_credentials: Allow cookies and HTTP authentication (``Access-Control-Allow-Credentials``).
        allow_origin_regex: A regular expression that allowed origins must match in full, for example
            ``r"https://[a-z0-9-]+\\.example\\.com"``.
        allow_private_network: Answer a preflight asking for private network access
            (``Access-Control-Request-Private-Network``) with ``Access-Control-Allow-Private-Network: true``.
        expose_headers: Response headers the browser lets scripts read.
        max_age: How long (seconds) browsers may cache a preflight answer.

    Raises:
        ValueError: For ``"*"`` with ``allow_credentials=True``, an entry of ``allow_origins`` that is not an
            origin (``"null"``, a path, userinfo), an invalid method or header name, or a negative ``max_age``.

    Example:
        >>> app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    """

    # StarletteCORSMiddleware turns this on: Starlette's acceptance rules for configurations written for Starlette.
    _starlette_rules: ClassVar[bool] = False

    def __init__(
        self,
        app: ASGIApp,
        allow_origins: Collection[str] = (),
        allow_methods: Collection[str] = ("GET",),
        allow_headers: Collection[str] = (),
        allow_credentials: bool = False,
        allow_origin_regex: str | None = None,
        allow_private_network: bool = False,
        expose_headers: Collection[str] = (),
        max_age: int = 600,
    ) -> None:
        self.app = app
        self.allow_all_origins = "*" in allow_origins
        if self.allow_all_origins and allow_credentials and not self._starlette_rules:
            raise ValueError(
                "CORSMiddleware: allow_origins=['*'] cannot be combined with allow_credentials=True: that would "
                "let any website send credentialed requests. List the trusted origins instead."
            )
        origins: set[str] = set()
        literal: set[str] = set()
        for origin in allow_origins:
            if origin == "*":
                continue
            normalized = _normalize_origin(origin.rstrip("/"))
            if normalized is None:
                if self._starlette_rules:
                    literal.add(origin)  # Starlette compares any string as written
                    continue
                raise ValueError(
                    f"CORSMiddleware: {origin!r} is not an origin; write scheme://host[:port], "
                    "for example 'https://example.com' ('null' cannot be allowed: any page can send it)"
                )
            origins.add(normalized)
        self.allow_origins = frozenset(origins)
        self._literal_origins = frozenset(literal)
        # Starlette's name: answer with the request's origin rather than "*" ("*" with credentials, by its rules).
        self.preflight_explicit_allow_origin = not self.allow_all_origins or allow_credentials
        self.allow_origin_regex = re.compile(allow_origin_regex) if allow_origin_regex is not None else None
        # PERF: a site sees a handful of origins; normalising and matching each once saves microseconds per request.
        self._origin_cache: dict[str, bool] = {}

        self.allow_all_methods = "*" in allow_methods
        methods = ALL_METHODS if self.allow_all_methods else tuple(dict.fromkeys(m.upper() for m in allow_methods))
        for method in methods:
            if not is_token(method):
                raise ValueError(f"CORSMiddleware: invalid method {method!r}")
        self.allow_methods = frozenset(methods)

        self.allow_all_headers = "*" in allow_headers
        given = [header for header in allow_headers if header != "*"]
        for header in [*given, *expose_headers]:
            if not is_token(header):
                raise ValueError(f"CORSMiddleware: invalid header name {header!r}")
        listed = sorted(SAFELISTED_HEADERS | set(given))
        self.allow_headers = frozenset(header.lower() for header in listed)
        self.allow_credentials = allow_credentials
        self.allow_private_network = allow_private_network
        if max_age < 0:
            raise ValueError("CORSMiddleware: max_age must be >= 0")
        self.max_age = max_age
        self.expose_headers = tuple(expose_headers)

        # The headers every request with an Origin gets (Starlette's "simple headers"), computed once.
        simple: list[tuple[bytes, bytes]] = []
        if self.allow_all_origins and not self.preflight_explicit_allow_origin:
            simple.append((b"access-control-allow-origin", b"*"))
        if allow_credentials:
            simple.append((b"access-control-allow-credentials", b"true"))
        if self.expose_headers:
            simple.append((b"access-control-expose-headers", ", ".join(self.expose_headers).encode("latin-1")))
        self._simple_headers = tuple(simple)
        self._managed_names = frozenset({b"access-control-allow-origin", *(name for name, _ in simple)})
        preflight: list[tuple[bytes, bytes]] = [_PREFLIGHT_VARY]
        if not self.preflight_explicit_allow_origin:
            preflight.append((b"access-control-allow-origin", b"*"))
        preflight.append((b"access-control-allow-methods", ", ".join(methods).encode("latin-1")))
        preflight.append((b"access-control-max-age", str(max_age).encode("latin-1")))
        if not self.allow_all_headers:
            preflight.append((b"access-control-allow-headers", ", ".join(listed).encode("latin-1")))
        if allow_credentials:
            preflight.append((b"access-control-allow-credentials", b"true"))
        self._preflight_headers = tuple(preflight)

    @property
    def simple_headers(self) -> dict[str, str]:
        """Starlette's name: the CORS headers a response to a request from an allowed origin gets, by header name."""
        headers = {"Access-Control-Allow-Origin": "*"} if self.allow_all_origins else {}
        headers.update(_by_name(self._simple_headers))
        return headers

    @property
    def preflight_headers(self) -> dict[str, str]:
        """Starlette's name: the headers of every preflight answer, before the ones that depend on the request."""
        return _by_name(self._preflight_headers)

    def is_allowed_origin(self, origin: str) -> bool:
        """Whether the request origin ``origin`` is allowed (exact match or full regex match)."""
        if self.allow_all_origins:
            return True
        allowed = self._origin_cache.get(origin)
        if allowed is None:
            normalized = _normalize_origin(origin)
            pattern = self.allow_origin_regex
            allowed = origin in self._literal_origins or (
                normalized is not None
                and (
                    normalized in self.allow_origins
                    or (pattern is not None and pattern.fullmatch(normalized) is not None)
                )
            )
            if len(self._origin_cache) >= _ORIGIN_CACHE_LIMIT:
                self._origin_cache.clear()  # bounded: made-up origins cannot grow it
            self._origin_cache[origin] = allowed
        return allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origins = header_values(scope, b"origin")
        # Several Origin headers are not something a browser sends: treat the request as coming from nowhere.
        origin = origins[0].decode("latin-1") if len(origins) == 1 else None
        if (
            origin is not None
            and scope["method"] == "OPTIONS"
            and header_values(scope, b"access-control-request-method")
        ):
            await self._preflight(scope, send, origin)
            return
        extra: tuple[tuple[bytes, bytes], ...] = ()
        if origin is not None:
            if self.allow_all_origins and not self.preflight_explicit_allow_origin:
                extra = self._simple_headers
            elif self.is_allowed_origin(origin):
                extra = ((b"access-control-allow-origin", origins[0]), *self._simple_headers)
            # Security choice: an origin that is not allowed gets no CORS header at all (Starlette still sends it
            # Access-Control-Allow-Credentials and -Expose-Headers, which browsers ignore without an allowed origin).
        managed_names = self._managed_names

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A fresh list: the app may reuse its header list for every response.
                headers = list(message.get("headers", ()))
                if extra:
                    # Ours replace any the app set itself, so the answer is always the configured one.
                    headers = [item for item in headers if item[0].lower() not in managed_names]
                    headers.extend(extra)
                # Another origin may get another answer.
                merge_vary(headers, _VARY_ORIGIN)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, send: Send, origin: str) -> None:
        method = header_values(scope, b"access-control-request-method")[0].decode("latin-1").strip()
        raw_requested = header_values(scope, b"access-control-request-headers")
        requested_values = [value.decode("latin-1").strip() for value in raw_requested]
        requested = [part.strip().lower() for value in requested_values for part in value.split(",") if part.strip()]
        headers = list(self._preflight_headers)
        failures: list[str] = []
        if self.is_allowed_origin(origin):
            if self.preflight_explicit_allow_origin:
                headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
        else:
            failures.append("origin")
        if method not in self.allow_methods:
            failures.append("method")
        if self.allow_all_headers:
            if any(not is_token(name) for name in requested):
                failures.append("headers")
            elif raw_requested:
                # Echoed as the browser wrote them (Starlette's answer), every name checked above.
                echoed = ", ".join(value for value in requested_values if value)
                headers.append((b"access-control-allow-headers", echoed.encode("latin-1")))
        elif any(name not in self.allow_headers for name in requested):
            failures.append("headers")
        if header_values(scope, b"access-control-request-private-network"):
            if self.allow_private_network:
                headers.append((b"access-control-allow-private-network", b"true"))
            else:
                failures.append("private-network")
        if failures:
            body = ("Disallowed CORS " + ", ".join(failures)).encode("latin-1")
            await send_plain_response(send, 400, body, headers)
            return
        await send_plain_response(send, 200, b"OK", headers)
