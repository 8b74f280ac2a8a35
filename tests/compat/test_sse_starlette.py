"""sse-starlette's server-sent events streamed from FastAPI endpoints on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "sse-starlette"

pytestmark = pytest.mark.slow


def test_sse_starlette_streams_events_while_a_yield_dependency_stays_open(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Header
        from fastapi.testclient import TestClient
        from sse_starlette import EventSourceResponse, JSONServerSentEvent, ServerSentEvent
        from starlette.background import BackgroundTask

        log = []


        async def feed():
            log.append("open")
            try:
                yield 10
            finally:
                log.append("close")


        app = FastAPI()


        @app.get("/numbers")
        async def numbers(start: int = Depends(feed), last_event_id: str | None = Header(None)):
            async def events():
                for offset in range(2):
                    log.append(f"event {offset}")
                    yield {"event": "number", "id": str(offset), "data": start + offset, "retry": 500}
                yield ServerSentEvent(data="two\\nlines", comment="note")
                yield JSONServerSentEvent(data={"last": last_event_id})

            return EventSourceResponse(events(), background=BackgroundTask(log.append, "background"))


        @app.get("/sync")
        def sync():
            return EventSourceResponse(iter(["a", "b"]), sep="\\n")


        with TestClient(app) as client:
            streamed = client.get("/numbers", headers={"Last-Event-ID": "7"})
            sync_text = client.get("/sync").text
        print(json.dumps({
            "status": streamed.status_code,
            "type": streamed.headers["content-type"],
            "cache": streamed.headers["cache-control"],
            "buffering": streamed.headers["x-accel-buffering"],
            "text": streamed.text,
            "sync": sync_text,
            "log": log,
        }))
        """
    )
    assert outcome == {
        "status": 200,
        "type": "text/event-stream; charset=utf-8",
        "cache": "no-store",
        "buffering": "no",
        "text": (
            "id: 0\r\nevent: number\r\ndata: 10\r\nretry: 500\r\n\r\n"
            "id: 1\r\nevent: number\r\ndata: 11\r\nretry: 500\r\n\r\n"
            ": note\r\ndata: two\r\ndata: lines\r\n\r\n"
            'data: {"last":"7"}\r\n\r\n'
        ),
        "sync": "data: a\n\ndata: b\n\n",
        # the dependency stays open while the events stream and closes after the background task
        "log": ["open", "event 0", "event 1", "background", "close"],
    }
