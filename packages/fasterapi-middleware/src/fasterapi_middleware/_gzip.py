"""``GZipMiddleware``: gzip responses for clients that accept it, streaming bodies chunk by chunk."""

from __future__ import annotations

import re
import zlib

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import header_values, merge_vary

# DEFAULT_EXCLUDED_CONTENT_TYPES is read by starlette.middleware.gzip under the compatibility layer; it joins
# __all__ when the package's generated exports can list it.
__all__ = ("GZipMiddleware",)

DEFAULT_EXCLUDED_CONTENT_TYPES = (
    "application/grpc",
    "application/gzip",
    "application/x-gzip",
    "application/zip",
    "audio/*",
    "font/woff",
    "font/woff2",
    "image/avif",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/event-stream",
    "video/*",
)
"""Media types ``GZipMiddleware`` sends as they are by default (Starlette's list): already compressed formats,
and server-sent events. ``"type/*"`` excludes every subtype."""

_QVALUE = re.compile(rb"\s*q\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\s*", re.IGNORECASE)
_GZIP_CODINGS = (b"gzip", b"x-gzip")
_NOT_COMPRESSED_STATUSES = frozenset({204, 206, 304})
_VARY_ACCEPT_ENCODING = (b"Accept-Encoding",)
_WBITS_GZIP = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream
_ACCEPT_CACHE_LIMIT = 256

_accept_cache: dict[bytes, bool] = {}


def _parse_accepts_gzip(value: bytes) -> bool:
    gzip_q: float | None = None
    any_q: float | None = None
    for part in value.split(b","):
        coding, _, parameters = part.partition(b";")
        coding = coding.strip().lower()
        quality = 1.0
        if parameters:
            match = _QVALUE.fullmatch(parameters)
            if match is None:
                continue  # a malformed entry is ignored, as RFC 9110 asks
            quality = float(match.group(1))
        if coding in _GZIP_CODINGS:
            gzip_q = quality if gzip_q is None else max(gzip_q, quality)
        elif coding == b"*":
            any_q = quality
    if gzip_q is not None:
        return gzip_q > 0
    return any_q is not None and any_q > 0


def accepts_gzip(values: list[bytes]) -> bool:
    """Whether the ``Accept-Encoding`` values allow gzip (``gzip;q=0`` and ``*;q=0`` forbid it)."""
    if not values:
        return False
    value = values[0] if len(values) == 1 else b",".join(values)
    # PERF: clients send a handful of distinct Accept-Encoding values; parse each once.
    cached = _accept_cache.get(value)
    if cached is None:
        cached = _parse_accepts_gzip(value)
        if len(_accept_cache) < _ACCEPT_CACHE_LIMIT:
            _accept_cache[value] = cached
    return cached


def normalized_exclusions(exclude_content_types: tuple[str, ...]) -> frozenset[str]:
    """The excluded media types as compared: lower case, without parameters."""
    return frozenset(content_type.partition(";")[0].strip().lower() for content_type in exclude_content_types)


def _excluded_media_type(value: bytes, excluded: frozenset[str]) -> bool:
    media_type = value.decode("latin-1").partition(";")[0].strip().lower()
    if media_type in excluded or media_type.partition("/")[0] + "/*" in excluded:
        return True
    return media_type.startswith("application/grpc+") and "application/grpc" in excluded


def _compressible(message: Message, head: bool, excluded: frozenset[str]) -> bool:
    """Whether a response with this start message may be compressed at all (for any client)."""
    status = message["status"]
    if head or status < 200 or status in _NOT_COMPRESSED_STATUSES:
        return False
    for name, value in message.get("headers", ()):
        lowered = name.lower()
        if lowered in {b"content-encoding", b"content-range"}:
            return False
        if lowered == b"content-type" and _excluded_media_type(value, excluded):
            # Already compressed, or server-sent events (excluded by default, as in Starlette: an app that clears
            # the list gets them compressed, each chunk flushed as it is sent).
            return False
        if lowered == b"cache-control" and b"no-transform" in value.lower():
            return False
    return True


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _gzip_headers(headers: list[tuple[bytes, bytes]], length: int | None) -> list[tuple[bytes, bytes]]:
    result: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-length":
            continue
        if lowered == b"etag" and not value.startswith(b"W/"):
            # Another representation of the same resource: a strong validator would now be wrong.
            value = b"W/" + value
        result.append((name, value))
    result.append((b"content-encoding", b"gzip"))
    if length is not None:
        result.append((b"content-length", b"%d" % length))
    merge_vary(result, _VARY_ACCEPT_ENCODING)
    return result


class _GZipResponder:
    """Per-response ``send``: holds the start message until the first body chunk decides how to send it."""

    __slots__ = ("compresslevel", "compressor", "excluded", "head", "minimum_size", "send", "start")

    def __init__(self, send: Send, minimum_size: int, compresslevel: int, head: bool, excluded: frozenset[str]) -> None:
        self.send = send
        self.excluded = excluded
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel
        self.head = head
        self.start: Message | None = None
        self.compressor: zlib._Compress | None = None

    async def __call__(self, message: Message) -> None:
        compressor = self.compressor
        if compressor is not None:
            if message["type"] != "http.response.body":
                await self.send(message)
                return
            more_body = message.get("more_body", False)
            body = compressor.compress(message.get("body", b""))
            # Flush every chunk so a streamed response reaches the client as it is produced.
            body += compressor.flush(zlib.Z_SYNC_FLUSH if more_body else zlib.Z_FINISH)
            await self.send({"type": "http.response.body", "body": body, "more_body": more_body})
            return
        start = self.start
        if start is None:
            if message["type"] == "http.response.start" and _compressible(message, self.head, self.excluded):
                length = _declared_length(message.get("headers", ()))
                if length is None or length >= self.minimum_size:
                    self.start = message
                    return
            await self.send(message)
            return
        self.start = None
        if message["type"] != "http.response.body":
            await self.send(start)
            await self.send(message)
            return
        body = message.get("body", b"")
        more_body = message.get("more_body", False)
        headers = list(start.get("headers", ()))
        if not more_body:
            if len(body) < self.minimum_size:
                await self.send(start)
                await self.send(message)
                return
            compressor = zlib.compressobj(self.compresslevel, zlib.DEFLATED, _WBITS_GZIP)
            compressed = compressor.compress(body) + compressor.flush()
            # Trailers follow the body: the length is left out, as Starlette does.
            length = None if start.get("trailers", False) else len(compressed)
            await self.send({**start, "headers": _gzip_headers(headers, length)})
            await self.send({"type": "http.response.body", "body": compressed})
            return
        compressor = self.compressor = zlib.compressobj(self.compresslevel, zlib.DEFLATED, _WBITS_GZIP)
        await self.send({**start, "headers": _gzip_headers(headers, None)})
        chunk = compressor.compress(body) + compressor.flush(zlib.Z_SYNC_FLUSH)
        await self.send({"type": "http.response.body", "body": chunk, "more_body": True})


class GZipMiddleware:
    """Compress responses with gzip when the client accepts it.

    A response is compressed when the client's ``Accept-Encoding`` allows gzip (``gzip;q=0`` forbids it,
    ``*`` allows it), it is at least ``minimum_size`` bytes, and it is not already encoded
    (``Content-Encoding``), a partial response (``206`` / ``Content-Range``), marked
    ``Cache-Control: no-transform``, or of an excluded media type (``exclude_content_types``: by default images,
    archives, ... and ``text/event-stream``, whose events must reach the client when sent). Streaming responses
    are compressed chunk by chunk and each chunk is flushed, so nothing is buffered: a response whose first chunk
    says more is coming is compressed even if that chunk is small (its final size is unknown), unless it declares
    a ``Content-Length`` below ``minimum_size``.

    Compressed responses get ``Content-Encoding: gzip``, a new (or no) ``Content-Length``, a weak ``ETag``
    and ``Vary: Accept-Encoding``. Responses that would have been compressed for another client get
    ``Vary: Accept-Encoding`` too, so shared caches keep the two versions apart.

    Args:
        app: The ASGI app to wrap.
        minimum_size: Responses smaller than this many bytes are sent as they are.
        compresslevel: zlib level, 1 (fastest) to 9 (smallest).
        thread_minimum_size: Starlette's threshold for compressing a body in a worker thread; accepted for its
            signature. Bodies are compressed chunk by chunk here, on the event loop.
        exclude_content_types: Media types sent as they are (``"type/*"`` for every subtype); by default
            :data:`DEFAULT_EXCLUDED_CONTENT_TYPES`, formats that are compressed already.

    Example:
        >>> app.add_middleware(GZipMiddleware, minimum_size=1000)
    """

    def __init__(
        self,
        app: ASGIApp,
        minimum_size: int = 500,
        compresslevel: int = 9,
        thread_minimum_size: int = 128 * 1024,
        *,
        exclude_content_types: tuple[str, ...] = DEFAULT_EXCLUDED_CONTENT_TYPES,
    ) -> None:
        if not 1 <= compresslevel <= 9:
            raise ValueError("GZipMiddleware: compresslevel must be between 1 and 9")
        if minimum_size < 0:
            raise ValueError("GZipMiddleware: minimum_size must be >= 0")
        self.app = app
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel
        self.thread_minimum_size = thread_minimum_size
        self.exclude_content_types = normalized_exclusions(exclude_content_types)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope.get("method") == "HEAD"
        minimum_size = self.minimum_size
        excluded = self.exclude_content_types
        if not accepts_gzip(header_values(scope, b"accept-encoding")):

            async def send_identity(message: Message) -> None:
                if message["type"] == "http.response.start" and _compressible(message, head, excluded):
                    headers = list(message.get("headers", ()))
                    length = _declared_length(headers)
                    if length is None or length >= minimum_size:
                        merge_vary(headers, _VARY_ACCEPT_ENCODING)
                        message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, send_identity)
            return

        await self.app(scope, receive, _GZipResponder(send, minimum_size, self.compresslevel, head, excluded))
