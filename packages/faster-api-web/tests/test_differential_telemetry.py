"""Differential tests of built-in OpenTelemetry (``FastAPI(telemetry=...)``): the same app on FastAPI and FasterAPI,
each with its own in-memory OpenTelemetry SDK pipeline, must produce the same spans (names, kinds, parents,
attributes, status), the same metric points and the same log events for the same requests."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
pytest.importorskip("fastapi.telemetry", exc_type=ImportError)

from opentelemetry.sdk._logs import LoggerProvider  # noqa: E402
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from typing import Annotated

from fastapi import BackgroundTasks, Depends, FastAPI, HTTPException
from fastapi.telemetry import get_telemetry_data

app = FastAPI(telemetry=config)
child = FastAPI()


def current_user():
    return "alice"


def note(text: str) -> None:
    notes.append(text)


@app.get("/items/{item_id}")
def read_item(item_id: int, user: Annotated[str, Depends(current_user)]):
    data = get_telemetry_data()
    seen.append((data.values["item_id"], data.values["user"]))
    return {"item_id": item_id, "user": user}


@app.post("/async/{value}")
async def post_value(value: str, tasks: BackgroundTasks):
    tasks.add_task(note, value)
    return value


@app.get("/fail")
def fail():
    raise ValueError("endpoint failed")


@app.get("/unavailable")
async def unavailable():
    raise HTTPException(503, "later")


@child.get("/files/{name}")
async def read_file(name: str):
    return name


app.mount("/tenants/{tenant}", child)
"""

REQUESTS: list[tuple[str, str]] = [
    ("GET", "/items/3?page=2&sig=secret"),
    ("GET", "/items/x"),
    ("POST", "/async/hello"),
    ("GET", "/fail"),
    ("GET", "/unavailable"),
    ("DELETE", "/items/3"),
    ("GET", "/missing"),
    ("GET", "/tenants/acme/files/a.txt"),
    ("GET", "/tenants/acme/missing"),
]


def _code_name(value: Any, framework: str) -> Any:
    # The app's module is named after the framework it runs on.
    return value.replace(f"differential_telemetry_{framework}", "app") if isinstance(value, str) else value


def _observe(differential: Any, framework: str) -> dict[str, Any]:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    logs = InMemoryLogRecordExporter()
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(logs))
    config = {"tracer_provider": tracer_provider, "meter_provider": meter_provider, "logger_provider": logger_provider}
    seen: list[Any] = []
    notes: list[str] = []
    namespace = differential.build(APP, framework, "telemetry", config=config, seen=seen, notes=notes)
    client = differential.client(namespace["app"], framework, raise_server_exceptions=False)
    statuses = [client.request(method, path).status_code for method, path in REQUESTS]
    finished = spans.get_finished_spans()
    by_id = {span.context.span_id: span.name for span in finished}
    observed_spans = [
        (
            span.name,
            span.kind.name,
            by_id.get(span.parent.span_id) if span.parent is not None else None,
            {key: _code_name(value, framework) for key, value in sorted((span.attributes or {}).items())},
            span.status.status_code.name,
        )
        for span in finished
    ]
    metrics_data = reader.get_metrics_data()
    assert metrics_data is not None
    points = sorted(
        (metric.name, tuple(sorted(point.attributes.items())), getattr(point, "count", None))
        for resource in metrics_data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        for point in metric.data.data_points
    )
    records = [
        (
            record.log_record.event_name,
            record.log_record.severity_text,
            record.log_record.body,
            {k: v for k, v in (record.log_record.attributes or {}).items() if not k.startswith("exception.")},
            type(record.log_record.exception).__name__,
        )
        for record in logs.get_finished_logs()
    ]
    tracer_provider.shutdown()
    meter_provider.shutdown()
    logger_provider.shutdown()
    return {"statuses": statuses, "spans": observed_spans, "points": points, "logs": records, "seen": seen}


def test_spans_metrics_and_logs_are_fastapis(differential: Any) -> None:
    observed = {framework: _observe(differential, framework) for framework in FRAMEWORKS}
    assert observed["FasterAPI"] == observed["fastapi"]
    faster = observed["FasterAPI"]
    assert faster["statuses"] == [200, 422, 200, 500, 503, 405, 404, 200, 404]
    assert faster["seen"] == [(3, "alice")]
    names = [span[0] for span in faster["spans"] if span[1] == "SERVER"]
    assert "GET /tenants/{tenant}/files/{name}" in names
    assert "DELETE /items/{item_id}" in names
    # Nothing in the mounted app has the path: the mount's own template.
    assert "GET /tenants/{tenant}/{path}" in names
