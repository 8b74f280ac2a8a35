"""The incoming side of a connection: :class:`HTTPConnection` and :class:`Request`."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Generator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from fasterapi_core._content_too_large import ContentTooLarge, check_declared_length
from fasterapi_core._cookie_header import cookie_parser
from fasterapi_core._json_documents import JSONDocumentError, decode_json_document
from fasterapi_core._route_settings import RouteSettings, route_settings_of
from fasterapi_core.datastructures import URL, Address, FormData, Headers, QueryParams, State
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.types import Message, Receive, Scope, Send

if TYPE_CHECKING:
    from ._json_body_error import JSONBodyDecodeError

__all__ = (
    "ClientDisconnect",
    "FormContext",
    "HTTPConnection",
    "JSONBodyDecodeError",
    "Request",
    "RouteSettings",
    "cookie_parser",
)

#: Where the bytes of a request body already read are kept in the scope for the exception handler's ``Request``
#: (FastAPI hands its handlers the route's own Request, whose body is cached; without them the handler's Request
#: would wait for a body already taken). Only that Request reads them: a middleware may hand the route another body.
REQUEST_BODY_KEY = "fasterapi.request_body"
_PUSH_HEADERS = ("accept", "accept-encoding", "accept-language", "cache-control", "user-agent")
_DEFAULT_MAX_FILES = 1000
_DEFAULT_MAX_FIELDS = 1000
_DEFAULT_MAX_PART_SIZE = 1024 * 1024
_FORM_DEFAULTS = {
    "max_files": _DEFAULT_MAX_FILES,
    "max_fields": _DEFAULT_MAX_FIELDS,
    "max_part_size": _DEFAULT_MAX_PART_SIZE,
}


class ClientDisconnect(Exception):
    """Raised while a request body is being read when the client has closed the connection."""


def __getattr__(name: str) -> Any:
    # PERF: JSONBodyDecodeError derives from json.JSONDecodeError; Python's json loads when the name is first used.
    if name == "JSONBodyDecodeError":
        from ._json_body_error import JSONBodyDecodeError

        return JSONBodyDecodeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


async def _receive_unavailable() -> Message:
    raise RuntimeError("This connection has no receive channel")


async def _send_unavailable(message: Message) -> None:
    raise RuntimeError("Send channel has not been made available")


class HTTPConnection(Mapping[str, Any]):
    """What HTTP requests and WebSocket connections share: URL, headers, query, cookies, client, state.

    Everything is parsed lazily on first access and cached. The object is also a read-only mapping
    over the ASGI scope (``conn["path"]``).

    Args:
        scope: The ASGI ``http`` or ``websocket`` scope.
        receive: The ASGI receive callable.
    """

    # A Request can be weakly referenced (as a Starlette one can), by caches and by observers of its lifetime.
    __slots__ = (
        "__weakref__",
        "_base_url",
        "_cookies",
        "_headers",
        "_query_params",
        "_receive",
        "_scope",
        "_state",
        "_url",
    )

    def __init__(self, scope: Scope, receive: Receive | None = None) -> None:
        self._scope = scope
        self._receive: Receive = receive if receive is not None else _receive_unavailable
        self._url: URL | None = None
        self._base_url: URL | None = None
        self._headers: Headers | None = None
        self._query_params: QueryParams | None = None
        self._cookies: dict[str, str] | None = None
        self._state: State | None = None

    def __getitem__(self, key: str) -> Any:
        return self._scope[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scope)

    def __len__(self) -> int:
        return len(self._scope)

    # A connection is equal only to itself, not to every mapping with the same scope contents.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    @property
    def scope(self) -> Scope:
        """The ASGI scope."""
        return self._scope

    @property
    def app(self) -> Any:
        """The application serving this connection (``scope["app"]``), if the server set it."""
        return self._scope.get("app")

    @property
    def method(self) -> str:
        """The HTTP method, upper case (``"GET"`` for WebSocket connections)."""
        method: str = self._scope.get("method", "GET")
        return method

    @property
    def path(self) -> str:
        """The request path, percent-decoded, without the query string."""
        path: str = self._scope.get("path", "/")
        return path

    @property
    def url(self) -> URL:
        """The full URL the client asked for."""
        url = self._url
        if url is None:
            url = self._url = URL(scope=self._scope)
        return url

    @property
    def base_url(self) -> URL:
        """The URL of the application root (scheme, host and root path, ending in ``/``)."""
        base_url = self._base_url
        if base_url is None:
            root_path: str = self._scope.get("app_root_path", self._scope.get("root_path", "")) or ""
            base_scope = dict(self._scope)
            base_scope["path"] = root_path if root_path.endswith("/") else root_path + "/"
            base_scope["query_string"] = b""
            base_scope["root_path"] = root_path
            base_url = self._base_url = URL(scope=base_scope)
        return base_url

    @property
    def headers(self) -> Headers:
        """The request headers: case-insensitive and multi-valued."""
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers(scope=self._scope)
        return headers

    @property
    def query_params(self) -> QueryParams:
        """The parsed query string: multi-valued, keys case-sensitive."""
        query_params = self._query_params
        if query_params is None:
            query_params = self._query_params = QueryParams(self._scope.get("query_string", b""))
        return query_params

    @property
    def path_params(self) -> dict[str, Any]:
        """The parameters the router matched in the path."""
        path_params: dict[str, Any] = self._scope.get("path_params", {})
        return path_params

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies the client sent; malformed pairs are skipped."""
        cookies = self._cookies
        if cookies is None:
            values = self.headers.getlist("cookie")
            # HTTP/2 clients may split cookies over several headers (RFC 9113 §8.2.3).
            cookies = self._cookies = cookie_parser("; ".join(values)) if values else {}
        return cookies

    @property
    def client(self) -> Address | None:
        """The client's ``(host, port)``, or ``None`` when the server does not say."""
        client = self._scope.get("client")
        if not client:
            return None
        return Address(client[0], client[1])

    @property
    def state(self) -> State:
        """Per-connection state, wrapping ``scope["state"]`` (attribute and item access)."""
        state = self._state
        if state is None:
            state = self._state = State(self._scope.setdefault("state", {}))
        return state

    @property
    def session(self) -> dict[str, Any]:
        """The session dict kept by ``SessionMiddleware`` (``fasterapi-middleware``), in ``scope["session"]``.

        Raises:
            AssertionError: No session middleware is installed (Starlette's error, which FastAPI code expects).
        """
        if "session" not in self._scope:
            raise AssertionError("SessionMiddleware must be installed to access request.session")
        session: dict[str, Any] = self._scope["session"]
        mark_accessed = getattr(session, "mark_accessed", None)
        if mark_accessed is not None:
            mark_accessed()
        return session

    @property
    def auth(self) -> Any:
        """The credentials ``AuthenticationMiddleware`` found, in ``scope["auth"]``."""
        if "auth" not in self._scope:
            raise AssertionError("AuthenticationMiddleware must be installed to access request.auth")
        return self._scope["auth"]

    @property
    def user(self) -> Any:
        """The user ``AuthenticationMiddleware`` found, in ``scope["user"]``."""
        if "user" not in self._scope:
            raise AssertionError("AuthenticationMiddleware must be installed to access request.user")
        return self._scope["user"]

    def url_for(self, name: str, /, **path_params: Any) -> URL:
        """Return the absolute URL of the route called ``name``.

        Args:
            name: The route name.
            **path_params: Values for the route's path parameters.

        Raises:
            RuntimeError: When no router is available in the scope.
        """
        # As Starlette: the outermost router resolves the name (a mounted app's routes through its mount), and the
        # URL is made from the outermost root path (``base_url``).
        provider = self._scope.get("router") or self._scope.get("app")
        url_path_for = getattr(provider, "url_path_for", None)
        if url_path_for is None:
            raise RuntimeError("The `url_for` method can only be used inside a Starlette application or with a router.")
        url_path = url_path_for(name, **path_params)
        base = self.base_url
        if getattr(url_path, "host", ""):  # a route behind a ``Host``: an absolute URL on its host, as Starlette's
            return url_path.make_absolute_url(base)  # type: ignore[no-any-return]
        return base.replace(path=base.path.rstrip("/") + str(url_path))


class FormContext:
    """The result of :meth:`Request.form`: await it, or use it as an async context manager.

    ``async with request.form() as form:`` closes the uploaded files on exit.
    """

    __slots__ = ("_form", "_limits", "_request")

    def __init__(self, request: Request, limits: dict[str, int]) -> None:
        self._request = request
        self._limits = limits
        self._form: FormData | None = None

    def __await__(self) -> Generator[Any, None, FormData]:
        return self._request._get_form(self._limits).__await__()

    async def __aenter__(self) -> FormData:
        self._form = await self._request._get_form(self._limits)
        return self._form

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._form is not None:
            await self._form.close()


class Request(HTTPConnection):
    """An incoming HTTP request.

    The body is read from ``receive`` on demand. ``await request.body()`` may be called many times
    (the bytes are cached). :meth:`stream` hands out chunks as they arrive and keeps none of them, so
    a large upload never sits in memory; as in Starlette, the body cannot be read again after that.
    The ``max_body_size`` of the route serving the request (``route_settings``) refuses a larger body
    with ``413``, while streaming too.

    Args:
        scope: The ASGI ``http`` scope.
        receive: The ASGI receive callable.
        send: The ASGI send callable (only needed for server push).

    Example:
        >>> async def create(request: Request) -> dict[str, Any]:
        ...     return await request.json()
    """

    # ``__dict__``: as on a Starlette request, code may set attributes of its own on one, or replace a method on one
    # instance (tests stand in ``request.form`` so). PERF: the dictionary is made only on the first such assignment;
    # the fields stay slots (data descriptors, found before any instance dictionary), and a route that never asks
    # for the request never builds one.
    __slots__ = (
        "__dict__",
        "_body",
        "_complete",
        "_consumed",
        "_form",
        "_is_disconnected",
        "_json",
        "_pending",
        "_received",
        "_send",
        "_started",
        "_streams_open",
    )

    def __init__(self, scope: Scope, receive: Receive = _receive_unavailable, send: Send = _send_unavailable) -> None:
        super().__init__(scope, receive)
        self._send = send
        # ``_body`` and ``_json`` stay unset until the body is read, as in Starlette: FastAPI's documented Request
        # subclasses (a gzip body, for one) and extensions (CSRF checks) test ``hasattr(self, "_body")`` or
        # ``hasattr(self, "_json")`` to know whether the body was read already, and as what.
        self._received = 0
        self._started = False
        self._complete = False
        self._consumed = False
        self._is_disconnected = False
        self._pending: list[Message] = []
        self._form: FormData | None = None

    @property
    def receive(self) -> Receive:
        """The ASGI receive callable."""
        return self._receive

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if any."""
        return self.headers.get("content-type")

    @property
    def route_settings(self) -> RouteSettings:
        """How this request is read: the body and form limits of the route serving it (none outside a route)."""
        return route_settings_of(self._scope)

    def _max_body_size(self) -> int | None:
        return route_settings_of(self._scope).max_body_size

    def _check_declared_length(self) -> None:
        limit = self._max_body_size()
        if limit is not None:
            check_declared_length(self.scope["headers"], limit)

    async def _next_chunk(self) -> bytes | None:
        """Return the next non-empty body chunk, or ``None`` once the body is complete."""
        if not self._started:
            self._started = True
            self._check_declared_length()
        while not self._complete:
            message = self._pending.pop(0) if self._pending else await self._receive()
            message_type = message.get("type")
            if message_type == "http.request":
                chunk: bytes = message.get("body", b"")
                if not message.get("more_body", False):
                    self._complete = True
                if chunk:
                    self._received += len(chunk)
                    limit = self._max_body_size()
                    if limit is not None and self._received > limit:
                        raise ContentTooLarge
                    return chunk
            elif message_type == "http.disconnect":
                self._is_disconnected = True
                raise ClientDisconnect("The client disconnected while the request body was being read")
        return None

    async def _iter_body(self) -> AsyncIterator[bytes]:
        """The body as it arrives, kept nowhere (for :meth:`stream` and form parsing)."""
        body: bytes | None = getattr(self, "_body", None)
        if body is not None:
            if body:
                yield body
            return
        if self._consumed:
            raise RuntimeError("Stream consumed")
        while (chunk := await self._next_chunk()) is not None:
            # PERF: the chunk is handed out and dropped, so memory stays flat whatever the body's size; the
            # price is that the body cannot be read a second time.
            self._consumed = True
            yield chunk
        if not self._consumed:
            self._body = b""

    async def stream(self) -> AsyncIterator[bytes]:
        """Yield the body in chunks as they arrive, keeping none of them.

        After :meth:`body` (or :meth:`json`), it yields the cached body instead. As in Starlette, the last
        chunk is always ``b""``; a second :meth:`stream` started while another is still reading carries on from
        where it is, one started after raises ``RuntimeError("Stream consumed")``, and so do :meth:`body` and
        :meth:`json` once a chunk was handed out.

        Raises:
            HTTPException: ``413`` when the body is larger than the configured limit.
            ClientDisconnect: When the client goes away before the body is complete.
            RuntimeError: When the body was already streamed.
        """
        body: bytes | None = getattr(self, "_body", None)
        if body is not None:
            yield body
            yield b""
            return
        # PERF: ``_streams_open`` stays unset (no cost) on a request nobody streams.
        streams_open: int = getattr(self, "_streams_open", 0)
        if self._consumed and not (streams_open and not self._complete):
            raise RuntimeError("Stream consumed")
        self._streams_open = streams_open + 1
        try:
            while (chunk := await self._next_chunk()) is not None:
                # PERF: each chunk is handed out and dropped (see _iter_body).
                self._consumed = True
                yield chunk
        finally:
            self._streams_open -= 1
        yield b""

    async def body(self) -> bytes:
        """Return the whole body (read once, then cached).

        Raises:
            HTTPException: ``413`` when the body is larger than the configured limit.
            ClientDisconnect: When the client goes away before the body is complete.
            RuntimeError: When the body was already streamed.
        """
        body: bytes | None = getattr(self, "_body", None)
        if body is None:
            if self._consumed:
                raise RuntimeError("Stream consumed")
            try:
                body = self._body = self._scope[REQUEST_BODY_KEY] = await self._read_whole_body()
            except BaseException:
                # Part of the body may be gone with this call: a later read must not return only the rest.
                if self._received:
                    self._consumed = True
                raise
        return body

    async def _read_whole_body(self) -> bytes:
        first = await self._next_chunk()
        if first is None:
            return b""
        second = await self._next_chunk()
        if second is None:
            # PERF: a body in one message (most JSON requests) is returned as it came, without a copy.
            return first
        # PERF: a BytesIO hands its buffer over from getvalue() without a copy, and each chunk is freed once
        # written: the peak is about the body's size, where a list of chunks plus their join holds it twice.
        buffer = io.BytesIO()
        buffer.write(first)
        buffer.write(second)
        del first, second
        while (chunk := await self._next_chunk()) is not None:
            buffer.write(chunk)
        return buffer.getvalue()

    async def json(self) -> Any:
        """Return the body decoded as JSON (cached).

        Raises:
            JSONBodyDecodeError: A ``400`` for a body that is not a JSON document Python can hold: malformed
                JSON, invalid UTF-8, nesting deeper than the recursion limit, numbers beyond Python's limits.
        """
        try:
            return self._json
        except AttributeError:
            pass
        body = await self.body()
        try:
            self._json: Any = decode_json_document(body)
        except JSONDocumentError as error:
            from ._json_body_error import JSONBodyDecodeError

            raise JSONBodyDecodeError(error.message, body.decode("utf-8", "replace"), error.position) from None
        return self._json

    def form(
        self,
        *,
        max_files: int | None = None,
        max_fields: int | None = None,
        max_part_size: int | None = None,
    ) -> FormContext:
        """Parse a ``multipart/form-data`` or ``application/x-www-form-urlencoded`` body (cached).

        Await the result, or use it as ``async with request.form() as form:`` to close uploaded files
        on exit. A limit given here wins; one not given is the route's (``form_limits``, see ``route_settings``),
        else Starlette's default (1000 files, 1000 fields, 1 MiB per field). Other content types give an empty form.
        The raw body is not kept while a form is parsed, so :meth:`body` fails afterwards.

        Args:
            max_files: The most file parts accepted.
            max_fields: The most non-file fields accepted.
            max_part_size: The largest non-file field, in bytes.

        Raises:
            HTTPException: ``400`` for a malformed body or one over a limit; ``413`` when the body
                is larger than the configured body limit.
        """
        route_limits = route_settings_of(self._scope).form_limits
        given = (("max_files", max_files), ("max_fields", max_fields), ("max_part_size", max_part_size))
        limits = {
            key: value if value is not None else route_limits.get(key, _FORM_DEFAULTS[key]) for key, value in given
        }
        return FormContext(self, limits)

    async def _get_form(self, limits: dict[str, int]) -> FormData:
        form = self._form
        if form is None:
            # PERF: the multipart parser (python-multipart) loads with the first form, not with the framework.
            from fasterapi_core._multipart import parse_form

            # The raw body is not kept: file parts already spool to disk and a copy would double memory.
            try:
                form = self._form = await parse_form(
                    self._iter_body(),
                    self.headers.get("content-type", ""),
                    **limits,
                )
            except HTTPException as error:
                if error.status_code != 400 or "app" in self._scope:
                    raise
                from fasterapi_core._form_errors import MultiPartException

                raise MultiPartException(str(error.detail)) from None
        return form

    async def close(self) -> None:
        """Close the files of a parsed form, if any."""
        if self._form is not None:
            await self._form.close()

    async def is_disconnected(self) -> bool:
        """Return whether the client has disconnected, without waiting for anything."""
        if not self._is_disconnected:
            import anyio

            message: Message = {}
            with anyio.CancelScope() as cancel_scope:
                cancel_scope.cancel()
                message = await self._receive()
            message_type = message.get("type")
            if message_type == "http.disconnect":
                self._is_disconnected = True
            elif message_type == "http.request":
                self._pending.append(message)  # body data: keep it for the body readers
        return self._is_disconnected

    async def send_push_promise(self, path: str) -> None:
        """Ask an HTTP/2 server to push ``path``; does nothing when the server cannot push."""
        if "http.response.push" not in (self._scope.get("extensions") or {}):
            return
        raw_headers = [
            (name.encode("latin-1"), value.encode("latin-1"))
            for name in _PUSH_HEADERS
            for value in self.headers.getlist(name)
        ]
        await self._send({"type": "http.response.push", "path": path, "headers": raw_headers})

    async def send_early_hints(self, link: str, /, *more_links: str) -> None:
        """Send a ``103 Early Hints`` with these ``Link`` values; does nothing when the server cannot.

        Example:
            >>> # await request.send_early_hints("</style.css>; rel=preload; as=style")
        """
        if "http.response.early_hint" not in (self._scope.get("extensions") or {}):
            return
        links = [value.encode("latin-1") for value in (link, *more_links)]
        await self._send({"type": "http.response.early_hint", "links": links})
