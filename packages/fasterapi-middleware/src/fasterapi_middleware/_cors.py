"""``CORSMiddleware``: Cross-Origin Resource Sharing, per the Fetch standard."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import header_values, is_token, merge_vary, send_plain_response

__all__ = ("CORSMiddleware",)

_ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
# CORS-safelisted request headers: always allowed, whatever allow_headers says.
_SAFELISTED_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# An origin is scheme "://" host [":" port] and nothing else: no userinfo, path, query or fragment.
_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://"
    r"(?P<host>\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)"
    r"(?::(?P<port>[0-9]{1,5}))?",
    re.ASCII,
)
_VARY_ORIGIN = (b"Origin",)
# A preflight answer depends on the method and headers asked for: they are echoed with "*", and decide 200 or 400.
_PREFLIGHT_VARY = (b"vary", b"Access-Control-Request-Method, Access-Control-Request-Headers")
_PREFLIGHT_VARY_WITH_ORIGIN = (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
_ORIGIN_CACHE_LIMIT = 1024


class _DefaultOrigins(tuple[str, ...]):
    """The default of ``allow_origins``, ``("*",)``, told apart from an explicit ``["*"]``.

    The wildcard default is for a middleware given no origins at all; when only ``allow_origin_regex`` is given, the
    regex alone decides (as in Starlette), never ``*`` for every origin.
    """

    __slots__ = ()


_ANY_ORIGIN_BY_DEFAULT = _DefaultOrigins(("*",))


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


class CORSMiddleware:
    """Answer CORS preflight requests and add CORS headers to the responses of allowed origins.

    Origins are matched exactly (after lower-casing and dropping a default port), never by prefix or suffix:
    ``https://example.com`` does not allow ``https://example.com.evil.net``, ``http://example.com`` or
    ``https://example.com:8443``. ``allow_origin_regex`` must match the whole origin. The ``null`` origin
    (sandboxed iframes, ``file:`` pages) is never allowed by name: any page can produce it.

    With ``allow_origins=["*"]`` and no credentials every response gets ``Access-Control-Allow-Origin: *``
    (the same answer for every origin, so shared caches need no ``Vary``). Otherwise the allowed origin is
    echoed back and every response carries ``Vary: Origin``. Preflight answers also vary on
    ``Access-Control-Request-Method`` and ``Access-Control-Request-Headers``.

    Security choice: ``allow_origins=["*"]`` together with ``allow_credentials=True`` raises ``ValueError``
    at construction. Browsers refuse ``*`` with credentials, and echoing any origin instead would let every
    website make authenticated requests with your users' cookies. List the origins you trust instead.

    Args:
        app: The ASGI app to wrap.
        allow_origins: Allowed origins (``"https://example.com"``), or ``["*"]`` for any origin. Left out, it
            is ``("*",)`` unless ``allow_origin_regex`` is given: then only the origins the regex matches.
        allow_methods: Methods allowed in cross-origin requests, or ``["*"]`` for any.
        allow_headers: Request headers allowed in cross-origin requests, or ``["*"]`` for any. The
            CORS-safelisted headers (``Accept``, ``Accept-Language``, ``Content-Language``,
            ``Content-Type``) are always allowed.
        allow_credentials: Allow cookies and HTTP authentication (``Access-Control-Allow-Credentials``).
        max_age: How long (seconds) browsers may cache a preflight answer.
        expose_headers: Response headers the browser lets scripts read.
        allow_origin_regex: A regular expression that allowed origins must match in full, for example
            ``r"https://[a-z0-9-]+\\.example\\.com"``.

    Raises:
        ValueError: For ``"*"`` with ``allow_credentials=True``, an entry of ``allow_origins`` that is not an
            origin (``"null"``, a path, userinfo), an invalid method or header name, or a negative ``max_age``.

    Example:
        >>> app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_origins: Sequence[str] = _ANY_ORIGIN_BY_DEFAULT,
        allow_methods: Sequence[str] = ("*",),
        allow_headers: Sequence[str] = ("*",),
        allow_credentials: bool = False,
        max_age: int = 600,
        expose_headers: Sequence[str] = (),
        allow_origin_regex: str | None = None,
    ) -> None:
        self.app = app
        if isinstance(allow_origins, _DefaultOrigins) and allow_origin_regex is not None:
            allow_origins = ()
        self.allow_all_origins = "*" in allow_origins
        if self.allow_all_origins and allow_credentials:
            raise ValueError(
                "CORSMiddleware: allow_origins=['*'] cannot be combined with allow_credentials=True: that would "
                "let any website send credentialed requests. List the trusted origins instead."
            )
        origins: set[str] = set()
        for origin in allow_origins:
            if origin == "*":
                continue
            normalized = _normalize_origin(origin.rstrip("/"))
            if normalized is None:
                raise ValueError(
                    f"CORSMiddleware: {origin!r} is not an origin; write scheme://host[:port], "
                    "for example 'https://example.com' ('null' cannot be allowed: any page can send it)"
                )
            origins.add(normalized)
        self.allow_origins = frozenset(origins)
        self.allow_origin_regex = re.compile(allow_origin_regex) if allow_origin_regex is not None else None
        # PERF: a site sees a handful of origins; normalising and matching each once saves microseconds per request.
        self._origin_cache: dict[str, bool] = {}

        self.allow_all_methods = "*" in allow_methods
        methods = _ALL_METHODS if self.allow_all_methods else tuple(dict.fromkeys(m.upper() for m in allow_methods))
        for method in methods:
            if not is_token(method):
                raise ValueError(f"CORSMiddleware: invalid method {method!r}")
        self.allow_methods = frozenset(methods)

        self.allow_all_headers = "*" in allow_headers
        headers = [h.lower() for h in allow_headers if h != "*"]
        for header in [*headers, *expose_headers]:
            if not is_token(header):
                raise ValueError(f"CORSMiddleware: invalid header name {header!r}")
        self.allow_headers = frozenset(headers) | _SAFELISTED_HEADERS
        self.allow_credentials = allow_credentials
        if max_age < 0:
            raise ValueError("CORSMiddleware: max_age must be >= 0")
        self.max_age = max_age
        self.expose_headers = tuple(expose_headers)

        # Same answer for every origin: the headers are computed once.
        self._origin_independent = self.allow_all_origins
        simple: list[tuple[bytes, bytes]] = []
        if allow_credentials:
            simple.append((b"access-control-allow-credentials", b"true"))
        if self.expose_headers:
            simple.append((b"access-control-expose-headers", ", ".join(self.expose_headers).encode("latin-1")))
        self._simple_headers = tuple(simple)
        self._wildcard_headers = ((b"access-control-allow-origin", b"*"), *simple)
        self._managed_names = frozenset(name for name, _ in self._wildcard_headers)
        preflight: list[tuple[bytes, bytes]] = []
        if not self.allow_all_methods:
            preflight.append((b"access-control-allow-methods", ", ".join(methods).encode("latin-1")))
        if not self.allow_all_headers:
            listed = sorted(self.allow_headers)
            preflight.append((b"access-control-allow-headers", ", ".join(listed).encode("latin-1")))
        if allow_credentials:
            preflight.append((b"access-control-allow-credentials", b"true"))
        preflight.append((b"access-control-max-age", str(max_age).encode("latin-1")))
        self._preflight_headers = tuple(preflight)

    def is_allowed_origin(self, origin: str) -> bool:
        """Whether the request origin ``origin`` is allowed (exact match or full regex match)."""
        if self.allow_all_origins:
            return True
        allowed = self._origin_cache.get(origin)
        if allowed is None:
            normalized = _normalize_origin(origin)
            pattern = self.allow_origin_regex
            allowed = normalized is not None and (
                normalized in self.allow_origins or (pattern is not None and pattern.fullmatch(normalized) is not None)
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
        if self._origin_independent:
            extra = self._wildcard_headers
            vary: tuple[bytes, ...] = ()
        elif origin is not None and self.is_allowed_origin(origin):
            extra = ((b"access-control-allow-origin", origins[0]), *self._simple_headers)
            vary = _VARY_ORIGIN
        else:
            extra = ()
            vary = _VARY_ORIGIN  # another origin would get another answer
        managed_names = self._managed_names

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A fresh list: the app may reuse its header list for every response.
                headers = list(message.get("headers", ()))
                if extra:
                    # Ours replace any the app set itself, so the answer is always the configured one.
                    names = managed_names
                    headers = [item for item in headers if item[0].lower() not in names]
                    headers.extend(extra)
                if vary:
                    merge_vary(headers, vary)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, send: Send, origin: str) -> None:
        method = header_values(scope, b"access-control-request-method")[0].decode("latin-1").strip()
        raw_requested = header_values(scope, b"access-control-request-headers")
        requested_values = [value.decode("latin-1").strip() for value in raw_requested]
        requested = [part.strip().lower() for value in requested_values for part in value.split(",") if part.strip()]
        failures: list[str] = []
        if not self.is_allowed_origin(origin):
            failures.append("origin")
        if not is_token(method) or (not self.allow_all_methods and method.upper() not in self.allow_methods):
            failures.append("method")
        if any(not is_token(name) for name in requested) or (
            not self.allow_all_headers and any(name not in self.allow_headers for name in requested)
        ):
            failures.append("headers")
        vary = [_PREFLIGHT_VARY if self._origin_independent else _PREFLIGHT_VARY_WITH_ORIGIN]
        if failures:
            body = ("Disallowed CORS " + ", ".join(failures)).encode("latin-1")
            await send_plain_response(send, 400, body, vary)
            return
        headers: list[tuple[bytes, bytes]] = [
            (b"access-control-allow-origin", b"*" if self._origin_independent else origin.encode("latin-1")),
            *self._preflight_headers,
            *vary,
        ]
        if self.allow_all_methods:
            # Echo the method: with credentials a literal "*" would not be understood as a wildcard.
            headers.append((b"access-control-allow-methods", method.encode("latin-1")))
        if self.allow_all_headers and requested:
            # Echoed as the browser wrote them (Starlette's answer), every name checked above.
            echoed = ", ".join(value for value in requested_values if value)
            headers.append((b"access-control-allow-headers", echoed.encode("latin-1")))
        await send_plain_response(send, 200, b"OK", headers)
