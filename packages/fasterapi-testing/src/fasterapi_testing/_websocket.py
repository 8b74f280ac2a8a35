"""WebSocket test sessions: the app runs concurrently with the test, connected by two message queues."""

from __future__ import annotations

import base64
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
from fasterapi_testing._transport import EventLoopThread, LoopHandle

from ._websocket_channel import WebSocketChannel, WebSocketDenialResponse, _app_error_wins, open_websocket

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

JSONMode = Literal["text", "binary"]


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
