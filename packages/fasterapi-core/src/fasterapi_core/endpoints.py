"""Class-based endpoints in Starlette's style: one method per HTTP verb, or callbacks per WebSocket event.

A class is the ASGI application: ``Route("/items", ItemsEndpoint)`` (or ``app.add_route``) calls
``ItemsEndpoint(scope, receive, send)`` and awaits the instance, which dispatches the request.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any, Literal

from fasterapi_core.background import _is_async_callable
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import Request
from fasterapi_core.responses import PlainTextResponse, Response
from fasterapi_core.types import Message, Receive, Scope, Send
from fasterapi_core.websockets import WebSocket

__all__ = ("HTTPEndpoint", "WebSocketEndpoint")

_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY")
_WS_1000_NORMAL_CLOSURE = 1000
_WS_1003_UNSUPPORTED_DATA = 1003
_WS_1011_INTERNAL_ERROR = 1011


class HTTPEndpoint:
    """An HTTP endpoint class: define ``get``/``post``/... methods taking the ``Request`` and returning a response.

    ``HEAD`` is answered by ``get`` unless the class defines ``head``; any other request method (one the class
    lacks, or not an HTTP verb) gets ``405`` with an ``Allow`` header listing those it has. Sync methods run in the
    thread pool.

    Example:
        >>> class Items(HTTPEndpoint):
        ...     async def get(self, request: Request) -> Response:
        ...         return PlainTextResponse("all items")
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"{type(self).__name__} serves HTTP requests, not {scope['type']!r} connections")
        self.scope = scope
        self.receive = receive
        self.send = send
        self._allowed_methods = [
            method
            for method in _HTTP_METHODS
            if getattr(self, method.lower(), None) is not None or (method == "HEAD" and hasattr(self, "get"))
        ]

    def __await__(self) -> Generator[Any, None, None]:
        return self.dispatch().__await__()

    async def dispatch(self) -> None:
        """Call the method named after the request's verb and send the response it returns."""
        # With ``send``: an endpoint may send early hints (``request.send_early_hints``) before its response.
        request = Request(self.scope, receive=self.receive, send=self.send)
        handler: Any = self.method_not_allowed
        # Only the verbs listed are looked up: a request method such as "DISPATCH" must not reach other methods.
        if request.method in self._allowed_methods:
            name = "get" if request.method == "HEAD" and not hasattr(self, "head") else request.method.lower()
            handler = getattr(self, name)
        if _is_async_callable(handler):
            response = await handler(request)
        else:
            response = await run_in_threadpool(handler, request)
        await response(self.scope, self.receive, self.send)

    async def method_not_allowed(self, request: Request) -> Response:
        """``405`` with ``Allow``: raised as an ``HTTPException`` inside an application (its handlers answer)."""
        headers = {"Allow": ", ".join(self._allowed_methods)}
        if "app" in self.scope:
            raise HTTPException(status_code=405, headers=headers)
        return PlainTextResponse("Method Not Allowed", status_code=405, headers=headers)


class WebSocketEndpoint:
    """A WebSocket endpoint class: override ``on_connect``, ``on_receive`` and ``on_disconnect``.

    Attributes:
        encoding: How incoming messages are decoded before ``on_receive``: ``"text"``, ``"bytes"``, ``"json"``,
            or ``None`` for the text or bytes as sent. A message of the wrong kind closes the connection with
            code 1003 (unsupported data).

    Example:
        >>> class Echo(WebSocketEndpoint):
        ...     encoding = "text"
        ...     async def on_receive(self, websocket: WebSocket, data: str) -> None:
        ...         await websocket.send_text(f"echo: {data}")
    """

    encoding: Literal["text", "bytes", "json"] | None = None

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            raise ValueError(f"{type(self).__name__} serves WebSocket connections, not {scope['type']!r} requests")
        self.scope = scope
        self.receive = receive
        self.send = send

    def __await__(self) -> Generator[Any, None, None]:
        return self.dispatch().__await__()

    async def dispatch(self) -> None:
        """Accept (``on_connect``), hand each message to ``on_receive``, then call ``on_disconnect`` with the code."""
        websocket = WebSocket(self.scope, receive=self.receive, send=self.send)
        await self.on_connect(websocket)
        close_code = _WS_1000_NORMAL_CLOSURE
        try:
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.receive":
                    await self.on_receive(websocket, await self.decode(websocket, message))
                elif message["type"] == "websocket.disconnect":
                    close_code = int(message.get("code") or _WS_1000_NORMAL_CLOSURE)
                    break
        except Exception:
            close_code = _WS_1011_INTERNAL_ERROR
            raise
        finally:
            await self.on_disconnect(websocket, close_code)

    async def decode(self, websocket: WebSocket, message: Message) -> Any:
        """The data of a ``websocket.receive`` message, decoded as :attr:`encoding` says.

        Raises:
            RuntimeError: The message is not of the expected kind (the connection is closed with code 1003 first).
        """
        if self.encoding == "text":
            # The ASGI spec lets a server send both keys, the unused one None.
            if message.get("text") is None:
                await websocket.close(code=_WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Expected text websocket messages, but got bytes")
            return message["text"]
        if self.encoding == "bytes":
            if message.get("bytes") is None:
                await websocket.close(code=_WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Expected bytes websocket messages, but got text")
            return message["bytes"]
        if self.encoding == "json":
            text = message["text"] if message.get("text") is not None else message["bytes"].decode("utf-8")
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                await websocket.close(code=_WS_1003_UNSUPPORTED_DATA)
                raise RuntimeError("Malformed JSON data received.") from None
        if self.encoding is not None:
            raise ValueError(f"Unsupported 'encoding' attribute {self.encoding!r}")
        return message["text"] if message.get("text") is not None else message["bytes"]

    async def on_connect(self, websocket: WebSocket) -> None:
        """Called when a client connects; accepts the connection (override to check it first)."""
        await websocket.accept()

    async def on_receive(self, websocket: WebSocket, data: Any) -> None:
        """Called with each decoded message."""

    async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
        """Called once the connection is over, with its close code (1011 when a callback raised)."""
