"""Differential test of built-in OpenTelemetry for requests served through a ``Host`` among an application's routes:
the same spans (names, ``http.route``, attributes) on FastAPI and on FasterAPI."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
pytest.importorskip("fastapi.telemetry", exc_type=ImportError)

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI

api = FastAPI()


@api.get("/items/{item_id}")
def item(item_id: int):
    return item_id


app = FastAPI(telemetry=config)


@app.get("/")
def root():
    return "root"


app.host("{tenant}.example.com", api, name="api")
"""

REQUESTS = [
    ("/items/3", "acme.example.com"),
    ("/items/x", "acme.example.com"),
    ("/missing", "acme.example.com"),
    ("/", "acme.example.com"),
    ("/items/3", "example.org"),
]


def _code_name(value: Any, framework: str) -> Any:
    # The app's module is named after the framework it runs on.
    return value.replace(f"differential_telemetry_host_routes_{framework}", "app") if isinstance(value, str) else value


def _spans(differential: Any, framework: str) -> list[Any]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = differential.build(APP, framework, "telemetry_host_routes", config={"tracer_provider": provider})["app"]
    client = differential.client(app, framework)
    seen: list[Any] = []
    for path, host in REQUESTS:
        status = client.get(path, headers={"host": host}).status_code
        spans = [
            (span.name, {key: _code_name(value, framework) for key, value in sorted((span.attributes or {}).items())})
            for span in exporter.get_finished_spans()
        ]
        exporter.clear()
        seen.append((path, host, status, spans))
    provider.shutdown()
    return seen


def test_requests_served_through_a_host_are_traced_as_on_fastapi(differential: Any) -> None:
    seen = {framework: _spans(differential, framework) for framework in FRAMEWORKS}
    for ours, theirs in zip(seen["FasterAPI"], seen["fastapi"], strict=True):
        assert ours == theirs
    served = seen["fastapi"][0][3]
    assert [name for name, _ in served] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "fastapi.serialization",
        "GET /items/{item_id}",
    ]
    assert served[-1][1]["http.route"] == "/items/{item_id}"
