"""WebSocket test sessions: the app runs concurrently with the test, connected by two message queues."""

from __future__ import annotations

import base64
import enum
import json
import os
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Final, Literal

import anyio
import httpx
from anyio.abc import TaskGroup

from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.types import ASGIApp, Message, Scope
from fasterapi_testing._transport import ClientDisconnectedError, EventLoopThread, LoopHandle, MessageQueue

__all__ = (
    "DEFAULT_RECEIVE_TIMEOUT",
    "AsyncWebSocketTestSession",
    "JSONMode",
    "WebSocketChannel",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
    "build_websocket_request",
    "open_websocket",
)

DEFAULT_RECEIVE_TIMEOUT: Final = 10.0
"""Seconds a session waits for a message from the app before failing the test."""

# How long an app may keep running after a handshake that did not lead to a session.
_HANDSHAKE_GRACE_SECONDS: Final = 1.0

JSONMode = Literal["text", "binary"]


class WebSocketDenialResponse(WebSocketDisconnect):
    """The app refused the handshake with an HTTP response (the ASGI ``websocket.http.response`` extension).

    Also raised, with a ``500`` response, when the app fails before accepting and server exceptions are not
    raised. The response is available as :attr:`response`, and its usual attributes directly on the exception.

    Args:
        response: The HTTP response the app sent instead of accepting.
    """

    def __init__(self, response: httpx.Response) -> None:
        # No close frame was ever exchanged; 1006 is what WebSocket clients report for a failed handshake.
        super().__init__(1006, f"HTTP {response.status_code} {response.reason_phrase}".rstrip())
        self.response = response

    @property
    def status_code(self) -> int:
        """The status code of the denial response."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The headers of the denial response."""
        return self.response.headers

    @property
    def content(self) -> bytes:
        """The body of the denial response."""
        return self.response.content

    @property
    def text(self) -> str:
        """The body of the denial response, decoded."""
        return self.response.text

    def json(self, **kwargs: Any) -> Any:
        """The body of the denial response, parsed as JSON."""
        return self.response.json(**kwargs)


class _AppState(enum.Enum):
    CONNECTING = enum.auto()
    CONNECTED = enum.auto()
    RESPONDING = enum.auto()
    CLOSED = enum.auto()


class WebSocketChannel:
    """The two queues between a test and an app speaking ASGI WebSocket, plus the app's task state.

    Must be created on the event loop that runs :meth:`run`. Test-side methods (:meth:`connect`, :meth:`send`,
    :meth:`receive`, :meth:`close`, :meth:`finish`) run on that loop too; the sync session reaches them through
    a portal.
    """

    __slots__ = (
        "_app",
        "_app_close",
        "_cancel_scope",
        "_client_close",
        "_delivered_close",
        "_error",
        "_error_after_client_close",
        "_error_reported",
        "_finished",
        "_from_app",
        "_raise",
        "_scope",
        "_state",
        "_to_app",
        "accepted_subprotocol",
        "extra_headers",
    )

    def __init__(self, app: ASGIApp, scope: Scope, *, raise_server_exceptions: bool) -> None:
        self._app = app
        self._scope = scope
        self._raise = raise_server_exceptions
        self._to_app: MessageQueue[Message] = MessageQueue()
        self._from_app: MessageQueue[Message] = MessageQueue()
        self._to_app.put({"type": "websocket.connect"})
        self._state = _AppState.CONNECTING
        self._client_close: Message | None = None
        self._app_close: Message | None = None
        self._delivered_close: Message | None = None
        self._error: Exception | None = None
        self._error_after_client_close = False
        self._error_reported = False
        self._finished = anyio.Event()
        self._cancel_scope = anyio.CancelScope()
        self.accepted_subprotocol: str | None = None
        self.extra_headers: list[tuple[bytes, bytes]] = []

    async def run(self) -> None:
        """Run the app. Never raises an ``Exception``: app errors are kept for the test side."""
        try:
            with self._cancel_scope:
                await self._app(self._scope, self._app_receive, self._app_send)
        except Exception as exc:
            self._error = exc
            self._error_after_client_close = self._client_close is not None
        finally:
            self._finished.set()
            self._from_app.close()

    # --- the app's side ---

    async def _app_receive(self) -> Message:
        if self._app_close is not None:
            # ASGI: after the app closes, the server reports the disconnect with the app's close code.
            return {"type": "websocket.disconnect", "code": self._app_close.get("code", 1000)}
        message = await self._to_app.get()
        if message is None:
            # The test closed the session: every further receive repeats its disconnect message.
            assert self._client_close is not None
            return dict(self._client_close)
        return message

    async def _app_send(self, message: Message) -> None:
        kind = message["type"]
        state = self._state
        if self._client_close is not None:
            if kind == "websocket.close":  # closing a connection the client already closed is harmless
                self._state = _AppState.CLOSED
                return
            raise ClientDisconnectedError("The test client closed the WebSocket")
        if state is _AppState.CONNECTING:
            if kind == "websocket.accept":
                self._state = _AppState.CONNECTED
            elif kind == "websocket.close":
                self._state = _AppState.CLOSED
                self._app_close = message
            elif kind == "websocket.http.response.start":
                self._state = _AppState.RESPONDING
            else:
                raise RuntimeError(
                    "Expected 'websocket.accept', 'websocket.close' or 'websocket.http.response.start' "
                    f"from the ASGI app, got {kind!r}"
                )
        elif state is _AppState.CONNECTED:
            if kind == "websocket.send":
                if (message.get("text") is None) == (message.get("bytes") is None):
                    raise RuntimeError("A 'websocket.send' message needs exactly one of 'text' and 'bytes'")
            elif kind == "websocket.close":
                self._state = _AppState.CLOSED
                self._app_close = message
            else:
                raise RuntimeError(f"Expected 'websocket.send' or 'websocket.close' from the ASGI app, got {kind!r}")
        elif state is _AppState.RESPONDING:
            if kind != "websocket.http.response.body":
                raise RuntimeError(f"Expected 'websocket.http.response.body' from the ASGI app, got {kind!r}")
            if not message.get("more_body", False):
                self._state = _AppState.CLOSED
        else:
            raise RuntimeError(f"The ASGI app sent {kind!r} after the WebSocket was closed")
        self._from_app.put(message)

    # --- the test's side ---

    async def _next_from_app(self, time_limit: float) -> Message | None:
        try:
            with anyio.fail_after(time_limit):
                return await self._from_app.get()
        except TimeoutError:
            raise TimeoutError(f"The ASGI app sent no WebSocket message within {time_limit:g} s") from None

    def _take_error(self) -> Exception | None:
        if self._error is None or not self._raise or self._error_reported:
            return None
        self._error_reported = True
        return self._error

    def _handshake_failed(self) -> WebSocketDisconnect | Exception:
        error = self._take_error()
        if error is not None:
            return error
        if self._raise:
            return RuntimeError("The ASGI app returned without accepting or closing the WebSocket")
        return WebSocketDenialResponse(httpx.Response(500, text="Internal Server Error"))

    async def connect(self, time_limit: float) -> None:
        """Wait for the app to accept the connection.

        Raises:
            WebSocketDisconnect: The app closed the connection before accepting (with the app's code).
            WebSocketDenialResponse: The app answered the handshake with an HTTP response.
            Exception: The app's own exception, when it failed before accepting and server exceptions are raised.
            TimeoutError: The app did not answer within ``time_limit`` seconds.
        """
        message = await self._next_from_app(time_limit)
        if message is None:
            raise self._handshake_failed()
        kind = message["type"]
        if kind == "websocket.accept":
            self.accepted_subprotocol = message.get("subprotocol")
            self.extra_headers = [(bytes(name), bytes(value)) for name, value in message.get("headers") or ()]
            return
        if kind == "websocket.close":
            self._delivered_close = message
            raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
        body: list[bytes] = []
        while True:
            part = await self._next_from_app(time_limit)
            if part is None:
                raise self._handshake_failed()
            body.append(bytes(part.get("body", b"")))
            if not part.get("more_body", False):
                break
        headers = [(bytes(name), bytes(value)) for name, value in message.get("headers", ())]
        raise WebSocketDenialResponse(httpx.Response(int(message["status"]), headers=headers, content=b"".join(body)))

    async def send(self, message: Message) -> None:
        """Queue a message for the app (``{"type": "websocket.receive", "text": ...}`` or ``"bytes"``)."""
        if self._client_close is not None:
            raise RuntimeError("The WebSocket session is closed; no more messages can be sent")
        self._to_app.put(message)

    async def receive(self, time_limit: float) -> Message:
        """Return the next message from the app: ``websocket.send`` or, once, ``websocket.close``.

        When the app returns without closing, a close with code ``1000`` is reported; when it fails and server
        exceptions are not raised, a close with code ``1011``.

        Raises:
            WebSocketDisconnect: The connection is already closed (by the app or the test).
            Exception: The app's exception, when server exceptions are raised.
            TimeoutError: No message within ``time_limit`` seconds.
        """
        closed = self._delivered_close or self._client_close
        if closed is not None:
            # A crash of the app says more than the disconnect it caused.
            error = self._take_error() if self._finished.is_set() else None
            if error is not None:
                raise error
            raise WebSocketDisconnect(closed.get("code", 1000), closed.get("reason"))
        message = await self._next_from_app(time_limit)
        if message is None:
            error = self._take_error()
            if error is not None:
                raise error
            if self._error is not None:
                message = {"type": "websocket.close", "code": 1011, "reason": "Internal Server Error"}
            else:
                message = {"type": "websocket.close", "code": 1000, "reason": ""}
        if message["type"] == "websocket.close":
            self._delivered_close = message
        return message

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Tell the app the client closed the connection. Idempotent."""
        if self._client_close is not None:
            return
        self._client_close = {"type": "websocket.disconnect", "code": code, "reason": reason or ""}
        self._to_app.put(self._client_close)
        self._to_app.close()

    async def finish(self, time_limit: float, *, raise_errors: bool = True) -> None:
        """Close from the client side if needed, wait for the app to return, then report its exception.

        An app still running after ``time_limit`` seconds is cancelled. As with Starlette's test client, a
        ``WebSocketDisconnect`` the app let escape when the client closed is raised here: the endpoint did not
        handle the disconnect. An ``OSError`` such as :class:`ClientDisconnectedError` from a send after the close
        is not an error.
        """
        await self.close(1000)
        with anyio.move_on_after(time_limit):
            await self._finished.wait()
        self._cancel_scope.cancel()
        await self._finished.wait()
        if not raise_errors:
            return
        if self._error_after_client_close and isinstance(self._error, OSError):
            return
        error = self._take_error()
        if error is not None:
            raise error


def _app_error_wins(exc_type: type[BaseException] | None) -> bool:
    # A crash of the app is reported over a clean exit and over the disconnect it caused (the close it sent),
    # but never hides the test's own failure.
    return exc_type is None or issubclass(exc_type, WebSocketDisconnect)


async def open_websocket(
    task_group: TaskGroup, app: ASGIApp, scope: Scope, raise_server_exceptions: bool, time_limit: float
) -> WebSocketChannel:
    """Start ``app`` for a WebSocket ``scope`` in ``task_group`` and wait until it accepts.

    If the handshake fails, the app is given a moment to return (then cancelled) before the error is raised.
    """
    channel = WebSocketChannel(app, scope, raise_server_exceptions=raise_server_exceptions)
    task_group.start_soon(channel.run)
    try:
        await channel.connect(time_limit)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await channel.finish(_HANDSHAKE_GRACE_SECONDS, raise_errors=False)
        raise
    return channel


def build_websocket_request(
    build_request: Callable[..., httpx.Request],
    url: str | httpx.URL,
    subprotocols: Sequence[str] | Mapping[str, str] | None,
    query_string: str,
    *,
    headers: Mapping[str, str] | None,
    params: Any,
    cookies: Any,
) -> httpx.Request:
    """Build the handshake request with the client's base URL, default headers and cookies.

    A mapping given as ``subprotocols`` is taken as ``headers``: that is the second positional parameter of the
    ``websocket_connect(path, headers=None, query_string="")`` signature this also supports.
    """
    if isinstance(subprotocols, Mapping):
        if headers is not None:
            raise TypeError("websocket_connect() got headers both positionally and by keyword")
        headers, subprotocols = subprotocols, None
    if isinstance(subprotocols, str):
        subprotocols = [subprotocols]
    handshake = {
        "connection": "upgrade",
        "upgrade": "websocket",
        "sec-websocket-key": base64.b64encode(os.urandom(16)).decode("ascii"),
        "sec-websocket-version": "13",
    }
    if subprotocols:
        handshake["sec-websocket-protocol"] = ", ".join(subprotocols)
    if headers is not None:
        handshake.update({name.lower(): value for name, value in headers.items()})
    request = build_request("GET", url, params=params, headers=handshake, cookies=cookies)
    extra_query = query_string.lstrip("?")
    if extra_query:
        query = request.url.query
        merged = f"{query.decode('ascii')}&{extra_query}" if query else extra_query
        request.url = request.url.copy_with(query=merged.encode("utf-8"))
    return request


def _text_message(data: str) -> Message:
    return {"type": "websocket.receive", "text": data}


def _bytes_message(data: bytes) -> Message:
    return {"type": "websocket.receive", "bytes": bytes(data)}


def _json_message(data: Any, mode: JSONMode) -> Message:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if mode == "text":
        return _text_message(text)
    if mode == "binary":
        return _bytes_message(text.encode("utf-8"))
    raise ValueError(f"mode must be 'text' or 'binary', not {mode!r}")


def _raise_on_close(message: Message) -> None:
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))


def _message_text(message: Message) -> str:
    _raise_on_close(message)
    text = message.get("text")
    if text is None:
        raise TypeError(f"Expected a text message from the app, got bytes: {message.get('bytes')!r}")
    return str(text)


def _message_bytes(message: Message) -> bytes:
    _raise_on_close(message)
    data = message.get("bytes")
    if data is None:
        raise TypeError(f"Expected a binary message from the app, got text: {message.get('text')!r}")
    return bytes(data)


def _message_json(message: Message, mode: JSONMode) -> Any:
    if mode == "text":
        return json.loads(_message_text(message))
    if mode == "binary":
        return json.loads(_message_bytes(message))
    raise ValueError(f"mode must be 'text' or 'binary', not {mode!r}")


class WebSocketTestSession:
    """A WebSocket connection from a :class:`~fasterapi_testing.TestClient` to the app, used as a context manager.

    The app runs on the client's event loop, concurrently with the test; entering the session performs the
    handshake, leaving it closes the connection (code 1000), waits for the app to return and re-raises the
    app's exception (when server exceptions are raised; it never hides an exception of the test other than a
    ``WebSocketDisconnect``).

    Example:
        >>> with client.websocket_connect("/ws") as websocket:
        ...     websocket.send_text("hello")
        ...     assert websocket.receive_text() == "Echo: hello"

    Attributes:
        receive_timeout: Seconds a receive waits for the app before raising :class:`TimeoutError`.
    """

    __slots__ = ("_app", "_channel", "_handle", "_loop", "_raise", "receive_timeout", "scope")

    def __init__(
        self,
        app: ASGIApp,
        scope: Scope,
        loop: EventLoopThread,
        *,
        raise_server_exceptions: bool = True,
        receive_timeout: float = DEFAULT_RECEIVE_TIMEOUT,
    ) -> None:
        self._app = app
        self._loop = loop
        self._raise = raise_server_exceptions
        self._handle: LoopHandle | None = None
        self._channel: WebSocketChannel | None = None
        self.scope = scope
        self.receive_timeout = receive_timeout

    def __enter__(self) -> WebSocketTestSession:
        if self._handle is not None:
            raise RuntimeError("A WebSocketTestSession can be entered only once")
        handle = self._handle = self._loop.handle()
        self._channel = handle.portal.call(
            open_websocket, handle.task_group, self._app, self.scope, self._raise, self.receive_timeout
        )
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        handle, channel = self._handle, self._channel
        if handle is None or channel is None or handle.stopped:
            return
        self._channel = None
        handle.portal.call(partial(channel.finish, self.receive_timeout, raise_errors=_app_error_wins(exc_type)))

    def _connected(self) -> tuple[LoopHandle, WebSocketChannel]:
        handle, channel = self._handle, self._channel
        if handle is None or channel is None:
            raise RuntimeError("Use the session as a context manager: `with client.websocket_connect(...) as ws:`")
        return handle, channel

    @property
    def accepted_subprotocol(self) -> str | None:
        """The subprotocol the app chose when accepting, if any."""
        return self._connected()[1].accepted_subprotocol

    @property
    def extra_headers(self) -> list[tuple[bytes, bytes]]:
        """The extra headers the app sent with ``websocket.accept``."""
        return self._connected()[1].extra_headers

    def send(self, message: Message) -> None:
        """Send a raw ASGI message to the app, for example ``{"type": "websocket.receive", "text": "hi"}``."""
        handle, channel = self._connected()
        handle.portal.call(channel.send, message)

    def send_text(self, data: str) -> None:
        """Send a text message."""
        self.send(_text_message(data))

    def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        self.send(_bytes_message(data))

    def send_json(self, data: Any, mode: JSONMode = "text") -> None:
        """Send ``data`` encoded as JSON, in a text (default) or binary message."""
        self.send(_json_message(data, mode))

    def receive(self) -> Message:
        """Receive the next raw ASGI message from the app (``websocket.send`` or ``websocket.close``).

        Raises:
            WebSocketDisconnect: The connection was already closed.
            TimeoutError: Nothing arrived within :attr:`receive_timeout` seconds.
        """
        handle, channel = self._connected()
        return handle.portal.call(channel.receive, self.receive_timeout)

    def receive_text(self) -> str:
        """Receive a text message. Raises :class:`WebSocketDisconnect` if the app closed instead."""
        return _message_text(self.receive())

    def receive_bytes(self) -> bytes:
        """Receive a binary message. Raises :class:`WebSocketDisconnect` if the app closed instead."""
        return _message_bytes(self.receive())

    def receive_json(self, mode: JSONMode = "text") -> Any:
        """Receive a JSON message sent as text (default) or binary."""
        return _message_json(self.receive(), mode)

    def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection from the client side; the app receives ``websocket.disconnect``."""
        handle, channel = self._connected()
        handle.portal.call(channel.close, code, reason)


class AsyncWebSocketTestSession:
    """The async counterpart of :class:`WebSocketTestSession`, used with ``async with`` on the caller's loop.

    Example:
        >>> async with client.websocket_connect("/ws") as websocket:
        ...     await websocket.send_json({"ping": 1})
        ...     assert await websocket.receive_json() == {"pong": 1}
    """

    __slots__ = ("_app", "_channel", "_raise", "_task_group", "receive_timeout", "scope")

    def __init__(
        self,
        app: ASGIApp,
        scope: Scope,
        *,
        raise_server_exceptions: bool = True,
        receive_timeout: float = DEFAULT_RECEIVE_TIMEOUT,
    ) -> None:
        self._app = app
        self._raise = raise_server_exceptions
        self._task_group: TaskGroup | None = None
        self._channel: WebSocketChannel | None = None
        self.scope = scope
        self.receive_timeout = receive_timeout

    async def __aenter__(self) -> AsyncWebSocketTestSession:
        if self._task_group is not None:
            raise RuntimeError("An AsyncWebSocketTestSession can be entered only once")
        # Entered and exited by hand so that errors raised here are not wrapped in ExceptionGroups.
        task_group = self._task_group = anyio.create_task_group()
        await task_group.__aenter__()
        try:
            self._channel = await open_websocket(task_group, self._app, self.scope, self._raise, self.receive_timeout)
        except BaseException:
            await task_group.__aexit__(None, None, None)
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        task_group, channel = self._task_group, self._channel
        if task_group is None or channel is None:
            return
        self._channel = None
        try:
            await channel.finish(self.receive_timeout, raise_errors=_app_error_wins(exc_type))
        finally:
            await task_group.__aexit__(None, None, None)

    def _connected(self) -> WebSocketChannel:
        if self._channel is None:
            raise RuntimeError(
                "Use the session as an async context manager: `async with client.websocket_connect(...) as ws:`"
            )
        return self._channel

    @property
    def accepted_subprotocol(self) -> str | None:
        """The subprotocol the app chose when accepting, if any."""
        return self._connected().accepted_subprotocol

    @property
    def extra_headers(self) -> list[tuple[bytes, bytes]]:
        """The extra headers the app sent with ``websocket.accept``."""
        return self._connected().extra_headers

    async def send(self, message: Message) -> None:
        """Send a raw ASGI message to the app."""
        await self._connected().send(message)

    async def send_text(self, data: str) -> None:
        """Send a text message."""
        await self.send(_text_message(data))

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        await self.send(_bytes_message(data))

    async def send_json(self, data: Any, mode: JSONMode = "text") -> None:
        """Send ``data`` encoded as JSON, in a text (default) or binary message."""
        await self.send(_json_message(data, mode))

    async def receive(self) -> Message:
        """Receive the next raw ASGI message from the app (``websocket.send`` or ``websocket.close``)."""
        return await self._connected().receive(self.receive_timeout)

    async def receive_text(self) -> str:
        """Receive a text message. Raises :class:`WebSocketDisconnect` if the app closed instead."""
        return _message_text(await self.receive())

    async def receive_bytes(self) -> bytes:
        """Receive a binary message. Raises :class:`WebSocketDisconnect` if the app closed instead."""
        return _message_bytes(await self.receive())

    async def receive_json(self, mode: JSONMode = "text") -> Any:
        """Receive a JSON message sent as text (default) or binary."""
        return _message_json(await self.receive(), mode)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection from the client side; the app receives ``websocket.disconnect``."""
        await self._connected().close(code, reason)
