"""httpx transports that run an ASGI app in-process: the seam between the test clients and the app.

An :class:`HTTPExchange` is one request/response cycle on the event loop. The sync transport drives it from the
test thread through the blocking portal of an :class:`EventLoopThread`; the async transport drives it directly
on the caller's loop. Either way the response body is streamed, so ``client.stream(...)`` reads chunks as the
app sends them and closing the response early tells the app the client went away.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, Final, TypedDict, Unpack

import anyio
import anyio.to_thread
import httpx
from anyio.abc import TaskGroup

from fasterapi_core.types import ASGIApp, Message, Scope

from ._app_errors import ASGIProtocolError, _is_test_outcome, _OutcomeCarrier, _test_outcomes
from ._event_loop_thread import EventLoopThread, LoopHandle
from ._message_queues import ClientDisconnectedError, MessageQueue, _BodyBuffer

__all__ = (
    "RAISE_SERVER_EXCEPTIONS_EXTENSION",
    "ASGIProtocolError",
    "AsyncTestClientTransport",
    "ClientDisconnectedError",
    "ConnectionSettings",
    "EventLoopThread",
    "HTTPExchange",
    "LoopHandle",
    "MessageQueue",
    "ResponseHead",
    "TestClientTransport",
)

RAISE_SERVER_EXCEPTIONS_EXTENSION: Final = "fasterapi.raise_server_exceptions"
"""Scope extension telling the app whether the test client re-raises its exceptions."""

_ASGI_VERSIONS: Final = {"version": "3.0", "spec_version": "2.4"}
_DEFAULT_PORTS: Final = {"http": 80, "ws": 80, "https": 443, "wss": 443}
_WEBSOCKET_SCHEMES: Final = {"http": "ws", "https": "wss", "ws": "ws", "wss": "wss"}
# How long an app may keep running after the client hung up on an unfinished response before it is cancelled.
_DISCONNECT_GRACE_SECONDS: Final = 1.0

ResponseHead = tuple[int, list[tuple[bytes, bytes]], Any]
"""Status, headers and the ``http.response.debug`` info (``None`` when the app sent none)."""


def _scope_headers(request: httpx.Request) -> list[tuple[bytes, bytes]]:
    return [(name.lower(), value) for name, value in request.headers.raw]


class _IteratorBody:
    """A streaming request body from a sync iterable (generator, multipart files), pulled in a worker thread."""

    __slots__ = ("_iterator",)

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._iterator = iter(chunks)

    def _next(self) -> bytes | None:
        return next(self._iterator, None)

    async def next_chunk(self) -> bytes | None:
        # The iterable may block (files, sleeps in a generator): keep that off the event loop.
        return await anyio.to_thread.run_sync(self._next)


class _AsyncIteratorBody:
    __slots__ = ("_iterator",)

    def __init__(self, chunks: AsyncIterable[bytes]) -> None:
        self._iterator = aiter(chunks)

    async def next_chunk(self) -> bytes | None:
        return await anext(self._iterator, None)


_BodySource = bytes | _IteratorBody | _AsyncIteratorBody


def _request_body(request: httpx.Request) -> _BodySource:
    try:
        return request.content
    except httpx.RequestNotRead:
        stream = request.stream
    if isinstance(stream, AsyncIterable):
        return _AsyncIteratorBody(stream)
    return _IteratorBody(stream)


class HTTPExchange:
    """One HTTP request/response cycle between a test client and an ASGI app, living on the event loop.

    The app runs in :meth:`run` (started in a task group by the transport); the client side calls
    :meth:`wait_response_start`, then :meth:`read_body` until it returns ``None``, then :meth:`aclose`.
    Must be created on the loop that runs it.
    """

    __slots__ = (
        "_app",
        "_body",
        "_body_complete",
        "_cancel_scope",
        "_debug",
        "_disconnected",
        "_error",
        "_error_reported",
        "_finished",
        "_headers",
        "_raise",
        "_request_complete",
        "_response_body",
        "_response_complete",
        "_response_done",
        "_scope",
        "_skip_body",
        "_started",
        "_status",
        "_trailers_expected",
        "trailers",
    )

    def __init__(self, app: ASGIApp, scope: Scope, body: _BodySource, *, raise_server_exceptions: bool) -> None:
        self._app = app
        self._scope = scope
        self._body = body
        self._raise = raise_server_exceptions
        self._request_complete = False
        self._response_complete = False
        self._body_complete = False
        self._trailers_expected = False
        #: The trailers the app sent (``http.response.trailers``), filled in as they arrive.
        self.trailers: list[tuple[bytes, bytes]] = []
        # A test client shows no body for HEAD, whatever the app sends (as Starlette's does).
        self._skip_body = scope.get("method") == "HEAD"
        self._disconnected = False
        self._status: int | None = None
        self._headers: list[tuple[bytes, bytes]] = []
        self._debug: Any = None
        self._error: BaseException | None = None
        self._error_reported = False
        self._started = anyio.Event()
        self._response_done = anyio.Event()
        self._finished = anyio.Event()
        self._cancel_scope = anyio.CancelScope()
        self._response_body = _BodyBuffer()

    @property
    def trailers_expected(self) -> bool:
        """Whether the app's ``http.response.start`` announced trailers."""
        return self._trailers_expected

    async def run(self) -> None:
        """Run the app for this exchange. Never raises an ``Exception``: app errors are kept for the client."""
        try:
            with self._cancel_scope:
                await self._app(self._scope, self._receive, self._send)
        except Exception as exc:
            self._error = exc
        except BaseException as exc:
            if not _is_test_outcome(exc):
                raise
            # pytest.fail()/skip() inside the app belongs to the test, whatever raise_server_exceptions says. It
            # travels as an Exception: a BaseException raised through the portal would end the loop thread.
            self._error = _OutcomeCarrier(exc)
            self._raise = True
        finally:
            self._finished.set()
            self._started.set()
            self._response_done.set()
            self._response_body.end()

    async def _receive(self) -> Message:
        if not self._request_complete:
            body = self._body
            if isinstance(body, bytes):  # PERF: in-memory bodies (the common case) go out as one message
                self._request_complete = True
                return {"type": "http.request", "body": body, "more_body": False}
            chunk = await body.next_chunk()
            if chunk is None:
                self._request_complete = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": bytes(chunk), "more_body": True}
        # ASGI: once the request body is consumed, receive blocks until the response is done or the client left.
        # Once it is done, the answer comes without a checkpoint, so a cancelled-scope probe
        # (``Request.is_disconnected``) still sees the disconnect.
        if not self._response_done.is_set():
            await self._response_done.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if self._status is not None:
                raise ASGIProtocolError('Received multiple "http.response.start" messages (sent twice).')
            self._status = int(message["status"])
            self._headers = [(bytes(name), bytes(value)) for name, value in message.get("headers", ())]
            self._trailers_expected = bool(message.get("trailers", False))
            self._started.set()
        elif kind == "http.response.body":
            if self._status is None:
                raise ASGIProtocolError("The ASGI app sent 'http.response.body' before 'http.response.start'")
            if self._body_complete:
                raise ASGIProtocolError(
                    'Received "http.response.body" after body completed (sent after the response was complete).'
                )
            if self._disconnected:
                raise ClientDisconnectedError("The test client closed the response")
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            if body or more_body:
                await self._response_body.put(bytes(body))
            if not more_body:
                self._body_complete = True
                if not self._trailers_expected:
                    self._complete_response()
        elif kind == "http.response.trailers":
            self._receive_trailers(message)
        elif kind == "http.response.debug":
            self._debug = message.get("info")
        elif kind in ("http.response.push", "http.response.early_hint"):
            pass  # server hints: a test client neither pushes nor shows informational responses
        else:
            raise RuntimeError(f"Unexpected ASGI message {kind!r} on an HTTP connection")

    def _receive_trailers(self, message: Message) -> None:
        if not self._trailers_expected:
            raise ASGIProtocolError('Received "http.response.trailers" without declaring trailers.')
        if not self._body_complete:
            raise ASGIProtocolError('Received "http.response.trailers" before body completed.')
        if self._response_complete:
            raise ASGIProtocolError('Received "http.response.trailers" after response completed.')
        self.trailers.extend((bytes(name), bytes(value)) for name, value in message.get("headers", ()))
        if not message.get("more_trailers", False):
            self._complete_response()

    def _complete_response(self) -> None:
        self._response_complete = True
        self._response_body.end()
        self._response_done.set()

    async def wait_response_start(self) -> ResponseHead:
        """Wait for ``http.response.start``.

        Returns:
            Status, headers and debug info. When the app failed before starting a response and server
            exceptions are not raised, a bare ``500`` (no headers, an empty body), as from Starlette's client.

        Raises:
            Exception: The app's exception, or a ``RuntimeError`` if it returned without a response (only when
                server exceptions are raised).
        """
        await self._started.wait()
        if self._status is not None:
            return self._status, self._headers, self._debug
        if self._raise:
            self._error_reported = True
            if self._error is not None:
                raise self._error
            raise ASGIProtocolError(
                "TestClient did not receive any response: the ASGI app returned without sending 'http.response.start'"
            )
        # Starlette's client answers a bare 500: no headers, an empty body.
        return 500, [], None

    async def read_body(self) -> bytes | None:
        """Return the next part of the response body (all chunks already sent, joined), or ``None`` at the end.

        Raises:
            Exception: The app's exception when it failed in the middle of the body (if server exceptions are
                raised), or a ``RuntimeError`` when it returned without finishing the body.
        """
        while (body := await self._response_body.take()) is not None:
            if body and not self._skip_body:
                return body
        self._raise_if_incomplete()
        return None

    def _raise_if_incomplete(self) -> None:
        # Trailers the app never finished are no error: the body is all a client reads.
        if self._body_complete or self._disconnected or not self._raise or self._error_reported:
            return
        self._error_reported = True
        if self._error is not None:
            raise self._error
        raise RuntimeError("The ASGI app returned without completing the response body")

    async def aclose(self) -> None:
        """Finish the exchange: wait for the app to return (background work included), then report its errors.

        If the body is not complete yet, the client hangs up first: ``receive`` returns ``http.disconnect``,
        ``send`` raises :class:`ClientDisconnectedError`, and an app that still runs after a grace period is
        cancelled.
        """
        if not self._response_complete and not self._finished.is_set():
            self._disconnected = True
            self._response_done.set()
            self._response_body.abandon()
            with anyio.move_on_after(_DISCONNECT_GRACE_SECONDS):
                await self._finished.wait()
            self._cancel_scope.cancel()
        await self._finished.wait()
        self.raise_pending_error()

    def raise_pending_error(self) -> None:
        """Re-raise the app's exception if server exceptions are raised and it was not reported yet.

        Errors raised after the client hung up on an unfinished response are not reported.

        Safe to call from any thread once the app has finished.
        """
        error = self._error
        if error is None or not self._raise or self._error_reported:
            return
        if self._disconnected:
            # The test hung up on purpose; whatever the app raised from then on (its framework's own
            # "client disconnected" error, typically) would reach no client in production either.
            return
        self._error_reported = True
        raise error


def _build_response(
    head: ResponseHead, stream: httpx.SyncByteStream | httpx.AsyncByteStream, exchange: HTTPExchange
) -> httpx.Response:
    status, headers, debug = head
    response = httpx.Response(status, headers=headers, stream=stream)
    if exchange.trailers_expected:
        # The list fills in as the body is read: the trailers come after it.
        response.extensions["http.response.trailers"] = exchange.trailers
    if isinstance(debug, Mapping):
        # Starlette's template responses report the template and context this way; tests assert on them.
        if "template" in debug:
            response.template = debug["template"]  # type: ignore[attr-defined]
        if "context" in debug:
            response.context = debug["context"]  # type: ignore[attr-defined]
    if debug is not None:
        response.extensions["http.response.debug"] = debug
    return response


async def _begin_http(
    task_group: TaskGroup, exchange_args: tuple[ASGIApp, Scope, _BodySource, bool]
) -> tuple[HTTPExchange, ResponseHead]:
    app, scope, body, raise_server_exceptions = exchange_args
    exchange = HTTPExchange(app, scope, body, raise_server_exceptions=raise_server_exceptions)
    task_group.start_soon(exchange.run)
    head = await exchange.wait_response_start()
    return exchange, head


class _PortalResponseStream(httpx.SyncByteStream):
    __slots__ = ("_closed", "_exchange", "_handle")

    def __init__(self, handle: LoopHandle, exchange: HTTPExchange) -> None:
        self._handle = handle
        self._exchange = exchange
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        portal = self._handle.portal
        while True:
            with _test_outcomes():
                chunk = portal.call(self._exchange.read_body)
            if chunk is None:
                return
            yield chunk

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._handle.stopped:
            # The client was closed under an open response: the loop cancelled the app already.
            with _test_outcomes():
                self._exchange.raise_pending_error()
            return
        with _test_outcomes():
            self._handle.portal.call(self._exchange.aclose)


class ConnectionSettings(TypedDict, total=False):
    """The keyword arguments both transports take, with the defaults of :class:`_AppConnection`."""

    raise_server_exceptions: bool
    root_path: str
    client: tuple[str, int] | None
    app_state: dict[str, Any] | None


class _AppConnection:
    """What both transports share: the app, the scope settings, and building scopes from httpx requests."""

    __test__ = False  # not a test class

    def __init__(
        self,
        app: ASGIApp,
        *,
        raise_server_exceptions: bool = True,
        root_path: str = "",
        client: tuple[str, int] | None = ("testclient", 50000),
        app_state: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.client = client
        self.app_state: dict[str, Any] = app_state if app_state is not None else {}

    def http_scope(self, request: httpx.Request) -> Scope:
        """The ASGI ``http`` scope for an httpx request, with these settings.

        The URL gives scheme, server, path and query string, the request's headers the scope headers; ``path``
        stays the URL path under a ``root_path``, as in Starlette. Each scope gets a shallow copy of the lifespan
        state, and ``raise_server_exceptions`` is advertised through the ``fasterapi.raise_server_exceptions``
        extension.

        Raises:
            httpx.UnsupportedProtocol: The URL scheme is not ``http`` or ``https``.
        """
        scheme = request.url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"The test client only speaks http and https, not {scheme!r}")
        scope = self._connection_scope(request, scheme)
        scope["type"] = "http"
        scope["method"] = request.method
        scope["extensions"]["http.response.debug"] = {}
        scope["extensions"]["http.response.trailers"] = {}
        return scope

    def websocket_scope(self, request: httpx.Request) -> Scope:
        """The ASGI ``websocket`` scope for the handshake request (``http``/``https`` map to ``ws``/``wss``).

        The requested subprotocols are read from the ``Sec-WebSocket-Protocol`` header; the rest is as for
        :meth:`http_scope`, except that the ``fasterapi.raise_server_exceptions`` extension is always true.

        Raises:
            httpx.UnsupportedProtocol: The URL scheme is not one of ``http``, ``https``, ``ws`` or ``wss``.
        """
        scheme = _WEBSOCKET_SCHEMES.get(request.url.scheme)
        if scheme is None:
            raise httpx.UnsupportedProtocol(f"A WebSocket URL needs a ws, wss, http or https scheme: {request.url}")
        scope = self._connection_scope(request, scheme)
        requested = request.headers.get_list("sec-websocket-protocol", split_commas=True)
        scope["type"] = "websocket"
        scope["subprotocols"] = [name for name in requested if name]
        scope["extensions"]["websocket.http.response"] = {}
        # As Starlette's client: a websocket session reports the app's error to the test whatever
        # raise_server_exceptions says (that option turns HTTP errors into 500 answers).
        scope["extensions"][RAISE_SERVER_EXCEPTIONS_EXTENSION] = True
        return scope

    def _connection_scope(self, request: httpx.Request, scheme: str) -> dict[str, Any]:
        url = request.url
        port = url.port if url.port is not None else _DEFAULT_PORTS[scheme]
        return {
            "asgi": dict(_ASGI_VERSIONS),
            "http_version": "1.1",
            "scheme": scheme,
            "server": (url.host, port),
            "client": self.client,
            "root_path": self.root_path,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "headers": _scope_headers(request),
            "state": dict(self.app_state),
            "extensions": {RAISE_SERVER_EXCEPTIONS_EXTENSION: self.raise_server_exceptions},
        }


class TestClientTransport(_AppConnection, httpx.BaseTransport):
    """Sync httpx transport that runs every request on the event loop of an :class:`EventLoopThread`.

    Args:
        app: The ASGI app.
        loop: The loop thread shared with the client's lifespan and WebSocket sessions.
        raise_server_exceptions: Re-raise the app's exceptions in the test instead of answering ``500``.
        root_path: The scope's ``root_path``.
        client: The scope's ``client`` address.
        app_state: The lifespan state, shallow-copied into every request scope.
    """

    __test__ = False  # not a test class, despite the name

    def __init__(self, app: ASGIApp, loop: EventLoopThread, **settings: Unpack[ConnectionSettings]) -> None:
        super().__init__(app, **settings)
        self.loop = loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app for ``request`` and return its response, with a body streamed from the loop."""
        scope = self.http_scope(request)
        handle = self.loop.handle()
        args = (self.app, scope, _request_body(request), self.raise_server_exceptions)
        with _test_outcomes():
            exchange, head = handle.portal.call(_begin_http, handle.task_group, args)
        return _build_response(head, _PortalResponseStream(handle, exchange), exchange)


class _AsyncResponseStream(httpx.AsyncByteStream):
    __slots__ = ("_exchange",)

    def __init__(self, exchange: HTTPExchange) -> None:
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            with _test_outcomes():
                chunk = await self._exchange.read_body()
            if chunk is None:
                return
            yield chunk

    async def aclose(self) -> None:
        with _test_outcomes():
            await self._exchange.aclose()


class AsyncTestClientTransport(_AppConnection, httpx.AsyncBaseTransport):
    """Async httpx transport that runs the app on the caller's event loop.

    While :attr:`task_group` is set (the :class:`~fasterapi_testing.AsyncTestClient` is entered), responses
    are streamed from an app task in that group; otherwise each request runs the app to completion and
    buffers the body. Arguments are those of :class:`TestClientTransport`, without the loop.
    """

    __test__ = False  # not a test class, despite the name

    #: The task group responses stream from while the client is entered; ``None`` buffers each response.
    task_group: TaskGroup | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app for ``request`` on the current loop and return its response."""
        scope = self.http_scope(request)
        exchange = HTTPExchange(
            self.app, scope, _request_body(request), raise_server_exceptions=self.raise_server_exceptions
        )
        with _test_outcomes():
            if self.task_group is not None:
                self.task_group.start_soon(exchange.run)
                head = await exchange.wait_response_start()
                return _build_response(head, _AsyncResponseStream(exchange), exchange)
            return await self._run_buffered(exchange)

    @staticmethod
    async def _run_buffered(exchange: HTTPExchange) -> httpx.Response:
        error: Exception | None = None
        chunks: list[bytes] = []
        head: ResponseHead | None = None
        # Errors are caught inside the task group and raised after it: anyio would wrap them in an ExceptionGroup.
        async with anyio.create_task_group() as task_group:
            task_group.start_soon(exchange.run)
            try:
                head = await exchange.wait_response_start()
                while (chunk := await exchange.read_body()) is not None:
                    chunks.append(chunk)
                await exchange.aclose()
            except Exception as exc:
                error = exc
        if error is not None:
            raise error
        assert head is not None
        return _build_response(head, httpx.ByteStream(b"".join(chunks)), exchange)
