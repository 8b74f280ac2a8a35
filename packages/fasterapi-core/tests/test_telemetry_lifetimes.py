"""Built-in OpenTelemetry over time, with the real SDK: global providers configured after an application started
serving, and what a context kept from a request holds on to once the request is over."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)

from opentelemetry import context as otel_context  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402

from fasterapi_core import Faster, Request, WebSocket  # noqa: E402
from fasterapi_core.responses import JSONResponse  # noqa: E402
from fasterapi_core.telemetry import get_telemetry_data  # noqa: E402
from fasterapi_testing import TestClient  # noqa: E402

# Global providers can be set once per process: the scenario runs in a fresh interpreter.
LATE_PROVIDERS = """
import json

from opentelemetry import metrics, trace

from fasterapi_core import Faster
from fasterapi_testing import TestClient

app = Faster()


@app.get("/items/{item_id}")
def read_item(item_id: int) -> int:
    return item_id


client = TestClient(app)
before = client.get("/items/1").json()
# Nothing to report to yet: served on the plain path, the providers watched.
plain_before = app._serve is None and app._telemetry_watch is not None

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

spans = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(spans))
trace.set_tracer_provider(provider)
reader = InMemoryMetricReader()
metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
after = client.get("/items/2").json()
observed_after = app._serve is not None and app._telemetry_watch is None
points = [
    point.count
    for resource in reader.get_metrics_data().resource_metrics
    for scope in resource.scope_metrics
    for metric in scope.metrics
    if metric.name == "http.server.request.duration"
    for point in metric.data.data_points
]
names = [span.name for span in spans.get_finished_spans()]
paths = [plain_before, observed_after]
print(json.dumps({"answers": [before, after], "spans": names, "points": points, "paths": paths}))
"""


def test_global_providers_configured_after_the_first_request_are_used() -> None:
    result = subprocess.run([sys.executable, "-c", LATE_PROVIDERS], capture_output=True, text=True, check=True)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {
        "answers": [1, 2],
        "spans": ["fastapi.dependencies", "fastapi.endpoint", "fastapi.serialization", "GET /items/{item_id}"],
        "points": [1],
        "paths": [True, True],
    }


def test_a_context_kept_from_a_failed_request_does_not_keep_it_alive() -> None:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    app = Faster(telemetry={"meter_provider": provider, "tracing": False, "logs": False})
    kept: list[Any] = []
    requests: list[weakref.ref[Request]] = []

    async def failed(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"failed": str(exc)}, status_code=500)

    app.add_exception_handler(ValueError, failed)

    @app.post("/")
    async def endpoint(request: Request) -> None:
        await request.body()
        kept.append(otel_context.get_current())
        requests.append(weakref.ref(request))
        assert get_telemetry_data() is not None
        raise ValueError("endpoint failed")

    with TestClient(app) as client:
        response = client.post("/", json={"name": "request data"})
    assert (response.status_code, response.json()) == (500, {"failed": "endpoint failed"})
    gc.collect()
    assert get_telemetry_data(kept[0]) is None
    assert requests[0]() is None
    provider.shutdown()


def test_requests_and_websockets_can_be_weakly_referenced() -> None:
    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": []}
    request = Request(scope)
    assert weakref.ref(request)() is request
    websocket = WebSocket({"type": "websocket", "path": "/", "headers": []}, None, None)  # type: ignore[arg-type]
    assert weakref.ref(websocket)() is websocket


def test_a_replaced_global_getter_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    app = Faster()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> int:
        return item_id

    client = TestClient(app)
    assert client.get("/items/1").json() == 1
    assert spans.get_finished_spans() == ()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    assert client.get("/items/2").json() == 2
    assert [span.name for span in spans.get_finished_spans()] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "fastapi.serialization",
        "GET /items/{item_id}",
    ]
    provider.shutdown()


def test_a_getter_replaced_before_telemetry_loaded_is_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    from fasterapi_core._telemetry_server import _GlobalProvider

    def global_provider() -> Any:
        return _GlobalProvider(trace, "get_tracer_provider", "opentelemetry.trace", "_TRACER_PROVIDER", "NO_SUCH_ENV")

    provider = TracerProvider()
    # Replaced by a test before FasterAPI's telemetry module loaded (its lookups are made then): still followed.
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    assert global_provider()() is provider
    monkeypatch.undo()
    # The API's own getter: its module variable is read, and nothing is set globally here.
    assert global_provider()._getter is trace.get_tracer_provider
    provider.shutdown()


@pytest.mark.parametrize("reported", [True, False], ids=["modules report", "asked per connection"])
def test_a_replaced_getter_answering_no_provider_is_decided_on_once(
    monkeypatch: pytest.MonkeyPatch, reported: bool
) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from fasterapi_core import _telemetry_watch

    if not reported:
        monkeypatch.setattr(_telemetry_watch, "_installed", False)
    app = Faster()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> int:
        return item_id

    client = TestClient(app)
    assert client.get("/items/1").json() == 1
    # A getter patched to answer a fresh unset placeholder on every call (as Starlette's tests patch it): the change
    # is seen once and the stack decided again, not on every look (which recursed until the stack ran out).
    monkeypatch.setattr(trace, "get_tracer_provider", trace.ProxyTracerProvider)
    assert [client.get(f"/items/{number}").json() for number in (2, 3, 4)] == [2, 3, 4]
    assert app._telemetry_watch is not None
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    assert client.get("/items/5").json() == 5
    assert [span.name for span in spans.get_finished_spans()][-1] == "GET /items/{item_id}"
    provider.shutdown()


def test_a_replaced_global_getter_is_followed_where_the_modules_cannot_report_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from fasterapi_core import _telemetry_watch

    # As with OpenTelemetry modules of another class or layout: the application asks on every connection instead.
    monkeypatch.setattr(_telemetry_watch, "_installed", False)
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    app = Faster()

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> int:
        return item_id

    client = TestClient(app)
    assert client.get("/items/1").json() == 1
    assert app._telemetry_watch is not None
    assert app._serve == app._serve_polling
    assert spans.get_finished_spans() == ()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: provider)
    assert client.get("/items/2").json() == 2
    assert [span.name for span in spans.get_finished_spans()] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "fastapi.serialization",
        "GET /items/{item_id}",
    ]
    assert app._telemetry_watch is None
    provider.shutdown()


WATCHED_MODULES = """
import json
import sys

from opentelemetry import _logs, metrics, trace  # noqa: F401 - the modules watched

from fasterapi_core import Faster
from fasterapi_testing import TestClient

names = ("opentelemetry.trace", "opentelemetry.metrics._internal", "opentelemetry._logs._internal")
classes_before = sorted({type(sys.modules[name]).__name__ for name in names})
plain = Faster()
plain_served = TestClient(plain).get("/missing").status_code
classes_after = sorted({type(sys.modules[name]).__name__ for name in names})
# An assignment that configures nothing: the application decides again, and is watched again.
trace.unrelated_setting = 1
told = plain._serve == plain._telemetry_recheck
again = TestClient(plain).get("/missing").status_code
watched_again = plain._serve is None and plain._telemetry_watch is not None
print(json.dumps([classes_before, plain_served, classes_after, told, again, watched_again]))
"""


def test_opentelemetry_modules_report_changes_to_watched_applications() -> None:
    result = subprocess.run([sys.executable, "-c", WATCHED_MODULES], capture_output=True, text=True, check=True)
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == [["module"], 404, ["_WatchedModule"], True, 404, True]
