"""The ``Response`` base class and what every response shares: content types, closing and disconnect watching."""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Coroutine, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import msgspec

from fasterapi_core._cookies import SameSite, build_set_cookie
from fasterapi_core.background import BackgroundTask, BackgroundTasks, run_after_response
from fasterapi_core.datastructures import Headers, MutableHeaders
from fasterapi_core.encoders import _python_json_encoder, encode_json
from fasterapi_core.types import Message, Receive, Scope, Send

if TYPE_CHECKING:
    import anyio

__all__ = ("Background", "Content", "ContentStream", "Response", "refuse_non_finite")

Background = BackgroundTask | BackgroundTasks
Content = str | bytes | bytearray | memoryview
ContentStream = AsyncIterable[Content] | Iterable[Content]

_NO_BODY_STATUSES: Final = frozenset({204, 304})
_CONTENT_LENGTH: Final = b"content-length"
_CONTENT_TYPE: Final = b"content-type"
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
    if charset and media_type.startswith("text/") and "charset=" not in media_type.lower():
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


def _watches_disconnect(scope: Scope) -> bool:
    """Whether a streamed body must listen on ``receive`` for the client leaving.

    From ASGI 2.4 on, ``send`` raises ``OSError`` once the client is gone, so nothing listens (and ``receive`` stays
    free for the app); a denial response on a WebSocket has no HTTP disconnect to wait for.
    """
    if scope["type"] != "http":
        return False
    asgi = scope.get("asgi")
    if not asgi:
        return True
    version = asgi.get("spec_version", "2.0")
    # PERF: servers send one of a handful of version strings; compare the text, parse only what is unknown.
    return version < "2.4" if len(version) == 3 else tuple(map(int, version.split("."))) < (2, 4)


def _denial_send(send: Send) -> Send:
    """``send`` for a response given in place of a WebSocket handshake: ``http.*`` messages become
    ``websocket.http.*`` ones (the ASGI denial-response extension)."""

    async def denial_send(message: Message) -> None:
        message_type = message["type"]
        if message_type.startswith("http."):
            message = {**message, "type": "websocket." + message_type}
        await send(message)

    return denial_send


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


def _as_written(value: Any) -> Any:
    return msgspec.json.decode(encode_json(value))


def refuse_non_finite(content: Any) -> None:
    """Raise ``ValueError`` (the running Python's ``json`` message) if ``content`` holds a NaN or infinite float.

    Starlette's ``JSONResponse`` refuses them (``allow_nan=False``); msgspec would write ``null``. The content is
    taken as msgspec's builtins (Structs and dataclasses as dicts) and written by ``json`` with ``allow_nan=False``,
    whose error is raised as it is. A value msgspec converts through its hook (a pydantic model, a path) is taken as
    the JSON it is written as: pydantic writes a model's non-finite floats as ``null`` itself.
    """
    try:
        builtins = msgspec.to_builtins(content, enc_hook=_as_written, str_keys=True)
    except (TypeError, msgspec.MsgspecError):
        return  # a value only msgspec's JSON encoder takes (msgspec.Raw): it has been written already
    _python_json_encoder(allow_nan=False)(builtins)


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
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header that expires the cookie ``key`` at once.

        The attributes (``path``, ``domain``, ``secure``, ``samesite``, ``partitioned``...) must be those the
        cookie was set with, or the browser keeps it.
        """
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
            partitioned=partitioned,
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
            await run_after_response(self.background, scope)

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and body, without running the background task."""
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code})"
