"""Serving a WSGI application (Flask, Django, ...) from ASGI, streamed both ways, in a worker thread."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any, TypeVar

import anyio
import anyio.from_thread
import anyio.to_thread

from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = ("WSGIMiddleware",)

T = TypeVar("T")
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


async def _on_loop(function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Call an ASGI callable on the event loop (``anyio.from_thread.run`` wants a coroutine function)."""
    return await function(*args)


class _RequestBody:
    """``wsgi.input``: reads the ASGI request body on demand, from the worker thread.

    Nothing is buffered beyond the message being consumed, so a large upload streams through.
    """

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._buffer = bytearray()
        self._more = True

    def _fill(self) -> bool:
        """Pull the next body message into the buffer; False at the end of the body."""
        while self._more:
            message: Message = anyio.from_thread.run(_on_loop, self._receive)
            if message["type"] == "http.request":
                self._buffer += message.get("body", b"")
                self._more = bool(message.get("more_body", False))
                return True
            # http.disconnect: the client is gone, the body ends here.
            self._more = False
        return False

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Read ``size`` bytes (all of the rest when negative or None); fewer only at the end."""
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buffer))
        while len(self._buffer) < size and self._fill():
            pass
        return self._take(size)

    def readline(self, size: int | None = -1) -> bytes:
        """Read up to and including the next newline (at most ``size`` bytes when given)."""
        limit = size if size is not None and size >= 0 else None
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                length = end + 1
                return self._take(length if limit is None else min(length, limit))
            if limit is not None and len(self._buffer) >= limit:
                return self._take(limit)
            if not self._fill():
                return self._take(len(self._buffer) if limit is None else limit)

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Read lines until the end (or until ``hint`` bytes were read, when positive)."""
        lines: list[bytes] = []
        total = 0
        while line := self.readline():
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


def _latin1(text: str) -> str:
    """PEP 3333's native strings: bytes decoded as latin-1."""
    return text.encode("utf-8").decode("latin-1")


def build_environ(scope: Scope, body: _RequestBody) -> dict[str, Any]:
    """The PEP 3333 ``environ`` of an ASGI HTTP request."""
    root_path: str = scope.get("root_path", "")
    path: str = scope["path"]
    # Servers and Mount put root_path inside path (ASGI 2023 clarification). Only a whole segment is the mount's:
    # "/application" under "/app" stays whole.
    if root_path and (path == root_path or path.startswith(root_path.rstrip("/") + "/")):
        path = path[len(root_path) :]
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": _latin1(root_path),
        "PATH_INFO": _latin1(path),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]) if server[1] is not None else "80",
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = str(client[0])
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        if name == "content-type":
            environ["CONTENT_TYPE"] = value
            continue
        if name == "content-length":
            environ["CONTENT_LENGTH"] = value
            continue
        if "_" in name:
            # "X_User" and "X-User" both become HTTP_X_USER: drop the spelling a proxy would not have checked.
            continue
        key = "HTTP_" + name.upper().replace("-", "_")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


class _Exchange:
    """One request served by the WSGI app, driven from the worker thread."""

    def __init__(self, app: WSGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        self.app = app
        self.scope = scope
        self.receive = receive
        self.send = send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.started = False
        #: The error the app passed to its last ``start_response``: raised once its error response is sent.
        self.exc_info: Any = None

    def _send(self, message: Message) -> None:
        anyio.from_thread.run(_on_loop, self.send, message)

    def start_response(
        self, status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if exc_info is not None and self.started:
            # PEP 3333: too late to change the response; re-raise the app's error.
            raise exc_info[1].with_traceback(exc_info[2])
        self.exc_info = exc_info
        code = status.split(" ", 1)[0]
        if len(code) != 3 or not code.isdigit():
            raise ValueError(f"WSGI status must start with a three-digit code: {status!r}")
        self.status = int(code)
        self.headers = [
            (name.strip().lower().encode("latin-1"), value.strip().encode("latin-1"))
            for name, value in response_headers
        ]
        return self.write

    def _start(self) -> None:
        if not self.started:
            if not self.status:
                raise RuntimeError("The WSGI application returned a body without calling start_response")
            self.started = True
            self._send({"type": "http.response.start", "status": self.status, "headers": self.headers})

    def write(self, data: bytes) -> None:
        """PEP 3333's legacy ``write`` callable."""
        self._start()
        if data:
            self._send({"type": "http.response.body", "body": bytes(data), "more_body": True})

    def run(self) -> None:
        body = _RequestBody(self.receive)
        result = self.app(build_environ(self.scope, body), self.start_response)
        try:
            for chunk in result:
                self.write(chunk)
            self._start()
            self._send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if self.exc_info is not None:
            # As Starlette: the app answered its error itself, and the error still reaches the server (which logs it).
            raise self.exc_info[1].with_traceback(self.exc_info[2])


class WSGIMiddleware:
    """Serve a WSGI application (Flask, Django, ...) as an ASGI one, for example under ``app.mount``.

    The WSGI application runs in a worker thread, one per request. The request body is read from the client as
    the application reads ``wsgi.input``, and each chunk the application yields is sent as it comes, so uploads
    and downloads stream both ways. Request headers whose name contains ``_`` are not passed on (their
    ``HTTP_*`` key could not be told apart from the same name with ``-``).

    Args:
        app: The WSGI application.

    Example:
        >>> from flask import Flask
        >>> flask_app = Flask(__name__)
        >>> app.mount("/legacy", WSGIMiddleware(flask_app))
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # WSGI has no WebSockets: refuse the handshake.
            await send({"type": "websocket.close", "code": 1000, "reason": ""})
            return
        if scope["type"] != "http":
            return
        await anyio.to_thread.run_sync(_Exchange(self.app, scope, receive, send).run)
