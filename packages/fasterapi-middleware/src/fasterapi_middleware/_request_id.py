"""``RequestIDMiddleware``: one ID per request, in ``request.state``, a context variable and the response."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from contextvars import ContextVar

from fasterapi_core.types import ASGIApp, Message, Receive, Scope, Send

from ._asgi import header_values, is_token

__all__ = ("RequestIDLogFilter", "RequestIDMiddleware", "get_request_id", "request_id_var")

request_id_var: ContextVar[str | None] = ContextVar("fasterapi_request_id", default=None)
"""The current request's ID while :class:`RequestIDMiddleware` handles it (``None`` outside a request)."""

# Visible ASCII, minus quotes, backslash and angle brackets: safe to echo in headers, logs and HTML.
_ALLOWED_ID_BYTES = frozenset(range(0x21, 0x7F)) - frozenset(b"\"'\\<>`")


def get_request_id() -> str | None:
    """Return the ID of the request being handled, or ``None`` outside of :class:`RequestIDMiddleware`."""
    return request_id_var.get()


class RequestIDLogFilter(logging.Filter):
    """A logging filter that adds ``record.request_id`` (``"-"`` outside a request) to every record.

    Example:
        >>> handler.addFilter(RequestIDLogFilter())
        >>> handler.setFormatter(logging.Formatter("%(asctime)s [%(request_id)s] %(message)s"))
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the current request ID to ``record``; never drops a record."""
        record.request_id = request_id_var.get() or "-"
        return True


def _new_id() -> str:
    # PERF: 128 random bits in hex, the shape of uuid4().hex at a quarter of its cost.
    return os.urandom(16).hex()


class RequestIDMiddleware:
    """Give every request an ID: the client's (``X-Request-ID``) when it is acceptable, else a new one.

    An incoming ID is accepted only when it is at most ``max_length`` characters of visible ASCII without
    quotes, backslashes or angle brackets; anything else (too long, spaces, control characters, non-ASCII,
    several headers that disagree) is replaced by a fresh ID, so clients cannot inject into logs or headers.

    The ID is stored in ``scope["state"]["request_id"]`` (``request.state.request_id`` or
    ``request.state["request_id"]``), set in the context variable :data:`request_id_var` (read it with
    :func:`get_request_id`, or add :class:`RequestIDLogFilter` to a logging handler), and sent back in the
    ``outgoing_header_name`` response header unless the app set that header itself. WebSocket connections get
    an ID too, sent in the ``websocket.accept`` headers.

    Args:
        app: The ASGI app to wrap.
        header_name: The request header to read the client's ID from.
        outgoing_header_name: The response header the ID is sent in.
        generator: Makes a new ID; defaults to 128 random bits in hex (32 characters, like ``uuid4().hex``).
        max_length: The longest incoming ID accepted.

    Example:
        >>> app.add_middleware(RequestIDMiddleware)
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        header_name: str = "x-request-id",
        outgoing_header_name: str = "x-request-id",
        generator: Callable[[], str] | None = None,
        max_length: int = 128,
    ) -> None:
        for name in (header_name, outgoing_header_name):
            if not is_token(name):
                raise ValueError(f"RequestIDMiddleware: invalid header name {name!r}")
        if max_length < 1:
            raise ValueError("RequestIDMiddleware: max_length must be >= 1")
        self.app = app
        self.header_name = header_name.lower()
        self.outgoing_header_name = outgoing_header_name.lower()
        self.generator = generator or _new_id
        self.max_length = max_length
        self._header_key = self.header_name.encode("latin-1")
        self._outgoing_key = self.outgoing_header_name.encode("latin-1")

    def accept_incoming(self, value: bytes) -> str | None:
        """The incoming ID if it is short and printable, else ``None``."""
        value = value.strip()
        if not value or len(value) > self.max_length or not _ALLOWED_ID_BYTES.issuperset(value):
            return None
        return value.decode("ascii")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = header_values(scope, self._header_key)
        request_id = self.accept_incoming(incoming[0]) if len(set(incoming)) == 1 else None
        if request_id is None:
            request_id = self.generator()
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        encoded = request_id.encode("latin-1")
        outgoing_key = self._outgoing_key
        start_type = "http.response.start" if scope_type == "http" else "websocket.accept"

        async def send_with_id(message: Message) -> None:
            if message["type"] == start_type:
                headers = list(message.get("headers", ()))
                if all(name.lower() != outgoing_key for name, _ in headers):
                    headers.append((outgoing_key, encoded))
                message = {**message, "headers": headers}
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
