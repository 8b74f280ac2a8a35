"""Server-Sent Events under the compatibility layer: FastAPI's ``fastapi.responses.EventSourceResponse``, its private
keep-alive interval, and ``ServerSentEvent``'s ``retry`` read as FastAPI's pydantic model reads it."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)


def test_fastapi_responses_event_source_response_makes_an_event_stream(layer: None) -> None:
    import fastapi.responses
    import fastapi.sse
    from fastapi import FastAPI
    from fastapi.responses import EventSourceResponse
    from fastapi.sse import ServerSentEvent
    from fastapi.testclient import TestClient

    assert fastapi.responses.EventSourceResponse is fastapi.sse.EventSourceResponse
    assert "EventSourceResponse" in fastapi.responses.__all__
    app = FastAPI()

    @app.get("/events", response_class=EventSourceResponse)
    async def events() -> Any:
        yield ServerSentEvent(data="hello", event="greeting", id="1")
        yield {"n": 1}

    response = TestClient(app).get("/events")
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.text == 'event: greeting\ndata: "hello"\nid: 1\n\ndata: {"n": 1}\n\n'


def test_patching_fastapis_ping_interval_reaches_the_streams_and_is_undone(
    layer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi.routing

    from fasterapi_core import sse

    before = sse.PING_INTERVAL
    assert before == fastapi.routing._PING_INTERVAL
    with monkeypatch.context() as patch:
        patch.setattr(fastapi.routing, "_PING_INTERVAL", 0.5)
        assert sse.PING_INTERVAL == 0.5
        assert fastapi.routing._PING_INTERVAL == 0.5
    assert before == sse.PING_INTERVAL
    assert before == fastapi.routing._PING_INTERVAL


def test_a_patch_through_an_alias_module_is_undone_on_the_fasterapi_module(
    layer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi.routing

    import FasterAPI.compat._fastapi_routing as routing_shim

    original = routing_shim.APIRoute
    with monkeypatch.context() as patch:
        patch.setattr(fastapi.routing, "APIRoute", len)
        assert routing_shim.APIRoute is len
    assert routing_shim.APIRoute is original
    fastapi.routing.added_by_a_test = 1  # type: ignore[attr-defined]
    assert routing_shim.added_by_a_test == 1  # type: ignore[attr-defined]
    del fastapi.routing.added_by_a_test  # type: ignore[attr-defined]
    assert not hasattr(routing_shim, "added_by_a_test")


RETRIES = """
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()

@app.get("/events", response_class=EventSourceResponse)
async def events():
    yield ServerSentEvent(data=1, retry=2.0)
    yield ServerSentEvent(data=2, retry="3")
    yield ServerSentEvent(data=3, retry=0)
"""


def test_retry_accepts_whole_numbers_as_fastapi_does(differential: Any) -> None:
    results = differential.answers(RETRIES, "retries", [("GET", "/events", {})], ("content-type",))
    assert results["FasterAPI"][0] == results["fastapi"][0]
    assert results["FasterAPI"][0]["body"] == b"data: 1\nretry: 2\n\ndata: 2\nretry: 3\n\ndata: 3\nretry: 0\n\n"


@pytest.mark.parametrize("retry", [1.5, -1, "-1", "soon", None])
@pytest.mark.parametrize("framework", ["fastapi", "FasterAPI"])
def test_retry_refuses_what_is_not_a_whole_non_negative_number_with_a_value_error(framework: str, retry: Any) -> None:
    module = pytest.importorskip(f"{framework}.sse", exc_type=ImportError)
    if retry is None:
        assert module.ServerSentEvent(data=1, retry=retry).retry is None
        return
    with pytest.raises(ValueError):
        module.ServerSentEvent(data=1, retry=retry)
