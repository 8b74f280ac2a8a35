"""Built-in OpenTelemetry, observed with the real SDK's in-memory exporters: spans, metrics, logs, request data,
exclusion, the switch decided at build time, and OTLP export configured from the environment."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any

import pytest

pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)

from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk._logs import LoggerProvider  # noqa: E402
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402
from opentelemetry.trace import SpanKind, StatusCode  # noqa: E402

from fasterapi_core import BackgroundTasks, Depends, Faster, HTTPException, Request, WebSocket  # noqa: E402
from fasterapi_core.telemetry import TelemetryConfig, get_telemetry_data  # noqa: E402
from fasterapi_testing import TestClient  # noqa: E402


class Pipeline:
    """An SDK tracer, meter and logger provider, each exporting into memory."""

    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.logs = InMemoryLogRecordExporter()
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))

    def config(self, **settings: Any) -> TelemetryConfig:
        config: TelemetryConfig = {
            "tracer_provider": self.tracer_provider,
            "meter_provider": self.meter_provider,
            "logger_provider": self.logger_provider,
        }
        config.update(settings)  # type: ignore[typeddict-item]
        return config

    def server_spans(self) -> list[Any]:
        return [span for span in self.spans.get_finished_spans() if span.kind == SpanKind.SERVER]

    def points(self, name: str = "http.server.request.duration") -> list[Any]:
        data = self.reader.get_metrics_data()
        if data is None:
            return []
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for metric in scope.metrics
            if metric.name == name
            for point in metric.data.data_points
        ]

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()
        self.logger_provider.shutdown()


@pytest.fixture
def pipeline() -> Iterator[Pipeline]:
    made = Pipeline()
    yield made
    made.shutdown()


def test_server_span_names_the_route_template_and_redacts_signed_queries(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config())
    inside: list[Any] = []

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> int:
        inside.append(trace.get_current_span().get_span_context())
        return item_id

    parent_trace = "0af7651916cd43dd8448eb211c80319c"
    response = TestClient(app).get(
        "/items/7?page=2&X-Amz-Signature=secret",
        headers={"traceparent": f"00-{parent_trace}-b7ad6b7169203331-01"},
    )
    assert response.json() == 7
    (server,) = pipeline.server_spans()
    assert server.name == "GET /items/{item_id}"
    assert server.context.trace_id == int(parent_trace, 16)
    assert server.attributes is not None
    assert server.attributes["http.route"] == "/items/{item_id}"
    assert server.attributes["http.response.status_code"] == 200
    assert server.attributes["url.path"] == "/items/7"
    assert server.attributes["url.query"] == "page=2&X-Amz-Signature=REDACTED"
    assert server.status.status_code == StatusCode.UNSET
    operations = {span.name: span for span in pipeline.spans.get_finished_spans() if span is not server}
    assert set(operations) == {"fastapi.dependencies", "fastapi.endpoint", "fastapi.serialization"}
    parents = {span.parent.span_id if span.parent is not None else None for span in operations.values()}
    assert parents == {server.context.span_id}
    assert operations["fastapi.endpoint"].context == inside[0]
    (point,) = pipeline.points()
    assert point.count == 1
    assert dict(point.attributes)["http.route"] == "/items/{item_id}"
    (active,) = pipeline.points("http.server.active_requests")
    assert active.value == 0


def test_errors_are_error_spans_with_one_log_and_handled_ones_are_not(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config())

    @app.get("/fail")
    def fail() -> None:
        raise ValueError("endpoint failed")

    @app.get("/busy")
    async def busy() -> None:
        raise HTTPException(503, "later")

    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/fail").status_code == 500
    assert client.get("/busy").status_code == 503
    failed, handled = pipeline.server_spans()
    assert failed.status.status_code == StatusCode.ERROR
    assert dict(failed.attributes or {})["error.type"] == "ValueError"
    assert failed.events == ()
    assert handled.status.status_code == StatusCode.ERROR  # a 5xx answer is a failed request
    assert dict(handled.attributes or {})["error.type"] == "503"
    endpoint_spans = [span for span in pipeline.spans.get_finished_spans() if span.name == "fastapi.endpoint"]
    assert [span.status.status_code for span in endpoint_spans] == [StatusCode.ERROR, StatusCode.UNSET]
    (record,) = pipeline.logs.get_finished_logs()
    assert record.log_record.event_name == "http.server.request.exception"
    assert isinstance(record.log_record.exception, ValueError)
    assert record.log_record.attributes is not None
    assert record.log_record.attributes["http.route"] == "/fail"
    assert record.log_record.span_id == failed.context.span_id


def test_validation_failure_is_a_warning_with_the_request_data(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config(tracing=False))
    kept: list[Any] = []

    def keep(request: Request) -> None:
        data = get_telemetry_data()
        assert data is not None
        assert data.request is request
        kept.append(data)

    @app.post("/items", dependencies=[Depends(keep)])
    async def create(item: dict[str, int]) -> dict[str, int]:
        return item

    client = TestClient(app)
    assert client.post("/items", json={"a": "x"}).status_code == 422
    assert client.post("/items", json={"a": 1}).json() == {"a": 1}
    (record,) = pipeline.logs.get_finished_logs()
    assert record.log_record.event_name == "fastapi.validation.failed"
    assert record.log_record.attributes is not None
    assert record.log_record.attributes["fastapi.validation.error_count"] == 1
    assert record.log_record.attributes["http.route"] == "/items"
    assert not pipeline.spans.get_finished_spans()
    assert len(kept) == 2
    assert kept[0].errors is not None
    assert kept[0].errors[0]["loc"] == ("body", "a")
    assert kept[1].values == {"item": {"a": 1}}
    assert get_telemetry_data() is None


def test_dynamic_mount_background_tasks_and_websockets(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config())
    child = Faster()
    done: list[str] = []

    def remember(text: str) -> None:
        assert trace.get_current_span().is_recording()
        done.append(text)

    @child.post("/notes/{text}")
    async def add_note(request: Request, text: str, tasks: BackgroundTasks) -> str:
        tasks.add_task(remember, text)
        return str(request.scope["root_path"])

    @child.websocket("/live/{room}")
    async def live(websocket: WebSocket, room: int) -> None:
        data = get_telemetry_data()
        assert data is not None
        assert data.websocket is websocket
        assert data.values is not None
        await websocket.accept()
        await websocket.send_json({"room": data.values["room"]})
        await websocket.close()

    app.mount("/tenants/{tenant}", child)
    client = TestClient(app)
    assert client.post("/tenants/acme/notes/hi").json() == "/tenants/acme"
    with client.websocket_connect("/tenants/acme/live/4") as websocket:
        assert websocket.receive_json() == {"room": 4}
    assert done == ["hi"]
    http, ws = pipeline.server_spans()
    assert http.name == "POST /tenants/{tenant}/notes/{text}"
    assert ws.name == "WS /tenants/{tenant}/live/{room}"
    assert dict(ws.attributes or {})["network.protocol.name"] == "websocket"
    (task,) = [span for span in pipeline.spans.get_finished_spans() if span.name == "fastapi.background_task"]
    assert task.parent is not None
    assert task.parent.span_id == http.context.span_id
    assert task.attributes == {"code.function.name": f"{__name__}.{remember.__qualname__}"}
    # Websockets have no request metrics.
    assert [dict(point.attributes).get("http.route") for point in pipeline.points()] == [
        "/tenants/{tenant}/notes/{text}"
    ]


def test_exclusion_and_switched_off_signals(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config(exclude=lambda scope: scope["path"] == "/health", operation_spans=False))

    @app.get("/health")
    async def health() -> str:
        assert get_telemetry_data() is None
        return "ok"

    @app.get("/work")
    async def work() -> str:
        return "done"

    client = TestClient(app)
    assert client.get("/health").json() == "ok"
    assert not pipeline.spans.get_finished_spans()
    assert not pipeline.points()
    assert client.get("/work").json() == "done"
    assert [span.name for span in pipeline.spans.get_finished_spans()] == ["GET /work"]

    quiet = Faster(telemetry=pipeline.config(tracing=False, metrics=False, logs=False))
    assert TestClient(quiet).get("/nothing").status_code == 404
    assert [span.name for span in pipeline.spans.get_finished_spans()] == ["GET /work"]


def test_405_and_redirects_name_the_template_404_has_none(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config())

    @app.get("/things/{name}")
    async def thing(name: str) -> str:
        return name

    client = TestClient(app)
    assert client.post("/things/a").status_code == 405
    assert client.get("/things/a/", follow_redirects=False).status_code == 307
    assert client.get("/nowhere").status_code == 404
    spans = pipeline.server_spans()
    assert [span.name for span in spans] == ["POST /things/{name}", "GET /things/{name}", "GET"]
    assert "http.route" not in dict(spans[2].attributes or {})


def test_a_plain_app_never_imports_opentelemetry() -> None:
    script = (
        "import sys\n"
        "from fasterapi_core import Faster\n"
        "from fasterapi_testing import TestClient\n"
        "app = Faster()\n"
        "@app.get('/')\n"
        "async def root():\n"
        "    return 1\n"
        "assert TestClient(app).get('/').json() == 1\n"
        "assert app._serve is None\n"
        "print(sorted(name for name in sys.modules if name.startswith('opentelemetry')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_environment_export_reaches_an_otlp_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    from fasterapi_core import _telemetry_export

    received: list[tuple[str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            received.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base signature
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    worker = threading.Thread(target=server.serve_forever, daemon=True)
    worker.start()
    tracer_provider = TracerProvider()
    try:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
        monkeypatch.setenv("OTEL_METRICS_EXPORTER", "none")
        monkeypatch.setenv("OTEL_LOGS_EXPORTER", "none")
        app = Faster(telemetry={"tracer_provider": tracer_provider, "auto_configure": True})

        @app.get("/")
        async def root() -> str:
            return "ok"

        with TestClient(app) as client:
            assert client.get("/").json() == "ok"
        assert [path for path, _ in received] == ["/v1/traces"]
        assert b"GET /" in received[0][1]
    finally:
        _telemetry_export._shutdown()
        tracer_provider.shutdown()
        server.shutdown()
        server.server_close()
        worker.join()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "supports OTEL_TRACES_EXPORTER=otlp or none"),
        ({"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "http/protobuf"),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "collector:4318"}, "absolute HTTP(S) URL"),
    ],
)
def test_unusable_export_settings_are_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], message: str
) -> None:
    from fasterapi_core import _telemetry_export
    from fasterapi_core.exceptions import FasterAPIError

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(FasterAPIError, match=re.escape(message)):
        _telemetry_export._export_endpoint("TRACES")


def test_export_endpoints_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from fasterapi_core import _telemetry_export

    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER"):
        monkeypatch.delenv(name, raising=False)
    assert _telemetry_export._export_endpoint("TRACES") is None
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")
    assert _telemetry_export._export_endpoint("METRICS") == "http://collector:4318/v1/metrics"
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/ingest")
    assert _telemetry_export._export_endpoint("TRACES") == "https://traces.example/ingest"
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert _telemetry_export._export_endpoint("TRACES") is None


def test_annotated_dependencies_are_solved_once_under_the_dependencies_span(pipeline: Pipeline) -> None:
    app = Faster(telemetry=pipeline.config())
    calls: list[str] = []

    def user() -> str:
        calls.append(trace.get_current_span().get_span_context().span_id.to_bytes(8, "big").hex())
        return "bob"

    @app.get("/me")
    def me(name: Annotated[str, Depends(user)]) -> str:
        return name

    assert TestClient(app).get("/me").json() == "bob"
    (dependencies,) = [span for span in pipeline.spans.get_finished_spans() if span.name == "fastapi.dependencies"]
    assert calls == [dependencies.context.span_id.to_bytes(8, "big").hex()]


def test_a_failed_background_task_is_an_error_span_and_stops_the_run(
    pipeline: Pipeline, failing_background_task: Callable[[Faster, Exception], list[str]]
) -> None:
    app = Faster(telemetry=pipeline.config())
    done = failing_background_task(app, ValueError("task failed"))

    assert TestClient(app, raise_server_exceptions=False).get("/send").json() == "sent"
    assert done == []
    (failed,) = [s for s in pipeline.spans.get_finished_spans() if s.name == "fastapi.background_task"]
    assert failed.status.status_code == StatusCode.ERROR
    assert dict(failed.attributes or {})["error.type"] == "ValueError"
    assert not failed.events
    (server,) = pipeline.server_spans()
    assert server.status.status_code == StatusCode.UNSET
    assert dict(server.attributes or {})["http.response.status_code"] == 200
    (record,) = pipeline.logs.get_finished_logs()
    assert isinstance(record.log_record.exception, ValueError)
    assert record.log_record.trace_id == server.context.trace_id == failed.context.trace_id
