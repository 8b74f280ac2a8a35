"""Differential tests of built-in OpenTelemetry around background tasks, route handlers wrapped by a route class and
websocket failures: the same app on FastAPI and on FasterAPI, each with its own in-memory SDK pipeline, must run the
same tasks, answer the same, raise the same errors to the test client, and produce the same spans and log events."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("opentelemetry.sdk", exc_type=ImportError)
pytest.importorskip("fastapi.telemetry", exc_type=ImportError)

from opentelemetry.sdk._logs import LoggerProvider  # noqa: E402
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from functools import partial

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, WebSocket
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from opentelemetry import trace
from starlette.background import BackgroundTask

app = FastAPI(telemetry=config)


def record(value):
    ran.append((value, trace.get_current_span().name))


class AsyncCallable:
    async def __call__(self, *, value):
        record(value)


class AnnouncedTask(BackgroundTask):
    async def __call__(self):
        record("before")
        await super().__call__()


@app.get("/objects")
async def objects():
    tasks = BackgroundTasks([AnnouncedTask(record, "custom")])
    tasks.add_task(partial(record, "partial"))
    tasks.add_task(AsyncCallable(), value="async callable")
    return JSONResponse("ok", background=tasks)


def fail(kind):
    ran.append("failing")
    raise HTTPException(503) if kind == "http" else ValueError("task failed")


async def fail_async(kind):
    fail(kind)


@app.get("/fail/{kind}/{mode}")
async def failing(kind: str, mode: str, tasks: BackgroundTasks):
    tasks.add_task(fail if mode == "sync" else fail_async, kind)
    tasks.add_task(ran.append, "after the failure")
    return "sent"


class HeaderRoute(APIRoute):
    def get_route_handler(self):
        original = super().get_route_handler()

        async def handler(request):
            response = await original(request)
            response.headers["x-route-class"] = "yes"
            return response

        return handler


router = APIRouter(route_class=HeaderRoute)


@router.get("/wrapped/{value}")
def wrapped(value: int):
    return value


app.include_router(router)


async def refuse():
    raise ValueError("websocket dependency failed")
    yield


@app.websocket("/ws", dependencies=[Depends(refuse)])
async def websocket_endpoint(websocket: WebSocket):
    await websocket.accept()
"""


def _code_name(value: Any, framework: str) -> Any:
    # The app's module is named after the framework it runs on; an exception's module is the framework's own.
    if not isinstance(value, str):
        return value
    value = value.replace(f"differential_telemetry_background_{framework}", "app")
    return value.rsplit(".", 1)[-1] if value.endswith("HTTPException") else value


class _Observed:
    """One framework's app with its own span and log pipeline."""

    def __init__(self, differential: Any, framework: str) -> None:
        self.framework = framework
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.logs = InMemoryLogRecordExporter()
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))
        config = {"tracer_provider": self.tracer_provider, "logger_provider": self.logger_provider}
        self.ran: list[Any] = []
        namespace = differential.build(APP, framework, "telemetry_background", config=config, ran=self.ran)
        self.app = namespace["app"]
        self.client = differential.client(self.app, framework, raise_server_exceptions=False)
        self.raising_client = differential.client(self.app, framework)

    def take(self) -> dict[str, Any]:
        """The spans and log events so far (then forgotten), and what the tasks noted."""
        finished = self.spans.get_finished_spans()
        by_id = {span.context.span_id: span.name for span in finished}
        spans = [
            (
                span.name,
                by_id.get(span.parent.span_id) if span.parent is not None else None,
                {key: _code_name(value, self.framework) for key, value in sorted((span.attributes or {}).items())},
                span.status.status_code.name,
                len(span.events),
            )
            for span in finished
        ]
        logs = [
            (
                record.log_record.event_name,
                record.log_record.body,
                dict(record.log_record.attributes or {}).get("http.route"),
                type(record.log_record.exception).__name__,
                type(getattr(record.log_record.exception, "__cause__", None)).__name__,
                record.log_record.trace_id == finished[-1].context.trace_id if finished else None,
            )
            for record in self.logs.get_finished_logs()
        ]
        ran = list(self.ran)
        self.spans.clear()
        self.logs.clear()
        self.ran.clear()
        return {"spans": spans, "logs": logs, "ran": ran}

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.logger_provider.shutdown()


def _both(differential: Any) -> dict[str, _Observed]:
    return {framework: _Observed(differential, framework) for framework in FRAMEWORKS}


def test_every_task_runs_in_its_own_span_through_its_own_call(differential: Any) -> None:
    observed = {}
    for framework, app in _both(differential).items():
        response = app.client.get("/objects")
        observed[framework] = (response.status_code, response.json(), app.take())
        app.shutdown()
    assert observed["FasterAPI"] == observed["fastapi"]
    _, _, seen = observed["FasterAPI"]
    span = "fastapi.background_task"
    assert seen["ran"] == [("before", span), ("custom", span), ("partial", span), ("async callable", span)]
    assert [name for name, *_ in seen["spans"]].count(span) == 3


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", ["value", "http"])
def test_a_failing_task_stops_the_run_and_reaches_the_server(differential: Any, kind: str, mode: str) -> None:
    observed = {}
    for framework, app in _both(differential).items():
        response = app.client.get(f"/fail/{kind}/{mode}")
        answered = (response.status_code, response.json(), app.take())
        with pytest.raises(Exception) as raised:
            app.raising_client.get(f"/fail/{kind}/{mode}")
        cause = raised.value.__cause__
        observed[framework] = (answered, type(raised.value).__name__, type(cause).__name__, app.take()["ran"])
        app.shutdown()
    assert observed["FasterAPI"] == observed["fastapi"]
    (status, body, seen), raised_type, cause_type, ran = observed["FasterAPI"]
    assert (status, body, seen["ran"], ran) == (200, "sent", ["failing"], ["failing"])
    expected = ("RuntimeError", "HTTPException") if kind == "http" else ("ValueError", "NoneType")
    assert (raised_type, cause_type) == expected
    (task,) = [span for span in seen["spans"] if span[0] == "fastapi.background_task"]
    assert task[3] == "ERROR"
    assert task[2]["error.type"] == ("HTTPException" if kind == "http" else "ValueError")
    (server,) = [span for span in seen["spans"] if span[1] is None]
    assert (server[2]["http.response.status_code"], server[3]) == (200, "UNSET")
    assert [record[3] for record in seen["logs"]] == [raised_type]


def test_a_route_class_wrapping_the_route_handler_keeps_the_operation_spans(differential: Any) -> None:
    observed = {}
    for framework, app in _both(differential).items():
        response = app.client.get("/wrapped/7")
        observed[framework] = (response.status_code, response.headers.get("x-route-class"), app.take())
        app.shutdown()
    assert observed["FasterAPI"] == observed["fastapi"]
    _, header, seen = observed["FasterAPI"]
    assert header == "yes"
    assert [span[0] for span in seen["spans"]] == [
        "fastapi.dependencies",
        "fastapi.endpoint",
        "fastapi.serialization",
        "GET /wrapped/{value}",
    ]


def test_a_websocket_dependency_failing_before_accept_raises_its_error(differential: Any) -> None:
    observed = {}
    for framework, app in _both(differential).items():
        with (
            pytest.raises(ValueError, match="websocket dependency failed"),
            app.raising_client.websocket_connect("/ws"),
        ):
            pytest.fail("the connection must not open")
        observed[framework] = app.take()
        app.shutdown()
    assert observed["FasterAPI"] == observed["fastapi"]
    seen = observed["FasterAPI"]
    assert [(span[0], span[3]) for span in seen["spans"]] == [("fastapi.dependencies", "ERROR"), ("WS /ws", "ERROR")]
    assert seen["logs"] == [
        (
            "fastapi.websocket.exception",
            "Unhandled exception in FastAPI WebSocket connection",
            "/ws",
            "ValueError",
            "NoneType",
            True,
        )
    ]
