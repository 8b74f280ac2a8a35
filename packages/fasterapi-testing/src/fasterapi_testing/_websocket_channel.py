"""The app side of a WebSocket test session: the app task, its two message queues and the handshake."""

from __future__ import annotations

import enum
from typing import Any, Final

import anyio
import httpx
from anyio.abc import TaskGroup

from fasterapi_core.exceptions import WebSocketDisconnect
from fasterapi_core.types import ASGIApp, Message, Scope
from fasterapi_testing._transport import ClientDisconnectedError, MessageQueue

__all__ = ("WebSocketChannel", "WebSocketDenialResponse", "open_websocket")

# How long an app may keep running after a handshake that did not lead to a session.
_HANDSHAKE_GRACE_SECONDS: Final = 1.0
#: How long an app may take to end once the session closed (it has the disconnect) before it is cancelled.
_CLOSE_GRACE_SECONDS: Final = 1.0


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

        An app still running a moment after the close (``time_limit`` seconds at most) is cancelled, as Starlette's
        client cancels it: one that ignores the disconnect does not hold the test up. As with Starlette's test client, a
        ``WebSocketDisconnect`` the app let escape when the client closed is raised here: the endpoint did not
        handle the disconnect. An ``OSError`` such as :class:`ClientDisconnectedError` from a send after the close
        is not an error.
        """
        await self.close(1000)
        with anyio.move_on_after(min(time_limit, _CLOSE_GRACE_SECONDS)):
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
    except BaseException as exc:
        with anyio.CancelScope(shield=True):
            await channel.finish(_HANDSHAKE_GRACE_SECONDS, raise_errors=False)
        if isinstance(exc, WebSocketDisconnect):
            # The close the app sent as it failed before accepting: its exception says more (Starlette's client
            # raises it too).
            error = channel._take_error()
            if error is not None:
                raise error from None
        raise
    return channel
