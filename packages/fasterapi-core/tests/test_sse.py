from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterator

import anyio
import msgspec
import pytest

from fasterapi_core import EventSourceResponse as SeedEventSourceResponse
from fasterapi_core import Faster, sse
from fasterapi_core._streaming import StreamPlan, stream_item_type
from fasterapi_core.exceptions import ResponseValidationError
from fasterapi_core.sse import EventSourceResponse, ServerSentEvent, format_sse_event
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


class Item(msgspec.Struct):
    name: str
    price: float = 1.0


@pytest.mark.parametrize("field", ["event", "id"])
@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\r\nb", "a\x00b"])
def test_single_line_fields_refuse_line_breaks_and_nul(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=f"SSE '{field}' must be a single line"):
        ServerSentEvent(**{field: value})


def test_format_refuses_an_event_name_that_would_inject_a_field() -> None:
    with pytest.raises(ValueError, match="single line"):
        format_sse_event(data_str="x", event="message\ndata: injected")


def test_data_and_comments_are_split_into_one_line_each() -> None:
    assert format_sse_event(data_str="a\r\nb\rc\nd", comment="x\ny") == (
        b": x\n: y\ndata: a\ndata: b\ndata: c\ndata: d\n\n"
    )
    assert ServerSentEvent(raw_data="one\ntwo", id="7").encode() == b"data: one\ndata: two\nid: 7\n\n"


def test_data_is_always_json_and_exclusive_with_raw_data() -> None:
    assert ServerSentEvent(data="hello").encode() == b'data: "hello"\n\n'
    assert ServerSentEvent(data="two\nlines").encode() == b'data: "two\\nlines"\n\n'
    with pytest.raises(ValueError, match="both 'data' and 'raw_data'"):
        ServerSentEvent(data=1, raw_data="1")


def test_retry_must_be_a_whole_non_negative_number() -> None:
    with pytest.raises(ValueError, match="negative"):
        ServerSentEvent(retry=-1)
    for not_whole in (1.5, "1.5", "soon", float("nan"), [1]):
        with pytest.raises(ValueError, match="whole number"):
            ServerSentEvent(retry=not_whole)  # type: ignore[arg-type]
    assert ServerSentEvent(retry=0).encode() == b"retry: 0\n\n"
    assert ServerSentEvent(retry=2.0).retry == 2  # type: ignore[arg-type]
    assert ServerSentEvent(retry="25").encode() == b"retry: 25\n\n"  # type: ignore[arg-type]


def test_text_fields_must_be_strings() -> None:
    for field in ("event", "id", "raw_data", "comment"):
        with pytest.raises(ValueError, match=f"SSE '{field}' must be a string"):
            ServerSentEvent(**{field: 1})


def test_events_compare_by_their_fields() -> None:
    assert ServerSentEvent(data=1, event="e") == ServerSentEvent(data=1, event="e")
    assert ServerSentEvent(data=1) != ServerSentEvent(data=2)
    assert repr(ServerSentEvent(event="e")) == "ServerSentEvent(event='e')"


def test_stream_item_type_reads_iterable_annotations() -> None:
    assert stream_item_type(AsyncIterable[Item]) is Item
    assert stream_item_type(Iterator[int]) is int
    assert stream_item_type(list[int]) is None
    assert stream_item_type(None) is None


def test_an_idle_event_stream_sends_keep_alive_pings(monkeypatch: pytest.MonkeyPatch) -> None:
    # No clock is read here: the generator waits until the test has seen a ping, however long that takes.
    monkeypatch.setattr(sse, "PING_INTERVAL", 0.001)
    released = anyio.Event()
    plan = StreamPlan(
        is_async=True, response_class=EventSourceResponse, explicit_class=True, item_type=int, renderer_options={}
    )

    async def numbers() -> AsyncIterator[int]:
        yield 1
        await released.wait()
        yield 2

    chunks: list[bytes] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            chunks.append(message["body"])
            if message["body"] == sse.KEEPALIVE_COMMENT:
                released.set()

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def main() -> None:
        response = plan.response(numbers(), None)
        await response({"type": "http", "method": "GET"}, receive, send)

    anyio.run(main)
    assert sse.KEEPALIVE_COMMENT in chunks
    # However busy the machine, pings only ever come between events: the events themselves are all there, in order.
    assert [chunk for chunk in chunks if chunk != sse.KEEPALIVE_COMMENT] == [b"data: 1\n\n", b"data: 2\n\n", b""]


def test_an_invalid_item_is_a_response_validation_error() -> None:
    app = Faster()

    @app.get("/items")
    async def items() -> AsyncIterable[Item]:
        yield {"price": 2}  # type: ignore[misc]

    with pytest.raises(ResponseValidationError) as caught:
        TestClient(app).get("/items")
    assert caught.value.errors()[0]["loc"] == ("response", "name")


def test_the_generator_is_closed_when_the_stream_ends_early() -> None:
    closed: list[str] = []
    app = Faster()

    @app.get("/items")
    def items() -> Iterator[Item]:
        try:
            yield Item(name="ok")
            yield "not an item"  # type: ignore[misc]
        finally:
            closed.append("sync")

    with pytest.raises(ResponseValidationError):
        TestClient(app).get("/items")
    assert closed == ["sync"]


def test_yield_dependencies_stay_open_while_the_stream_is_sent() -> None:
    events: list[str] = []
    app = Faster()

    async def session() -> AsyncIterator[str]:
        events.append("open")
        yield "session"
        events.append("close")

    from fasterapi_core import Depends

    @app.get("/events", response_class=EventSourceResponse)
    async def stream(name: str = Depends(session)) -> AsyncIterator[str]:
        events.append(f"item from {name}")
        yield name

    response = TestClient(app).get("/events")
    assert response.text == 'data: "session"\n\n'
    assert events == ["open", "item from session", "close"]


def test_the_seed_event_source_response_as_response_class_keeps_its_own_format() -> None:
    app = Faster()

    @app.get("/seed", response_class=SeedEventSourceResponse)
    async def seed() -> AsyncIterator[object]:
        yield "plain text"
        yield {"event": "update", "data": "x"}

    response = TestClient(app).get("/seed")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.text == "data: plain text\n\nevent: update\ndata: x\n\n"


def test_a_direct_event_source_response_sends_its_chunks_as_they_are() -> None:
    app = Faster()

    @app.get("/direct")
    async def direct() -> EventSourceResponse:
        return EventSourceResponse(iter([b"data: 1\n\n"]))

    response = TestClient(app).get("/direct")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.content == b"data: 1\n\n"


def test_an_invalid_event_item_raises_its_own_error_not_a_group() -> None:
    app = Faster()

    @app.post("/events", response_class=EventSourceResponse)
    async def events() -> AsyncIterator[Item]:
        yield Item(name="fine")
        yield {"price": 1}  # type: ignore[misc]

    with pytest.raises(ResponseValidationError) as caught:
        TestClient(app).post("/events")
    assert caught.value.errors()[0]["loc"] == ("response", "name")
