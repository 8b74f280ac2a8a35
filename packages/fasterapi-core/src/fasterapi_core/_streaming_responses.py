"""Streamed responses: ``StreamingResponse`` (chunks from an iterator) and ``EventSourceResponse`` (SSE)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, Iterable, Mapping
from time import monotonic
from typing import TYPE_CHECKING, Any, Final

from fasterapi_core.background import run_after_response
from fasterapi_core.concurrency import iterate_in_threadpool
from fasterapi_core.encoders import encode_json
from fasterapi_core.types import Receive, Scope, Send

if TYPE_CHECKING:
    import anyio

from ._response_base import (
    _NO_BODY_STATUSES,
    Background,
    Content,
    ContentStream,
    Response,
    _cancel_on_disconnect,
    _close_iterator,
    _denial_send,
    _run_beside,
    _watches_disconnect,
)

__all__ = ("EventSourceResponse", "StreamingResponse")

#: The longest a stream keeps the event loop to itself (seconds). An iterator whose items are ready at once, sent to
#: a server that takes them without waiting, never lets other tasks run: not the client's disconnect listener, not a
#: timeout or a cancellation of the request (FastAPI's issue 14680). The stream then gives the loop a turn.
#: PERF: one clock read every 16 chunks, and one checkpoint per turn instead of one per chunk (as FastAPI does),
#: which would cost a loop iteration per chunk.
_TURN: Final = 0.001
#: The clock is read when the count of chunks sent has none of these bits set (every 16 chunks).
_CLOCK_EVERY: Final = 15


class StreamingResponse(Response):
    """A response whose body comes from an iterator, sent chunk by chunk.

    Async iterables are consumed on the event loop, plain iterables in the thread pool; ``str``
    chunks are encoded with ``charset``. While streaming, the response listens for the client
    disconnecting and then stops at once, closing the iterator (its ``finally`` blocks run). Under ASGI 2.4
    it does not listen: the server's ``send`` fails once the client is gone, which it raises as
    ``ClientDisconnect``, as Starlette does. On a WebSocket scope it is sent as a denial response.

    Args:
        content: An async or sync iterable of ``bytes``/``str`` chunks.
        status_code: The HTTP status.
        headers: Extra headers (no ``content-length`` is added: the size is unknown).
        media_type: The ``content-type``.
        background: A task to run after the body has been sent.

    Example:
        >>> async def numbers():
        ...     for number in range(3):
        ...         yield f"{number}\\n"
        >>> return StreamingResponse(numbers(), media_type="text/plain")
    """

    body_iterator: AsyncIterable[Content]

    def __init__(
        self,
        content: ContentStream,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
    ) -> None:
        if isinstance(content, AsyncIterable):
            self.body_iterator = content
        else:
            self.body_iterator = iterate_in_threadpool(content)
        self.status_code = status_code
        if media_type is not None:
            self.media_type = media_type
        self.background = background
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = self.status_code
        if scope.get("method") == "HEAD" or status < 200 or status in _NO_BODY_STATUSES:
            await send({"type": "http.response.start", "status": status, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": b""})
            await _close_iterator(self.body_iterator)
        elif _watches_disconnect(scope):

            async def stream() -> None:
                await self.to_asgi(send)

            await _run_beside(stream, lambda cancel_scope: _cancel_on_disconnect(receive, cancel_scope))
        elif scope["type"] == "websocket":
            await self.to_asgi(_denial_send(send))
        else:
            try:
                await self.to_asgi(send)
            except OSError:
                # ASGI 2.4: the server's send raises OSError once the client has gone.
                from fasterapi_core.requests import ClientDisconnect

                raise ClientDisconnect from None
        if self.background is not None:
            await run_after_response(self.background, scope)

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and every chunk (no disconnect detection, no background)."""
        from anyio.lowlevel import checkpoint

        iterator = self.body_iterator
        charset = self.charset
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            turn_ends = monotonic() + _TURN
            sent = 0
            async for chunk in iterator:
                # PERF: exact-type check first; bytes is by far the most common chunk type.
                if type(chunk) is bytes:
                    body = chunk
                elif isinstance(chunk, str):
                    body = chunk.encode(charset)
                else:
                    body = bytes(chunk)
                await send({"type": "http.response.body", "body": body, "more_body": True})
                sent += 1
                if not sent & _CLOCK_EVERY and monotonic() >= turn_ends:
                    await checkpoint()
                    turn_ends = monotonic() + _TURN
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await _close_iterator(iterator)


_SSE_FIELDS: Final = frozenset({"comment", "data", "event", "id", "retry"})
# The only line terminators of the SSE format: splitting on anything else would alter the data.
_SSE_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_SSE_PING: Final = b": ping\n\n"


def _sse_single_line(field: str, value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    if "\r" in text or "\n" in text or "\x00" in text:
        raise ValueError(f"Invalid SSE {field} {text!r}: CR, LF and NUL are not allowed")
    return text


def _sse_data_lines(lines: list[str], data: Any) -> None:
    text = data if isinstance(data, str) else encode_json(data).decode("utf-8")
    lines.extend(f"data: {line}" for line in _SSE_LINE_BREAK.split(text))


def _format_sse_event(event: Any) -> bytes:
    """Encode one server-sent event.

    ``event`` may be a ``str`` (the data), a dict with any of the keys ``comment``, ``id``,
    ``event``, ``data``, ``retry``, or any other msgspec-encodable value (sent as JSON data).
    Multi-line data and comments become several lines, so no value can start a new field or
    event; ``id``/``event`` containing CR, LF or NUL and a non-integer ``retry`` raise ``ValueError``.
    """
    lines: list[str] = []
    if isinstance(event, str):
        _sse_data_lines(lines, event)
    elif isinstance(event, (bytes, bytearray, memoryview)):
        _sse_data_lines(lines, bytes(event).decode("utf-8"))
    elif isinstance(event, dict) and event and _SSE_FIELDS.issuperset(event):
        if "comment" in event:
            lines.extend(f": {line}" for line in _SSE_LINE_BREAK.split(str(event["comment"])))
        if "id" in event:
            lines.append(f"id: {_sse_single_line('id', event['id'])}")
        if "event" in event:
            lines.append(f"event: {_sse_single_line('event', event['event'])}")
        if "data" in event:
            _sse_data_lines(lines, event["data"])
        if "retry" in event:
            retry = event["retry"]
            if isinstance(retry, bool) or not (
                isinstance(retry, int) or (isinstance(retry, str) and retry.isascii() and retry.isdigit())
            ):
                raise ValueError(f"Invalid SSE retry {retry!r}: it must be a whole number of milliseconds")
            if int(retry) < 0:
                raise ValueError(f"Invalid SSE retry {retry!r}: it must not be negative")
            lines.append(f"retry: {int(retry)}")
    else:
        _sse_data_lines(lines, event)
    lines.append("\n")
    return "\n".join(lines).encode("utf-8")


class EventSourceResponse(StreamingResponse):
    """A Server-Sent Events stream (``text/event-stream``).

    Each item of ``content`` is one event: a ``str`` (its data), a dict with the keys ``id``,
    ``event``, ``data``, ``retry`` and/or ``comment``, or any msgspec-encodable value sent as
    JSON data. With ``ping_interval`` set, a ``: ping`` comment is sent whenever the stream has
    been idle that long, so proxies keep the connection open. The stream stops as soon as the
    client disconnects.

    Args:
        content: An async or sync iterable of events.
        status_code: The HTTP status.
        headers: Extra headers.
        ping_interval: Seconds of idleness after which a ping comment is sent; ``None`` disables pings.
        background: A task to run after the stream ends.

    Example:
        >>> async def events():
        ...     yield {"data": "hello"}
        ...     yield {"event": "update", "data": "world", "id": "1"}
        >>> return EventSourceResponse(events(), ping_interval=15)
    """

    media_type = "text/event-stream"

    def __init__(
        self,
        content: AsyncIterable[Any] | Iterable[Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        ping_interval: float | None = None,
        background: Background | None = None,
    ) -> None:
        if ping_interval is not None and ping_interval <= 0:
            raise ValueError("ping_interval must be a positive number of seconds")
        super().__init__(content, status_code=status_code, headers=headers, background=background)
        self.ping_interval = ping_interval
        response_headers = self.headers
        response_headers.setdefault("cache-control", "no-cache")
        # Tells nginx not to buffer the stream, or events would arrive in bursts.
        response_headers.setdefault("x-accel-buffering", "no")

    async def to_asgi(self, send: Send) -> None:
        """Send the status, headers and every event (no disconnect detection, no background)."""
        iterator = self.body_iterator
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if self.ping_interval is None:
                from anyio.lowlevel import checkpoint

                turn_ends = monotonic() + _TURN
                sent = 0
                async for event in iterator:
                    await send({"type": "http.response.body", "body": _format_sse_event(event), "more_body": True})
                    sent += 1
                    if not sent & _CLOCK_EVERY and monotonic() >= turn_ends:
                        await checkpoint()
                        turn_ends = monotonic() + _TURN
            else:
                await self._send_with_pings(send, iterator, self.ping_interval)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await _close_iterator(iterator)

    async def _send_with_pings(self, send: Send, iterator: AsyncIterable[Any], interval: float) -> None:
        import anyio

        lock = anyio.Lock()
        last_sent = [anyio.current_time()]

        async def send_chunk(chunk: bytes) -> None:
            async with lock:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                last_sent[0] = anyio.current_time()

        async def send_events() -> None:
            async for event in iterator:
                await send_chunk(_format_sse_event(event))

        async def ping(_: anyio.CancelScope) -> None:
            while True:
                idle = anyio.current_time() - last_sent[0]
                if idle >= interval:
                    await send_chunk(_SSE_PING)
                else:
                    await anyio.sleep(interval - idle)

        await _run_beside(send_events, ping)
