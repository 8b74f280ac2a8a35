"""Server-Sent Events for endpoints written with ``yield`` (FastAPI's ``fastapi.sse``).

An endpoint that is a generator and declares ``response_class=EventSourceResponse`` streams one event per item it
yields: a ``ServerSentEvent`` is sent with the fields it sets, any other value is validated against the declared
item type (``AsyncIterable[Item]``) and sent as JSON ``data``. The stream carries ``cache-control: no-cache`` and
``x-accel-buffering: no`` and a ``: ping`` comment whenever it has been idle for ``PING_INTERVAL`` seconds.

No field can inject a line into the stream: ``event`` and ``id`` holding CR, LF or NUL are refused when the event is
built, and ``data``, ``raw_data`` and ``comment`` are split into one line each, as the SSE format says.

This ``EventSourceResponse`` differs from the one in ``fasterapi_core.responses`` (the seed's), which formats the
items it is given itself; this one is FastAPI's: the route formats events, and the class marks the route as an
event stream (built directly, it sends its chunks as they are).
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any, Final

from .encoders import jsonable_encoder
from .responses import StreamingResponse

if TYPE_CHECKING:
    pass

__all__ = ("KEEPALIVE_COMMENT", "PING_INTERVAL", "EventSourceResponse", "ServerSentEvent", "format_sse_event")

KEEPALIVE_COMMENT: Final = b": ping\n\n"
"""The comment sent to keep an idle stream open through proxies."""

PING_INTERVAL: float = 15.0
"""Seconds of idleness after which an event stream sends ``KEEPALIVE_COMMENT`` (FastAPI's interval)."""

# The only line terminators of the SSE format: splitting on anything else would alter the data.
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


class EventSourceResponse(StreamingResponse):
    """A ``text/event-stream`` response; as ``response_class=`` of a generator endpoint it makes an SSE stream.

    Works with any HTTP method (``POST`` too, as protocols such as MCP need).

    Example:
        >>> @app.get("/events", response_class=EventSourceResponse)
        ... async def events() -> AsyncIterable[Item]:
        ...     yield Item(name="first")
    """

    media_type = "text/event-stream"


def _single_line(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"SSE '{field}' must be a string, not {type(value).__name__}")
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValueError(f"SSE '{field}' must be a single line without NUL characters: {value!r}")
    return value


def _whole_milliseconds(retry: Any) -> int:
    """``retry`` as an ``int`` the way pydantic's lax ``int`` reads it (whole floats and digit strings too)."""
    text = retry.strip() if isinstance(retry, str) else None
    whole = isinstance(retry, int) or (isinstance(retry, float) and retry.is_integer())
    if not (whole or (text is not None and text.isascii() and text.isdigit())):
        raise ValueError(f"SSE 'retry' must be a whole number of milliseconds, not {retry!r}")
    value = int(retry)
    if value < 0:
        raise ValueError(f"SSE 'retry' must not be negative: {retry!r}")
    return value


class ServerSentEvent:
    """One event of an event stream, yielded by an endpoint with ``response_class=EventSourceResponse``.

    Args:
        data: The payload, always sent as JSON (a string ``"hello"`` is sent as ``data: "hello"``).
        raw_data: Text sent as the ``data`` field as it is (HTML, CSV...); exclusive with ``data``.
        event: The event type (``addEventListener(event, ...)`` in browsers); one line.
        id: The event id, sent back by browsers as ``Last-Event-ID``; one line, no NUL.
        retry: The reconnection delay in milliseconds, a whole number >= 0 (``2.0`` and ``"2"`` are read as ``2``, as
            FastAPI's pydantic model reads them).
        comment: Comment lines, ignored by clients (useful as keep-alive).

    Raises:
        ValueError: ``data`` and ``raw_data`` are both set, ``event`` or ``id`` holds CR, LF or NUL, ``event``,
            ``id``, ``raw_data`` or ``comment`` is not a string, or ``retry`` is not a whole number >= 0 (FastAPI's
            pydantic ``ValidationError`` is a ``ValueError`` too).
    """

    __slots__ = ("comment", "data", "event", "id", "raw_data", "retry")

    def __init__(
        self,
        *,
        data: Any = None,
        raw_data: str | None = None,
        event: str | None = None,
        id: str | None = None,
        retry: int | None = None,
        comment: str | None = None,
    ) -> None:
        if data is not None and raw_data is not None:
            raise ValueError(
                "Cannot set both 'data' and 'raw_data' on the same ServerSentEvent. Use 'data' for JSON-serialized"
                " payloads or 'raw_data' for pre-formatted strings."
            )
        for field, text in (("raw_data", raw_data), ("comment", comment)):
            if text is not None and not isinstance(text, str):
                raise ValueError(f"SSE '{field}' must be a string, not {type(text).__name__}")
        self.data = data
        self.raw_data = raw_data
        self.event = _single_line("event", event)
        self.id = _single_line("id", id)
        self.retry = None if retry is None else _whole_milliseconds(retry)
        self.comment = comment

    def __repr__(self) -> str:
        values = ((name, getattr(self, name)) for name in self.__slots__)
        fields = ", ".join(f"{name}={value!r}" for name, value in values if value is not None)
        return f"ServerSentEvent({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def encode(self) -> bytes:
        """This event in the wire format (``data`` as JSON, ``raw_data`` as it is)."""
        if self.raw_data is not None:
            data_str: str | None = self.raw_data
        elif self.data is not None:
            data_str = _json_text(self.data, model_json=True)
        else:
            data_str = None
        return format_sse_event(data_str=data_str, event=self.event, id=self.id, retry=self.retry, comment=self.comment)


def _finite(value: Any) -> Any:
    """NaN and infinities become ``null`` (JSON has no such numbers), as FastAPI sends them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def _json_text(value: Any, *, model_json: bool = False) -> str:
    """``value`` as JSON text the way FastAPI writes untyped stream items: ``json.dumps`` of its JSON form, or, with
    ``model_json``, a pydantic model's own compact JSON (FastAPI's choice for ``ServerSentEvent.data``)."""
    dump = getattr(value, "model_dump_json", None) if model_json else None
    if dump is not None:
        return str(dump())
    return json.dumps(_finite(jsonable_encoder(value)))


def format_sse_event(
    *,
    data_str: str | None = None,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One event in the SSE wire format from already serialised data; it always ends with a blank line.

    ``comment`` and ``data_str`` are split on CR, LF and CRLF into one line each.

    Raises:
        ValueError: ``event`` or ``id`` holds CR, LF or NUL (it would inject a field or an event).

    Example:
        >>> format_sse_event(data_str='{"n": 1}', event="tick")
        b'event: tick\\ndata: {"n": 1}\\n\\n'
    """
    lines: list[str] = []
    if comment is not None:
        lines.extend(f": {line}" for line in _LINE_BREAK.split(comment))
    if event is not None:
        lines.append(f"event: {_single_line('event', event)}")
    if data_str is not None:
        lines.extend(f"data: {line}" for line in _LINE_BREAK.split(data_str))
    if id is not None:
        lines.append(f"id: {_single_line('id', id)}")
    if retry is not None:
        lines.append(f"retry: {int(retry)}")
    lines.append("\n")
    return "\n".join(lines).encode("utf-8")
