"""Differential tests of the ``Content-Type`` of event streams against Starlette 1.10 and FastAPI 0.165.

Starlette's base ``Response`` adds ``; charset=utf-8`` to every ``text/*`` media type, ``text/event-stream``
included, and FastAPI's SSE routes inherit it: clients (and tests) comparing the header see the same value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from FasterAPI import FastAPI as OurFastAPI
from FasterAPI.sse import EventSourceResponse as OurEventSource
from fasterapi_core.responses import StreamingResponse as OurStreaming
from fasterapi_testing import TestClient as OurTestClient

starlette_responses = pytest.importorskip("starlette.responses")
fastapi = pytest.importorskip("fastapi")
fastapi_sse = pytest.importorskip("fastapi.sse")
fastapi_testclient = pytest.importorskip("fastapi.testclient")


async def _events() -> AsyncIterator[str]:
    yield "data: one\n\n"


def test_a_streaming_response_of_events() -> None:
    theirs = starlette_responses.StreamingResponse(_events(), media_type="text/event-stream")
    ours = OurStreaming(_events(), media_type="text/event-stream")
    assert ours.headers["content-type"] == theirs.headers["content-type"]


def _sse_content_type(app_class: Any, source_class: Any, client_class: Any) -> str:
    app = app_class()

    @app.get("/events", response_class=source_class)
    async def events() -> AsyncIterator[dict[str, str]]:
        yield {"name": "one"}

    with client_class(app) as client:
        return str(client.get("/events").headers["content-type"])


def test_a_generator_route_of_server_sent_events() -> None:
    theirs = _sse_content_type(fastapi.FastAPI, fastapi_sse.EventSourceResponse, fastapi_testclient.TestClient)
    assert _sse_content_type(OurFastAPI, OurEventSource, OurTestClient) == theirs
