"""Endpoints written with ``yield``: JSON Lines, Server-Sent Events or raw chunks, decided once per route.

FastAPI's rules (0.134/0.135): a generator endpoint with the default response class streams JSON Lines
(``application/jsonl``), one validated item per line; with ``response_class=EventSourceResponse``
(``fasterapi_core.sse``) it streams events; with any other response class the generator is that class's content
(``StreamingResponse`` and its subclasses send ``bytes`` chunks with their own media type). The item type comes from
the return annotation (``AsyncIterable[Item]``, ``Iterator[Item]``, ``AsyncGenerator[Item, None]``...).
"""

from __future__ import annotations

import collections.abc
from typing import TYPE_CHECKING, Any, Literal, get_args, get_origin

from . import sse
from ._annotations import strip_annotated
from ._responding import ResponseRenderer
from .concurrency import iterate_in_threadpool
from .responses import JSONResponse, Response, StreamingResponse
from .sse import KEEPALIVE_COMMENT, EventSourceResponse, ServerSentEvent, _json_text, format_sse_event

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, AsyncIterator, Iterator

    from .types import Send

__all__ = ("StreamPlan", "stream_item_type")

StreamMode = Literal["jsonl", "sse", "raw"]

_ITERABLES = frozenset(
    {
        collections.abc.Iterable,
        collections.abc.Iterator,
        collections.abc.Generator,
        collections.abc.AsyncIterable,
        collections.abc.AsyncIterator,
        collections.abc.AsyncGenerator,
    }
)


def stream_item_type(annotation: Any) -> Any:
    """The item type of ``AsyncIterable[T]``, ``Iterable[T]``, ``Generator[T, ...]``...; None for other annotations."""
    bare, _ = strip_annotated(annotation)
    if get_origin(bare) in _ITERABLES:
        args = get_args(bare)
        return args[0] if args else None
    return None


class _EventStream(EventSourceResponse):
    """The response of an SSE route: formatted events, and a ping comment after each idle ``ping_interval``."""

    def __init__(self, content: AsyncIterable[bytes], status_code: int, ping_interval: float) -> None:
        super().__init__(content, status_code=status_code)
        self.ping_interval = ping_interval
        # The headers FastAPI sends with every event stream; nginx would otherwise buffer the events.
        self.headers["cache-control"] = "no-cache"
        self.headers["x-accel-buffering"] = "no"

    async def to_asgi(self, send: Send) -> None:
        import anyio

        iterator = self.body_iterator
        sender, receiver = anyio.create_memory_object_stream[bytes](1)
        failures: list[Exception] = []

        async def produce() -> None:
            # The generator is pulled by its own task, so that a ping timeout never cancels (and finalises) it.
            async with sender:
                try:
                    async for chunk in iterator:
                        await sender.send(chunk)  # type: ignore[arg-type]
                except Exception as exc:
                    # Raised below as itself (an invalid item is a ResponseValidationError), not in a task group's
                    # ExceptionGroup as FastAPI raises it.
                    failures.append(exc)

        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async with anyio.create_task_group() as group, receiver:
                group.start_soon(produce)
                while True:
                    chunk = KEEPALIVE_COMMENT
                    with anyio.move_on_after(self.ping_interval):
                        try:
                            chunk = await receiver.receive()
                        except anyio.EndOfStream:
                            break
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if failures:
                raise failures[0]
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()


class StreamPlan:
    """How one generator endpoint's items become a streamed response (built at registration).

    Args:
        is_async: The endpoint is an async generator function.
        response_class: The route's response class.
        explicit_class: The route (or its router) chose the response class; the default one streams JSON Lines.
        item_type: The declared item type, or None (items are then sent as they are encoded).
        renderer_options: The route's ``response_model_*`` options, applied to every item.
    """

    __slots__ = ("is_async", "item_type", "mode", "response_class", "serialize_item")

    def __init__(
        self,
        *,
        is_async: bool,
        response_class: type[Response],
        explicit_class: bool,
        item_type: Any,
        renderer_options: dict[str, Any],
    ) -> None:
        self.is_async = is_async
        self.response_class = response_class
        self.mode: StreamMode
        if isinstance(response_class, type) and issubclass(response_class, EventSourceResponse):
            self.mode = "sse"
        elif not explicit_class or response_class is JSONResponse:
            self.mode = "jsonl"
        else:
            self.mode = "raw"
        if item_type is ServerSentEvent or self.mode == "raw":
            # ServerSentEvent is the transport, not a data model: items are not validated against it.
            item_type = None
        #: The declared item type (documented as the OpenAPI ``itemSchema``), or None.
        self.item_type = item_type
        if item_type is not None:
            renderer = ResponseRenderer(
                status_code=None, response_class=JSONResponse, response_model=item_type, **renderer_options
            )
            self.serialize_item = renderer.serialize
        else:
            self.serialize_item = _untyped_item

    def response(self, stream: Any, status_code: int | None) -> Response:
        """The response streaming the items of ``stream`` (the generator the endpoint returned)."""
        status = status_code if status_code is not None else 200
        if self.mode == "raw":
            if status_code is None:
                return self.response_class(content=stream)
            return self.response_class(content=stream, status_code=status_code)
        if self.mode == "jsonl":
            lines = self._async_lines(stream) if self.is_async else self._sync_lines(stream)
            return StreamingResponse(lines, status_code=status, media_type="application/jsonl")
        # Read at each response, so that the interval can be changed (FastAPI's tests patch theirs).
        return _EventStream(self._events(stream), status, sse.PING_INTERVAL)

    def _sync_lines(self, stream: Iterator[Any]) -> Iterator[bytes]:
        # A sync generator runs in the thread pool (StreamingResponse iterates it there), serialisation with it.
        serialize = self.serialize_item
        try:
            for item in stream:
                yield serialize(item) + b"\n"
        finally:
            stream.close()  # type: ignore[attr-defined]

    async def _async_lines(self, stream: AsyncIterator[Any]) -> AsyncIterator[bytes]:
        serialize = self.serialize_item
        try:
            async for item in stream:
                yield serialize(item) + b"\n"
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    async def _events(self, stream: Any) -> AsyncIterator[bytes]:
        if self.is_async:
            items: AsyncIterable[Any] = stream
        else:
            items = iterate_in_threadpool(stream)
        encode = self._encode_event
        try:
            async for item in items:
                yield encode(item)
        finally:
            aclose = getattr(items, "aclose", None)
            if aclose is not None:
                await aclose()

    def _encode_event(self, item: Any) -> bytes:
        if isinstance(item, ServerSentEvent):
            # The endpoint shaped the event itself; its data is not validated (types may be mixed on purpose).
            return item.encode()
        return format_sse_event(data_str=self.serialize_item(item).decode("utf-8"))


def _untyped_item(item: Any) -> bytes:
    return _json_text(item).encode("utf-8")
