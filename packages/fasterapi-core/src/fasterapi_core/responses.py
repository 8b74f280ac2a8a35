"""Response classes: each one is an ASGI application that sends itself.

Constructors follow Starlette/FastAPI, so code written for FastAPI moves over unchanged:
``Response(content, status_code, headers, media_type, background)``.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
import warnings
from collections.abc import AsyncIterable, Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

import msgspec

from fasterapi_core._cookies import SameSite, build_set_cookie
from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.datastructures import Headers, MutableHeaders
from fasterapi_core.encoders import _builtins_enc_hook, encode_json
from fasterapi_core.exceptions import FastAPIDeprecationWarning
from fasterapi_core.types import Receive, Scope, Send

from ._http_files import (
    _NOT_MODIFIED_HEADERS,
    _content_disposition,
    _etag_matches,
    _FileTransfer,
    _http_date,
    _http_date_timestamp,
    _parse_range,
    _UnsatisfiableRange,
)

if TYPE_CHECKING:
    import anyio

__all__ = (
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "UJSONResponse",
)

Background = BackgroundTask | BackgroundTasks
Content = str | bytes | bytearray | memoryview
ContentStream = AsyncIterable[Content] | Iterable[Content]

_NO_BODY_STATUSES: Final = frozenset({204, 304})
_CONTENT_LENGTH: Final = b"content-length"
_CONTENT_TYPE: Final = b"content-type"
# SSE is UTF-8 by definition; its media type carries no charset parameter.
_NO_CHARSET_MEDIA_TYPES: Final = frozenset({"text/event-stream"})
_CONTENT_TYPE_CACHE_LIMIT: Final = 256
_content_type_cache: dict[tuple[str, str], bytes] = {}
# A stuck cleanup in a closed body iterator must not hold the request task forever.
_CLOSE_TIMEOUT: Final = 5.0
_EPOCH_HTTP_DATE: Final = "Thu, 01 Jan 1970 00:00:00 GMT"


def _encoded_content_type(media_type: str, charset: str) -> bytes:
    """The ``content-type`` header value for ``media_type``, with ``charset`` added for text types."""
    # PERF: one dict lookup per response instead of string formatting and encoding.
    key = (media_type, charset)
    cached = _content_type_cache.get(key)
    if cached is not None:
        return cached
    value = media_type
    if (
        charset
        and media_type.startswith("text/")
        and media_type not in _NO_CHARSET_MEDIA_TYPES
        and "charset=" not in media_type.lower()
    ):
        value = f"{media_type}; charset={charset}"
    encoded = Headers({"content-type": value}).raw[0][1]  # validates: no CR/LF/NUL, latin-1 only
    if len(_content_type_cache) < _CONTENT_TYPE_CACHE_LIMIT:
        _content_type_cache[key] = encoded
    return encoded


async def _close_iterator(iterator: object) -> None:
    aclose: Callable[[], Awaitable[object]] | None = getattr(iterator, "aclose", None)
    if aclose is not None:
        import anyio

        with anyio.move_on_after(_CLOSE_TIMEOUT, shield=True):
            await aclose()


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            scope.cancel()
            return


async def _run_beside(
    main: Callable[[], Awaitable[None]], companion: Callable[[anyio.CancelScope], Coroutine[Any, Any, None]]
) -> None:
    """Run ``main`` while ``companion`` runs in a sibling task that may cancel both.

    ``companion`` is stopped when ``main`` returns. An exception from ``main`` is re-raised as
    itself, not wrapped in an ExceptionGroup, so exception handlers see the real error.
    """
    # PERF: anyio loads with the first streamed or file response; plain responses never need it.
    import anyio

    error: Exception | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(companion, group.cancel_scope)
        try:
            await main()
        except Exception as exc:
            error = exc
        group.cancel_scope.cancel()
    if error is not None:
        raise error


class Response:
    """An HTTP response with a body known up front.

    Subclasses set the class attributes ``media_type`` and ``charset`` and override
    :meth:`render`. ``raw_headers`` always holds the exact header list that will be sent,
    including ``content-length`` and ``content-type`` (with ``charset`` for ``text/*``).

    Args:
        content: ``bytes`` (sent as-is), ``str`` (encoded with ``charset``) or ``None`` (empty).
        status_code: The HTTP status.
        headers: Extra headers; values with CR, LF or NUL raise ``ValueError``.
        media_type: Overrides the class's ``media_type``.
        background: A task (or tasks) to run after the response has been sent.

    Example:
        >>> return Response(content=b"raw bytes", status_code=200, media_type="text/plain")
    """

    # No __slots__: FastAPI code customises responses by overriding these class attributes in
    # subclasses and by setting instance attributes, which slots would forbid.
    media_type: str | None = None
    charset: str = "utf-8"

    status_code: int
    background: Background | None
    body: bytes
    raw_headers: list[tuple[bytes, bytes]]

    def __init__(
        self,
        content: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
    ) -> None:
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = background
        self.body = self.render(content)
        self.init_headers(headers)

    def render(self, content: Any) -> bytes:
        """Turn ``content`` into the body bytes."""
        if content is None:
            return b""
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode(self.charset)
        if isinstance(content, (bytearray, memoryview)):
            return bytes(content)
        raise TypeError(
            f"{type(self).__name__} content must be str, bytes or None, not {type(content).__name__}; "
            "use JSONResponse for other values"
        )

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        """Build ``raw_headers`` from ``headers`` plus ``content-length`` and ``content-type``."""
        if headers is None:
            raw: list[tuple[bytes, bytes]] = []
            has_length = has_type = False
        else:
            raw = list(headers.raw) if isinstance(headers, Headers) else Headers(headers).raw
            names = {name for name, _ in raw}
            has_length = _CONTENT_LENGTH in names
            has_type = _CONTENT_TYPE in names
        body: bytes | None = getattr(self, "body", None)
        status = self.status_code
        if body is not None and not has_length and status >= 200 and status not in _NO_BODY_STATUSES:
            raw.append((_CONTENT_LENGTH, b"%d" % len(body)))
        media_type = self.media_type
        if media_type is not None and not has_type:
            # PERF: the cache lookup of _encoded_content_type, inlined for the common hit.
            content_type = _content_type_cache.get((media_type, self.charset))
            if content_type is None:
                content_type = _encoded_content_type(media_type, self.charset)
            raw.append((_CONTENT_TYPE, content_type))
        self.raw_headers = raw

    @property
    def headers(self) -> MutableHeaders:
        """The response headers; changes write through to ``raw_headers``."""
        return MutableHeaders(raw=self.raw_headers)

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | None = None,
        expires: Any = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: SameSite | None = "lax",
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header.

        Args:
            key: The cookie name (an RFC 9110 token).
            value: The cookie value, any string; quoted and escaped as Starlette does when it holds more than
                token characters (characters beyond Latin-1 as the octal escapes of their UTF-8 bytes).
            max_age: Lifetime in seconds.
            expires: Expiry as a datetime, an HTTP date string or seconds from now.
            path: The ``Path`` attribute.
            domain: The ``Domain`` attribute.
            secure: Only send the cookie over HTTPS.
            httponly: Hide the cookie from JavaScript.
            samesite: ``"lax"``, ``"strict"``, ``"none"`` or ``None``.
            partitioned: Mark the cookie as partitioned (CHIPS).

        Raises:
            ValueError: If the name or an attribute could inject attributes or headers.
        """
        cookie = build_set_cookie(
            key,
            value,
            max_age=max_age,
            expires=expires,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )
        self.raw_headers.append((b"set-cookie", cookie.encode("latin-1")))

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: SameSite | None = "lax",
    ) -> None:
        """Add a ``Set-Cookie`` header that expires the cookie ``key`` at once."""
        self.set_cookie(
            key,
            max_age=0,
            # The epoch rather than "now": immune to clock skew between server and client.
            expires=_EPOCH_HTTP_DATE,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = self.status_code
        headers = self.raw_headers
        body = self.body
        if status < 200 or status in _NO_BODY_STATUSES:
            body = b""
            headers = [item for item in headers if item[0] != _CONTENT_LENGTH]
        elif scope.get("method") == "HEAD":
            body = b""
        if scope.get("type") == "websocket":
            # A response sent in place of a WebSocket handshake (the ASGI denial-response extension).
            await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        if self.background is not None:
            await self.background()

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and body, without running the background task."""
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code})"


class HTMLResponse(Response):
    """A response with ``Content-Type: text/html; charset=utf-8``.

    Example:
        >>> return HTMLResponse("<h1>Hello</h1>")
    """

    media_type = "text/html"


class PlainTextResponse(Response):
    """A response with ``Content-Type: text/plain; charset=utf-8``.

    Example:
        >>> return PlainTextResponse("OK")
    """

    media_type = "text/plain"


class JSONResponse(Response):
    """A JSON response, serialised with msgspec (datetime, UUID, Decimal, Structs, dataclasses, ...).

    Pass ``bytes``, ``bytearray`` or ``memoryview`` to send pre-serialised JSON without encoding
    it again (useful for payloads fixed at import time or cached elsewhere).

    Example:
        >>> return JSONResponse({"key": "value"}, status_code=200)
    """

    media_type = "application/json"

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(content, status_code, headers, media_type, background)

    def render(self, content: Any) -> bytes:
        """Encode ``content`` as JSON; bytes-likes are taken as already-encoded JSON."""
        if type(content) is bytes:
            return content
        if isinstance(content, (bytes, bytearray, memoryview)):
            return bytes(content)
        return encode_json(content)


def _json_default(obj: Any) -> Any:
    """``default`` hook for orjson/ujson: reuse msgspec's conversions for what they lack."""
    return msgspec.to_builtins(obj, enc_hook=_builtins_enc_hook)


_ALTERNATIVE_JSON_DEPRECATED = (
    "{name} is deprecated, FastAPI now serializes data directly to JSON bytes via Pydantic when a return type or "
    "response model is set, which is faster and doesn't need a custom response class. Read more in the FastAPI "
    "docs: https://fastapi.tiangolo.com/advanced/custom-response/#orjson-or-response-model "
    "and https://fastapi.tiangolo.com/tutorial/response-model/"
)


class _DeprecatedJSONResponse(JSONResponse):
    """Warns as FastAPI does when created or subclassed (``FastAPIDeprecationWarning``, FastAPI's message).

    Subclasses name their optional JSON library in ``_library`` and encode with it in ``_encode``.
    """

    _library: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # As FastAPI's: creating ORJSONResponse/UJSONResponse itself warns; a subclass warned when it was defined.
        if type(self).__module__ == __name__:
            warnings.warn(
                _ALTERNATIVE_JSON_DEPRECATED.format(name=type(self).__name__), FastAPIDeprecationWarning, stacklevel=2
            )
        super().__init__(*args, **kwargs)

    def render(self, content: Any) -> bytes:
        """Encode ``content`` with the class's JSON library; bytes-likes are taken as already-encoded JSON."""
        if isinstance(content, (bytes, bytearray, memoryview)):
            return bytes(content)
        try:
            library = importlib.import_module(self._library)
        except ImportError:
            # A missing optional library must not turn every response into a 500: msgspec writes the same JSON.
            return super().render(content)
        return self._encode(library, content)

    def _encode(self, library: Any, content: Any) -> bytes:
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            warnings.warn(
                _ALTERNATIVE_JSON_DEPRECATED.format(name=_deprecated_name(cls)), FastAPIDeprecationWarning, stacklevel=2
            )


def _deprecated_name(cls: type) -> str:
    return next(klass.__name__ for klass in cls.__mro__ if klass.__module__ == __name__)


class ORJSONResponse(_DeprecatedJSONResponse):
    """A JSON response serialised with orjson (an optional dependency: ``pip install orjson``).

    Non-string dict keys and numpy arrays are allowed, as in FastAPI. Without orjson installed, msgspec
    serialises the content, as ``JSONResponse`` does.
    """

    _library = "orjson"

    def _encode(self, orjson: Any, content: Any) -> bytes:
        result: bytes = orjson.dumps(
            content, default=_json_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        )
        return result


class UJSONResponse(_DeprecatedJSONResponse):
    """A JSON response serialised with ujson (an optional dependency: ``pip install ujson``); msgspec without it."""

    _library = "ujson"

    def _encode(self, ujson: Any, content: Any) -> bytes:
        text: str = ujson.dumps(content, ensure_ascii=False, default=_json_default)
        return text.encode("utf-8")


# RFC 3986 reserved characters plus '%', so an already-encoded URL is not encoded twice.
_URL_SAFE_CHARACTERS: Final = ":/?#[]@!$&'()*+,;=%"


class RedirectResponse(Response):
    """A redirect to ``url``; the URL is percent-encoded where needed, keeping reserved characters.

    Args:
        url: The target URL (absolute or relative).
        status_code: 307 by default; 301, 302, 303 and 308 are the other redirect statuses.
        headers: Extra headers.
        background: A task to run after the response has been sent.

    Example:
        >>> return RedirectResponse(url="/new-path", status_code=307)
    """

    def __init__(
        self,
        url: Any,
        status_code: int = 307,
        headers: Mapping[str, str] | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(content=b"", status_code=status_code, headers=headers, background=background)
        self.headers["location"] = quote(str(url), safe=_URL_SAFE_CHARACTERS)


class StreamingResponse(Response):
    """A response whose body comes from an iterator, sent chunk by chunk.

    Async iterables are consumed on the event loop, plain iterables in the thread pool; ``str``
    chunks are encoded with ``charset``. While streaming, the response listens for the client
    disconnecting and then stops at once, closing the iterator (its ``finally`` blocks run).

    Args:
        content: An async or sync iterable of ``bytes``/``str`` chunks.
        status_code: The HTTP status.
        headers: Extra headers (no ``content-length`` is added: the size is unknown).
        media_type: The ``content-type``.
        background: A task to run after the body has been sent.

    Example:
        >>> async def numbers():
        ...     for number in range(3):
        ...         yield f"{number}\\n"
        >>> return StreamingResponse(numbers(), media_type="text/plain")
    """

    body_iterator: AsyncIterable[Content]

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
    ) -> None:
        if isinstance(content, AsyncIterable):
            self.body_iterator = content
        else:
            self.body_iterator = iterate_in_threadpool(content)
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = background
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = self.status_code
        if scope.get("method") == "HEAD" or status < 200 or status in _NO_BODY_STATUSES:
            await send({"type": "http.response.start", "status": status, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b""})
            await _close_iterator(self.body_iterator)
        else:

            async def stream() -> None:
                await self.to_asgi(send)

            await _run_beside(stream, lambda cancel_scope: _cancel_on_disconnect(receive, cancel_scope))
        if self.background is not None:
            await self.background()

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and every chunk (no disconnect detection, no background)."""
        iterator = self.body_iterator
        charset = self.charset
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async for chunk in iterator:
                # PERF: exact-type check first; bytes is by far the most common chunk type.
                if type(chunk) is bytes:
                    body = chunk
                elif isinstance(chunk, str):
                    body = chunk.encode(charset)
                else:
                    body = bytes(chunk)
                await send({"type": "http.response.body", "body": body, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await _close_iterator(iterator)


_SSE_FIELDS: Final = frozenset({"comment", "data", "event", "id", "retry"})
# The only line terminators of the SSE format: splitting on anything else would alter the data.
_SSE_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_SSE_PING: Final = b": ping\n\n"


def _sse_single_line(field: str, value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    if "\r" in text or "\n" in text or "\x00" in text:
        raise ValueError(f"Invalid SSE {field} {text!r}: CR, LF and NUL are not allowed")
    return text


def _sse_data_lines(lines: list[str], data: Any) -> None:
    text = data if isinstance(data, str) else encode_json(data).decode("utf-8")
    lines.extend(f"data: {line}" for line in _SSE_LINE_BREAK.split(text))


def _format_sse_event(event: Any) -> bytes:
    """Encode one server-sent event.

    ``event`` may be a ``str`` (the data), a dict with any of the keys ``comment``, ``id``,
    ``event``, ``data``, ``retry``, or any other msgspec-encodable value (sent as JSON data).
    Multi-line data and comments become several lines, so no value can start a new field or
    event; ``id``/``event`` containing CR, LF or NUL and a non-integer ``retry`` raise ``ValueError``.
    """
    lines: list[str] = []
    if isinstance(event, str):
        _sse_data_lines(lines, event)
    elif isinstance(event, (bytes, bytearray, memoryview)):
        _sse_data_lines(lines, bytes(event).decode("utf-8"))
    elif isinstance(event, dict) and event and _SSE_FIELDS.issuperset(event):
        if "comment" in event:
            lines.extend(f": {line}" for line in _SSE_LINE_BREAK.split(str(event["comment"])))
        if "id" in event:
            lines.append(f"id: {_sse_single_line('id', event['id'])}")
        if "event" in event:
            lines.append(f"event: {_sse_single_line('event', event['event'])}")
        if "data" in event:
            _sse_data_lines(lines, event["data"])
        if "retry" in event:
            retry = event["retry"]
            if isinstance(retry, bool) or not (
                isinstance(retry, int) or (isinstance(retry, str) and retry.isascii() and retry.isdigit())
            ):
                raise ValueError(f"Invalid SSE retry {retry!r}: it must be a whole number of milliseconds")
            if int(retry) < 0:
                raise ValueError(f"Invalid SSE retry {retry!r}: it must not be negative")
            lines.append(f"retry: {int(retry)}")
    else:
        _sse_data_lines(lines, event)
    lines.append("\n")
    return "\n".join(lines).encode("utf-8")


class EventSourceResponse(StreamingResponse):
    """A Server-Sent Events stream (``text/event-stream``).

    Each item of ``content`` is one event: a ``str`` (its data), a dict with the keys ``id``,
    ``event``, ``data``, ``retry`` and/or ``comment``, or any msgspec-encodable value sent as
    JSON data. With ``ping_interval`` set, a ``: ping`` comment is sent whenever the stream has
    been idle that long, so proxies keep the connection open. The stream stops as soon as the
    client disconnects.

    Args:
        content: An async or sync iterable of events.
        status_code: The HTTP status.
        headers: Extra headers.
        ping_interval: Seconds of idleness after which a ping comment is sent; ``None`` disables pings.
        background: A task to run after the stream ends.

    Example:
        >>> async def events():
        ...     yield {"data": "hello"}
        ...     yield {"event": "update", "data": "world", "id": "1"}
        >>> return EventSourceResponse(events(), ping_interval=15)
    """

    media_type = "text/event-stream"

    def __init__(
        self,
        content: AsyncIterable[Any] | Iterable[Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        ping_interval: float | None = None,
        background: Background | None = None,
    ) -> None:
        if ping_interval is not None and ping_interval <= 0:
            raise ValueError("ping_interval must be a positive number of seconds")
        super().__init__(content, status_code=status_code, headers=headers, background=background)
        self.ping_interval = ping_interval
        response_headers = self.headers
        response_headers.setdefault("cache-control", "no-cache")
        # Tells nginx not to buffer the stream, or events would arrive in bursts.
        response_headers.setdefault("x-accel-buffering", "no")

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and every event (no disconnect detection, no background)."""
        iterator = self.body_iterator
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if self.ping_interval is None:
                async for event in iterator:
                    await send({"type": "http.response.body", "body": _format_sse_event(event), "more_body": True})
            else:
                await self._send_with_pings(send, iterator, self.ping_interval)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await _close_iterator(iterator)

    async def _send_with_pings(self, send: Send, iterator: AsyncIterable[Any], interval: float) -> None:
        import anyio

        lock = anyio.Lock()
        last_sent = [anyio.current_time()]

        async def send_chunk(chunk: bytes) -> None:
            async with lock:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                last_sent[0] = anyio.current_time()

        async def send_events() -> None:
            async for event in iterator:
                await send_chunk(_format_sse_event(event))

        async def ping(_: anyio.CancelScope) -> None:
            while True:
                idle = anyio.current_time() - last_sent[0]
                if idle >= interval:
                    await send_chunk(_SSE_PING)
                else:
                    await anyio.sleep(interval - idle)

        await _run_beside(send_events, ping)


class FileResponse(Response):
    """Send a file from disk, in 64 KiB chunks read without blocking the event loop.

    Sets ``content-length``, ``last-modified``, ``etag`` (from the modification time and size),
    ``accept-ranges`` and ``content-disposition`` (``attachment`` with the file's name unless
    told otherwise). For GET/HEAD with status 200 it answers conditional requests
    (``If-None-Match``/``If-Modified-Since`` -> 304) and byte ranges: one range -> 206 with
    ``Content-Range``; several -> ``multipart/byteranges`` (at most 10; overlapping ranges are
    answered with the whole file); unsatisfiable -> 416; an invalid header is ignored (200).

    Args:
        path: The file to send.
        status_code: The HTTP status.
        headers: Extra headers.
        media_type: The ``content-type``; guessed from ``filename`` or ``path`` by default.
        background: A task to run after the file has been sent.
        filename: The name offered to the client; defaults to the file's own name.
        stat_result: A ``os.stat`` result, to skip the ``stat`` call.
        method: The request method; ``"HEAD"`` sends the headers only.
        content_disposition_type: ``"attachment"`` (download) or ``"inline"`` (display).

    Raises:
        RuntimeError: When sent, if the file does not exist or is not a regular file.

    Example:
        >>> return FileResponse("report.pdf", filename="report.pdf")
    """

    chunk_size = 64 * 1024

    def __init__(
        self,
        path: str | os.PathLike[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
        filename: str | None = None,
        stat_result: os.stat_result | None = None,
        method: str | None = None,
        content_disposition_type: str = "attachment",
    ) -> None:
        if not isinstance(status_code, int):
            raise TypeError(
                "FileResponse's second positional argument is status_code; pass the filename as filename=..."
            )
        self.path = path
        self.status_code = status_code
        self.filename = filename if filename is not None else os.path.basename(os.fspath(path))
        self.send_header_only = method is not None and method.upper() == "HEAD"
        if media_type is None:
            import mimetypes

            media_type = mimetypes.guess_type(filename or os.fspath(path))[0] or "application/octet-stream"
        self.media_type = media_type
        self.background = background
        self.init_headers(headers)
        response_headers = self.headers
        response_headers.setdefault("accept-ranges", "bytes")
        response_headers.setdefault(
            "content-disposition", _content_disposition(content_disposition_type, self.filename)
        )
        self.stat_result = stat_result
        if stat_result is not None:
            self.set_stat_headers(stat_result)

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        """Set ``content-length``, ``last-modified`` and ``etag`` from ``stat_result``."""
        headers = self.headers
        headers.setdefault("content-length", str(stat_result.st_size))
        headers.setdefault("last-modified", _http_date(stat_result.st_mtime))
        mtime_ns: int | None = stat_result.st_mtime_ns
        if mtime_ns is None:  # a hand-built stat_result carries only the float times
            mtime_ns = int(stat_result.st_mtime * 1_000_000_000)
        headers.setdefault("etag", f'"{mtime_ns:x}-{stat_result.st_size:x}"')

    async def _ensure_stat(self) -> os.stat_result:
        if self.stat_result is not None:
            return self.stat_result
        import anyio.to_thread

        try:
            result = await anyio.to_thread.run_sync(os.stat, self.path)
        except FileNotFoundError:
            raise RuntimeError(f"File at path {self.path} does not exist.") from None
        if not stat.S_ISREG(result.st_mode):
            raise RuntimeError(f"File at path {self.path} is not a file.")
        self.stat_result = result
        self.set_stat_headers(result)
        return result

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        file_stat = await self._ensure_stat()
        method = scope.get("method", "GET")
        header_only = self.send_header_only or method == "HEAD"
        if self.status_code == 200 and method in ("GET", "HEAD"):
            await self._send_conditional(scope, receive, send, file_stat.st_size, header_only=header_only)
        elif header_only:
            await self._send_headers_only(send, self.status_code, self.raw_headers)
        else:
            await self._send_watched(
                receive, send, _FileTransfer(self.status_code, self.raw_headers, [(0, file_stat.st_size)])
            )
        if self.background is not None:
            await self.background()

    async def to_asgi(self, send: Send) -> None:
        """Send the whole file (no conditional or range handling, no background)."""
        file_stat = await self._ensure_stat()
        if self.send_header_only:
            await self._send_headers_only(send, self.status_code, self.raw_headers)
        else:
            await self._send_parts(send, _FileTransfer(self.status_code, self.raw_headers, [(0, file_stat.st_size)]))

    async def _send_conditional(
        self, scope: Scope, receive: Receive, send: Send, size: int, *, header_only: bool
    ) -> None:
        request_headers = Headers(scope=scope)
        response_headers = self.headers
        etag = response_headers.get("etag", "")
        last_modified = response_headers.get("last-modified", "")
        if self._is_not_modified(request_headers, etag, last_modified):
            headers = [item for item in self.raw_headers if item[0] in _NOT_MODIFIED_HEADERS]
            await self._send_headers_only(send, 304, headers)
            return
        range_header = request_headers.get("range")
        if range_header is not None and self._if_range_allows(request_headers.get("if-range"), etag, last_modified):
            try:
                ranges = _parse_range(range_header, size)
            except _UnsatisfiableRange:
                # An empty body, as Starlette sends: Content-Range says all there is to say.
                await self._send_error(send, 416, "", [(b"content-range", f"bytes */{size}".encode("latin-1"))])
                return
            if ranges is not None:
                await self._send_ranges(receive, send, ranges, size, header_only=header_only)
                return
        if header_only:
            await self._send_headers_only(send, 200, self.raw_headers)
        else:
            await self._send_watched(receive, send, _FileTransfer(200, self.raw_headers, [(0, size)]))

    @staticmethod
    def _is_not_modified(request_headers: Headers, etag: str, last_modified: str) -> bool:
        if_none_match = request_headers.get("if-none-match")
        if if_none_match is not None:
            return bool(etag) and _etag_matches(if_none_match, etag)
        if_modified_since = request_headers.get("if-modified-since")
        if if_modified_since is None or not last_modified:
            return False
        since = _http_date_timestamp(if_modified_since)
        modified = _http_date_timestamp(last_modified)
        return since is not None and modified is not None and modified <= since

    @staticmethod
    def _if_range_allows(if_range: str | None, etag: str, last_modified: str) -> bool:
        if if_range is None:
            return True
        if if_range.startswith(('"', "W/")):
            # If-Range needs a strong match; a weak validator never matches.
            return not if_range.startswith("W/") and if_range == etag
        return if_range == last_modified

    async def _send_ranges(
        self, receive: Receive, send: Send, ranges: list[tuple[int, int]], size: int, *, header_only: bool
    ) -> None:
        base = [item for item in self.raw_headers if item[0] != _CONTENT_LENGTH]
        if len(ranges) == 1:
            start, end = ranges[0]
            headers = [
                *base,
                (b"content-range", f"bytes {start}-{end - 1}/{size}".encode("latin-1")),
                (_CONTENT_LENGTH, str(end - start).encode("latin-1")),
            ]
            if header_only:
                await self._send_headers_only(send, 206, headers)
            else:
                await self._send_watched(receive, send, _FileTransfer(206, headers, ranges))
            return
        import secrets

        boundary = secrets.token_hex(16)
        content_type = _encoded_content_type(self.media_type or "application/octet-stream", self.charset)
        part_headers = [
            b"--%s\r\ncontent-type: %s\r\ncontent-range: bytes %d-%d/%d\r\n\r\n"
            % (boundary.encode("latin-1"), content_type, start, end - 1, size)
            for start, end in ranges
        ]
        closing = b"--%s--\r\n" % boundary.encode("latin-1")
        length = sum(len(head) + (end - start) + 2 for head, (start, end) in zip(part_headers, ranges, strict=True))
        length += len(closing)
        headers = [item for item in base if item[0] != _CONTENT_TYPE]
        headers.append((_CONTENT_TYPE, f"multipart/byteranges; boundary={boundary}".encode("latin-1")))
        headers.append((_CONTENT_LENGTH, str(length).encode("latin-1")))
        if header_only:
            await self._send_headers_only(send, 206, headers)
        else:
            await self._send_watched(receive, send, _FileTransfer(206, headers, ranges, part_headers, closing))

    async def _send_watched(self, receive: Receive, send: Send, transfer: _FileTransfer) -> None:
        async def body() -> None:
            await self._send_parts(send, transfer)

        await _run_beside(body, lambda cancel_scope: _cancel_on_disconnect(receive, cancel_scope))

    async def open_file(self) -> anyio.AsyncFile[bytes]:
        """Open the file to send; called before the status line goes out, so an error here can still be answered.

        Subclasses may open it differently (``StaticFiles`` opens it without following symlinks).
        """
        import anyio

        return await anyio.open_file(self.path, "rb")

    async def _send_parts(self, send: Send, transfer: _FileTransfer) -> None:
        chunk_size = self.chunk_size
        part_headers = transfer.part_headers
        position = 0
        async with await self.open_file() as file:
            await send({"type": "http.response.start", "status": transfer.status, "headers": transfer.headers})
            for index, (start, end) in enumerate(transfer.ranges):
                if part_headers:
                    await send({"type": "http.response.body", "body": part_headers[index], "more_body": True})
                if start != position:
                    await file.seek(start)
                position = start
                while position < end:
                    # Never past ``end``: a file growing while it is sent must not exceed content-length.
                    chunk = await file.read(min(chunk_size, end - position))
                    if not chunk:
                        break
                    position += len(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                if part_headers:
                    await send({"type": "http.response.body", "body": b"\r\n", "more_body": True})
        await send({"type": "http.response.body", "body": transfer.closing, "more_body": False})

    @staticmethod
    async def _send_headers_only(send: Send, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def _send_error(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]]) -> None:
        body = message.encode("utf-8")
        headers = [
            (_CONTENT_TYPE, b"text/plain; charset=utf-8"),
            (_CONTENT_LENGTH, str(len(body)).encode("latin-1")),
            *extra,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
