"""The WebSocket connection object handed to ``@app.websocket`` endpoints."""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, Literal

import msgspec

from fasterapi_core._json_documents import JSONDocumentError, decode_json_document
from fasterapi_core.datastructures import Headers
from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.requests import HTTPConnection
from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("WebSocket", "WebSocketClose", "WebSocketDisconnect", "WebSocketDisconnected", "WebSocketState")

_JSON_ENCODER = msgspec.json.Encoder()
_CLOSE_UNSUPPORTED_DATA = 1003
_CLOSE_ABNORMAL = 1006
_CLOSE_INVALID_PAYLOAD = 1007


class WebSocketState(enum.Enum):
    """Where one side of a WebSocket connection is in its lifecycle."""

    CONNECTING = 0
    CONNECTED = 1
    DISCONNECTED = 2
    RESPONSE = 3


class WebSocketDisconnected(RuntimeError):
    """A WebSocket was used when it cannot be: sending after ``close()``, or reading before ``accept()``."""


class _ReceiveAfterDisconnect(WebSocketDisconnect, WebSocketDisconnected):
    """Reading again after the client's disconnect: a ``WebSocketDisconnect`` for ``except WebSocketDisconnect``
    loops, and Starlette's ``WebSocketDisconnected`` (a ``RuntimeError``) for code written against Starlette."""


def _check_mode(mode: str) -> None:
    if mode not in ("text", "binary"):
        raise RuntimeError('The "mode" argument should be "text" or "binary".')


class WebSocket(HTTPConnection):
    """A WebSocket connection.

    ``client_state`` follows what the client did (connect, disconnect) and ``application_state``
    what the application did (accept, close). Receiving once the client has gone raises
    :class:`WebSocketDisconnect` immediately; sending once the application has closed raises
    ``RuntimeError``.

    Args:
        scope: The ASGI ``websocket`` scope.
        receive: The ASGI receive callable.
        send: The ASGI send callable.

    Example:
        >>> async def echo(websocket: WebSocket) -> None:
        ...     await websocket.accept()
        ...     async for text in websocket.iter_text():
        ...         await websocket.send_text(f"Echo: {text}")
    """

    # ``__dict__``: code may set attributes of its own on a connection, as on a Starlette one (see ``Request``).
    __slots__ = ("__dict__", "_close_code", "_close_reason", "_send", "application_state", "client_state")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        super().__init__(scope, receive)
        self._send = send
        self.client_state = WebSocketState.CONNECTING
        self.application_state = WebSocketState.CONNECTING
        self._close_code = 1000
        self._close_reason = ""

    def _client_gone(self, message: Message) -> None:
        self.client_state = WebSocketState.DISCONNECTED
        self._close_code = message.get("code") or 1000
        self._close_reason = message.get("reason") or ""

    async def receive(self) -> Message:
        """Receive the next raw ASGI message.

        Raises:
            WebSocketDisconnect: When the client has already disconnected (without waiting); it is also a
                ``WebSocketDisconnected``, as Starlette raises there.
            RuntimeError: When the server sends a message that is not valid at this point.
        """
        if self.client_state == WebSocketState.DISCONNECTED:
            raise _ReceiveAfterDisconnect(self._close_code, self._close_reason)
        message = await self._receive()
        message_type = message.get("type")
        if message_type == "websocket.disconnect":
            self._client_gone(message)
        elif self.client_state == WebSocketState.CONNECTING:
            if message_type != "websocket.connect":
                raise RuntimeError(f'Expected ASGI message "websocket.connect", but got {message_type!r}')
            self.client_state = WebSocketState.CONNECTED
        elif message_type != "websocket.receive":
            raise RuntimeError(
                f'Expected ASGI message "websocket.receive" or "websocket.disconnect", but got {message_type!r}'
            )
        return message

    async def send(self, message: Message) -> None:
        """Send a raw ASGI message, checking it is valid in the current state.

        Raises:
            RuntimeError: When the message is not valid now, for example after ``close()``.
            WebSocketDisconnect: When the client has gone away.
        """
        message_type = message.get("type")
        state = self.application_state
        if state == WebSocketState.CONNECTING:
            if message_type == "websocket.accept":
                self.application_state = WebSocketState.CONNECTED
            elif message_type == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            elif message_type == "websocket.http.response.start":
                self.application_state = WebSocketState.RESPONSE
            else:
                raise RuntimeError(
                    'Expected ASGI message "websocket.accept", "websocket.close" or '
                    f'"websocket.http.response.start", but got {message_type!r}'
                )
        elif state == WebSocketState.CONNECTED:
            if message_type == "websocket.close":
                self.application_state = WebSocketState.DISCONNECTED
            elif message_type != "websocket.send":
                raise RuntimeError(
                    f'Expected ASGI message "websocket.send" or "websocket.close", but got {message_type!r}'
                )
            elif self.client_state == WebSocketState.DISCONNECTED:
                raise WebSocketDisconnect(self._close_code, self._close_reason)
        elif state == WebSocketState.RESPONSE:
            if message_type != "websocket.http.response.body":
                raise RuntimeError(f'Expected ASGI message "websocket.http.response.body", but got {message_type!r}')
            if not message.get("more_body", False):
                self.application_state = WebSocketState.DISCONNECTED
        else:
            raise WebSocketDisconnected('Cannot call "send" once a close message has been sent.')
        try:
            await self._send(message)
        except OSError:
            # Servers report a connection lost mid-send as an OSError: that is a disconnect, not a bug.
            self.application_state = WebSocketState.DISCONNECTED
            raise WebSocketDisconnect(_CLOSE_ABNORMAL) from None

    async def accept(
        self,
        subprotocol: str | None = None,
        headers: Iterable[tuple[bytes, bytes]] | Mapping[str, str] | None = None,
    ) -> None:
        """Accept the connection, waiting for the client's connect message first if needed.

        Args:
            subprotocol: The subprotocol chosen from those the client offered.
            headers: Extra handshake response headers (a mapping, or raw byte pairs).

        Raises:
            WebSocketDisconnect: When the client left before being accepted.
            RuntimeError: When the connection was already accepted or closed.
        """
        if isinstance(headers, Mapping):
            raw_headers = Headers(headers).raw
        else:
            raw_headers = list(headers or ())
        if self.client_state == WebSocketState.CONNECTING:
            await self.receive()
        if self.client_state == WebSocketState.DISCONNECTED:
            raise WebSocketDisconnect(self._close_code, self._close_reason)
        await self.send({"type": "websocket.accept", "subprotocol": subprotocol, "headers": raw_headers})

    def _require_connected(self) -> None:
        if self.application_state != WebSocketState.CONNECTED:
            raise WebSocketDisconnected('WebSocket is not connected. Need to call "accept" first.')

    async def _receive_data(self) -> Message:
        self._require_connected()
        message = await self.receive()
        if message.get("type") == "websocket.disconnect":
            raise WebSocketDisconnect(self._close_code, self._close_reason)
        return message

    async def _reject(self, code: int, reason: str) -> WebSocketDisconnect:
        await self.close(code, reason)
        return WebSocketDisconnect(code, reason)

    async def receive_text(self) -> str:
        """Receive a text message.

        Raises:
            WebSocketDisconnect: When the client disconnects; also (code 1003, after closing the
                socket) when the client sends a binary message instead.
        """
        message = await self._receive_data()
        text: str | None = message.get("text")
        if text is None:
            raise await self._reject(_CLOSE_UNSUPPORTED_DATA, "Expected a text message")
        return text

    async def receive_bytes(self) -> bytes:
        """Receive a binary message.

        Raises:
            WebSocketDisconnect: When the client disconnects; also (code 1003, after closing the
                socket) when the client sends a text message instead.
        """
        message = await self._receive_data()
        data: bytes | None = message.get("bytes")
        if data is None:
            raise await self._reject(_CLOSE_UNSUPPORTED_DATA, "Expected a binary message")
        return data

    async def receive_json(self, mode: Literal["text", "binary"] = "text") -> Any:
        """Receive a message and decode it as JSON.

        Args:
            mode: Whether the JSON arrives in text or binary frames.

        Raises:
            WebSocketDisconnect: When the client disconnects; also, after closing the socket, with
                code 1007 for malformed JSON or 1003 for a frame of the wrong kind.
        """
        _check_mode(mode)
        payload: str | bytes = await (self.receive_text() if mode == "text" else self.receive_bytes())
        try:
            return decode_json_document(payload)
        except JSONDocumentError:
            raise await self._reject(_CLOSE_INVALID_PAYLOAD, "Invalid JSON") from None

    async def iter_text(self) -> AsyncIterator[str]:
        """Yield text messages until the client disconnects."""
        try:
            while True:
                yield await self.receive_text()
        except WebSocketDisconnect:
            return

    async def iter_bytes(self) -> AsyncIterator[bytes]:
        """Yield binary messages until the client disconnects."""
        try:
            while True:
                yield await self.receive_bytes()
        except WebSocketDisconnect:
            return

    async def iter_json(self) -> AsyncIterator[Any]:
        """Yield JSON messages (text frames) until the client disconnects."""
        try:
            while True:
                yield await self.receive_json()
        except WebSocketDisconnect:
            return

    async def send_text(self, data: str) -> None:
        """Send a text message."""
        await self.send({"type": "websocket.send", "text": data})

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary message."""
        await self.send({"type": "websocket.send", "bytes": data})

    async def send_json(self, data: Any, mode: Literal["text", "binary"] = "text") -> None:
        """Send ``data`` encoded as JSON, in a text frame (default) or a binary frame."""
        _check_mode(mode)
        encoded = _JSON_ENCODER.encode(data)
        if mode == "text":
            await self.send({"type": "websocket.send", "text": encoded.decode("utf-8")})
        else:
            await self.send({"type": "websocket.send", "bytes": encoded})

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection.

        Before ``accept()`` this rejects the handshake (the server answers ``403``). After the client has gone it
        does nothing.

        Raises:
            WebSocketDisconnected: When the socket was closed already, as Starlette raises.
        """
        if self.client_state == WebSocketState.DISCONNECTED and self.application_state == WebSocketState.CONNECTED:
            self.application_state = WebSocketState.DISCONNECTED
            return
        await self.send({"type": "websocket.close", "code": code, "reason": reason or ""})

    async def send_denial_response(self, response: ASGIApp) -> None:
        """Refuse the handshake with an HTTP response (a status, headers and body) instead of a bare ``403``.

        Needs the server's ``websocket.http.response`` extension (the test client has it).

        Raises:
            RuntimeError: When the server does not support the denial-response extension.
        """
        if "websocket.http.response" not in (self.scope.get("extensions") or {}):
            raise RuntimeError("The server doesn't support the Websocket Denial Response extension.")

        async def send_as_denial(message: Message) -> None:
            # Response classes that speak plain HTTP (streaming, files) have their messages renamed here.
            message_type = message["type"]
            if message_type.startswith("http.response."):
                message = {**message, "type": "websocket." + message_type}
            await self.send(message)

        async def receive_as_http() -> Message:
            # A response that watches for the client leaving (streaming) waits for HTTP's disconnect message; the
            # connection's end, however it is told, is that.
            try:
                message = await self.receive()
            except WebSocketDisconnect:
                return {"type": "http.disconnect"}
            return {"type": "http.disconnect"} if message.get("type") == "websocket.disconnect" else message

        await response(self.scope, receive_as_http, send_as_denial)


class WebSocketClose:
    """An ASGI app that closes the WebSocket connection it is given (before accepting it, that is a refusal: 403).

    Args:
        code: The close code (1000, a normal closure, by default).
        reason: The close reason sent to the client.

    Example:
        >>> refuse = WebSocketClose(code=1008, reason="moved")
        >>> refuse.code, refuse.reason
        (1008, 'moved')
    """

    def __init__(self, code: int = 1000, reason: str | None = None) -> None:
        self.code = code
        self.reason = reason or ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "websocket.close", "code": self.code, "reason": self.reason})
