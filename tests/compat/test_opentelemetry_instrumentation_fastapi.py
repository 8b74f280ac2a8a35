"""OpenTelemetry's FastAPI instrumentor on FasterAPI through the compatibility layer (spans in memory)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "opentelemetry-instrumentation-fastapi"

pytestmark = pytest.mark.slow

TRACING = """
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))


def server_spans():
    return [
        {
            "name": span.name,
            "route": span.attributes.get("http.route"),
            "status_code": span.attributes.get("http.status_code"),
            "error": span.status.status_code.name,
            "exceptions": [event.attributes["exception.type"] for event in span.events if event.name == "exception"],
        }
        for span in exporter.get_finished_spans()
        if span.kind == SpanKind.SERVER
    ]
"""


def test_instrument_app_records_route_spans_and_the_exception_of_a_500(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("opentelemetry.instrumentation.fastapi")
    outcome = run_compat(
        TRACING
        + """
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    if item_id == 0:
        raise ValueError("no item zero")
    if item_id == 1:
        raise HTTPException(404, "missing")
    return {"item_id": item_id}


FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
client = TestClient(app, raise_server_exceptions=False)
answers = [client.get(f"/items/{n}") for n in (5, 1, 0)]
print(json.dumps({
    "statuses": [answer.status_code for answer in answers],
    "body": answers[0].json(),
    "spans": server_spans(),
}))
"""
    )
    assert outcome["statuses"] == [200, 404, 500]
    assert outcome["body"] == {"item_id": 5}
    assert outcome["spans"] == [
        {
            "name": "GET /items/{item_id}",
            "route": "/items/{item_id}",
            "status_code": status,
            "error": error,
            "exceptions": exceptions,
        }
        for status, error, exceptions in ((200, "UNSET", []), (404, "UNSET", []), (500, "ERROR", ["ValueError"]))
    ]


def test_instrument_before_the_app_exists_traces_included_routers_until_uninstrumented(
    run_compat: Callable[[str], Any],
) -> None:
    pytest.importorskip("opentelemetry.instrumentation.fastapi")
    outcome = run_compat(
        TRACING
        + """
FastAPIInstrumentor().instrument(tracer_provider=provider)

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

app = FastAPI()
router = APIRouter(prefix="/api")


@router.get("/users/{name}")
def read_user(name: str) -> dict[str, str]:
    return {"name": name}


app.include_router(router)
client = TestClient(app)
first = client.get("/api/users/ann").json()
traced = server_spans()
FastAPIInstrumentor().uninstrument()
exporter.clear()
second = client.get("/api/users/bob").json()
print(json.dumps({
    "class": type(app).__name__,
    "answers": [first, second],
    "traced": traced,
    "after_uninstrument": server_spans(),
}))
"""
    )
    assert outcome["class"] == "_InstrumentedFastAPI"
    assert outcome["answers"] == [{"name": "ann"}, {"name": "bob"}]
    assert outcome["traced"] == [
        {
            "name": "GET /api/users/{name}",
            "route": "/api/users/{name}",
            "status_code": 200,
            "error": "UNSET",
            "exceptions": [],
        }
    ]
    assert outcome["after_uninstrument"] == []


def test_user_middleware_runs_inside_the_traced_span(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("opentelemetry.instrumentation.fastapi")
    outcome = run_compat(
        TRACING
        + """
from opentelemetry import trace
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

app = FastAPI()


@app.middleware("http")
async def span_header(request: Request, call_next):
    response = await call_next(request)
    response.headers["x-in-span"] = str(trace.get_current_span().is_recording())
    return response


@app.get("/ping")
async def ping() -> str:
    return "pong"


FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
answer = TestClient(app).get("/ping")
print(json.dumps({"header": answer.headers["x-in-span"], "body": answer.json(), "spans": server_spans()}))
"""
    )
    assert outcome["header"] == "True"
    assert outcome["body"] == "pong"
    assert [span["name"] for span in outcome["spans"]] == ["GET /ping"]
