"""Differential tests of endpoints written with ``yield``: JSON Lines, Server-Sent Events and raw chunks.

Each app is FastAPI source text, run as it is under FastAPI and with its imports switched to ``FasterAPI``; both
answer the same requests, and the status, the headers that matter, the body bytes and the OpenAPI document must be
the same.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.sse", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")
HEADERS = ("content-type", "content-length", "cache-control", "x-accel-buffering", "x-dep")


def assert_same(differential: Any, source: str, requests: list[tuple[str, str]]) -> list[dict[str, Any]]:
    results = differential.answers(source, "streaming", [(method, path, {}) for method, path in requests], HEADERS)
    assert results["FasterAPI"] == results["fastapi"]
    return results["FasterAPI"]


JSON_LINES = """
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

from pydantic import BaseModel

from fastapi import FastAPI

app = FastAPI()

class Item(BaseModel):
    name: str
    price: float = 1.0
    note: str | None = None

@app.get("/items", status_code=201)
async def items() -> AsyncIterable[Item]:
    yield Item(name="a")
    yield {"name": "b", "price": 2, "extra": "dropped"}

@app.get("/sync")
def sync_items() -> Iterable[Item]:
    yield Item(name="a", note="n")

@app.get("/iterator")
async def iterator_items() -> AsyncIterator[int]:
    yield 1
    yield 2

@app.get("/sync-iterator")
def sync_iterator() -> Iterator[str]:
    yield "x"

@app.get("/untyped")
async def untyped():
    yield {"a": 1, "b": [1.5, None]}
    yield "text"

@app.get("/filtered", response_model_exclude_none=True)
async def filtered() -> AsyncIterable[Item]:
    yield Item(name="a")

@app.post("/by-post")
async def by_post(count: int) -> AsyncIterable[int]:
    for number in range(count):
        yield number
"""


def test_generator_endpoints_stream_validated_json_lines(differential: Any) -> None:
    seen = assert_same(
        differential,
        JSON_LINES,
        [
            ("GET", "/items"),
            ("GET", "/sync"),
            ("GET", "/iterator"),
            ("GET", "/sync-iterator"),
            ("GET", "/untyped"),
            ("GET", "/filtered"),
            ("POST", "/by-post?count=3"),
            ("POST", "/by-post?count=x"),
        ],
    )
    assert seen[0]["status"] == 201
    assert seen[0]["headers"]["content-type"] == "application/jsonl"
    assert seen[0]["body"] == b'{"name":"a","price":1.0,"note":null}\n{"name":"b","price":2.0,"note":null}\n'
    assert seen[6]["body"] == b"0\n1\n2\n"
    assert seen[7]["status"] == 422
    # The OpenAPI documents are compared too; the item type is documented as an OpenAPI 3.2 itemSchema.
    assert seen[-1]["openapi"]["paths"]["/iterator"]["get"]["responses"]["200"]["content"] == {
        "application/jsonl": {"itemSchema": {"type": "integer", "title": "Streamitem Iterator Items Iterator Get"}}
    }


BINARY = """
from collections.abc import AsyncIterable, Iterable

from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

class PNGStreamingResponse(StreamingResponse):
    media_type = "image/png"

@app.get("/image", response_class=PNGStreamingResponse)
async def image() -> AsyncIterable[bytes]:
    yield b"\\x89PNG"
    yield b"rest"

@app.get("/plain", response_class=StreamingResponse)
def plain() -> Iterable[bytes]:
    yield b"one"
    yield b"two"

@app.get("/accepted", response_class=PNGStreamingResponse, status_code=202)
async def accepted() -> AsyncIterable[bytes]:
    yield b"x"
"""


def test_generators_with_a_streaming_response_class_send_raw_chunks_with_its_media_type(differential: Any) -> None:
    seen = assert_same(differential, BINARY, [("GET", "/image"), ("GET", "/plain"), ("GET", "/accepted")])
    assert seen[0]["headers"]["content-type"] == "image/png"
    assert seen[0]["body"] == b"\x89PNGrest"
    assert "content-type" not in seen[1]["headers"]
    assert seen[2]["status"] == 202


EVENTS = """
from collections.abc import AsyncIterable, Iterable

from pydantic import BaseModel

from fastapi import Depends, FastAPI, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()

class Item(BaseModel):
    name: str
    price: float = 1.0

def marked(response: Response):
    response.headers["x-dep"] = "yes"

@app.get("/items", response_class=EventSourceResponse, dependencies=[Depends(marked)])
async def items() -> AsyncIterable[Item]:
    yield Item(name="a")
    yield {"name": "b", "price": 3}

@app.post("/events", response_class=EventSourceResponse)
async def events() -> AsyncIterable[ServerSentEvent]:
    yield ServerSentEvent(data="hello", event="greeting", id="1", retry=3000)
    yield ServerSentEvent(data={"n": 1}, comment="first line\\nsecond line")
    yield ServerSentEvent(raw_data="<p>one</p>\\n<p>two</p>")
    yield ServerSentEvent(comment="keep-alive")
    yield ServerSentEvent(data=Item(name="model"))

@app.put("/sync", response_class=EventSourceResponse)
def sync_events() -> Iterable[int]:
    yield 1
    yield 2

@app.delete("/untyped", response_class=EventSourceResponse)
async def untyped():
    yield {"a": [1, 2]}
    yield ServerSentEvent(event="done")
"""


def test_event_source_endpoints_stream_events_with_fastapis_headers_and_any_method(differential: Any) -> None:
    seen = assert_same(
        differential,
        EVENTS,
        [("GET", "/items"), ("POST", "/events"), ("PUT", "/sync"), ("DELETE", "/untyped"), ("GET", "/sync")],
    )
    assert seen[0]["headers"] == {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
        "x-dep": "yes",
    }
    assert seen[0]["body"] == b'data: {"name":"a","price":1.0}\n\ndata: {"name":"b","price":3.0}\n\n'
    assert seen[1]["body"].startswith(b'event: greeting\ndata: "hello"\nid: 1\nretry: 3000\n\n')
    assert b"data: <p>one</p>\ndata: <p>two</p>\n\n" in seen[1]["body"]
    assert seen[4]["status"] == 405
    item_schema = seen[-1]["openapi"]["paths"]["/items"]["get"]["responses"]["200"]["content"]["text/event-stream"]
    assert item_schema["itemSchema"]["properties"]["data"]["contentSchema"] == {"$ref": "#/components/schemas/Item"}


RETURNED_EVENT_STREAMS = """
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse

app = FastAPI()

async def events():
    yield "data: one\\n\\n"

@app.get("/default")
async def default():
    return EventSourceResponse(events())

@app.get("/explicit")
async def explicit():
    return EventSourceResponse(events(), media_type="text/event-stream")

@app.get("/other-media-type")
async def other_media_type():
    return EventSourceResponse(events(), media_type="text/plain")

@app.get("/header")
async def header():
    return EventSourceResponse(events(), headers={"Content-Type": "text/event-stream"})
"""


def test_a_returned_event_source_response_has_fastapis_content_type(differential: Any) -> None:
    seen = assert_same(
        differential,
        RETURNED_EVENT_STREAMS,
        [("GET", "/default"), ("GET", "/explicit"), ("GET", "/other-media-type"), ("GET", "/header")],
    )
    assert [answer["headers"]["content-type"] for answer in seen[:4]] == [
        "text/event-stream; charset=utf-8",
        "text/event-stream; charset=utf-8",
        "text/plain; charset=utf-8",
        "text/event-stream",
    ]
    assert seen[0]["body"] == b"data: one\n\n"


INVALID_ITEM = """
from collections.abc import AsyncIterable

from pydantic import BaseModel

from fastapi import FastAPI

app = FastAPI()

class Item(BaseModel):
    name: str

@app.get("/items")
async def items() -> AsyncIterable[Item]:
    yield {"title": "no name"}
"""


def test_an_item_that_does_not_fit_the_item_type_is_a_response_validation_error(differential: Any) -> None:
    for framework in FRAMEWORKS:
        test_client = differential.client(differential.build(INVALID_ITEM, framework, "streaming")["app"], framework)
        with pytest.raises(Exception) as caught:  # noqa: PT011 - each framework raises its own class
            test_client.get("/items")
        assert type(caught.value).__name__ == "ResponseValidationError"
        assert [error["loc"] for error in caught.value.errors()] in ([["response", "name"]], [("response", "name")])
